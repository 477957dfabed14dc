// Breaches for a supervisor's dashboard: all of them newest first, or only those still active
// (the breached clock has not been met and the conversation is not resolved).
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { sql } from '../src/platform/db/sql.ts';
import type { BreachDto } from '../src/contract/dto.ts';
import { pageLimit } from '../src/platform/util/paging.ts';

export const breachesQuerySchema = z.object({
  active: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  limit: pageLimit(500, 100),
}).strict();

export type { BreachDto };

const STILL_ACTIVE = `
  c.status not in ('resolved', 'closed', 'archived') and (
    (e.kind = 'first_response' and e.cycle = c.sla_cycle and c.sla_first_response_met_at is null)
    or (e.kind = 'next_response' and e.cycle = c.sla_next_response_clock and c.next_response_due_at is not null)
    or (e.kind = 'resolution' and e.cycle = c.sla_cycle))`;

export async function listBreaches(em: EntityManager, tenantId: string, query: z.infer<typeof breachesQuerySchema>): Promise<BreachDto[]> {
  const rows = await sql<{ id: string; conversation_id: string; kind: BreachDto['kind']; due_at: Date; occurred_at: Date; assignee_id: string | null; policy_id: string | null }>(em, `
    select e.id, e.conversation_id, e.kind, e.due_at, e.occurred_at, c.assignee_id, e.policy_id
    from sla_events e join conversations c on c.id = e.conversation_id
    where e.tenant_id = ? and e.type = 'breach' ${query.active ? `and ${STILL_ACTIVE}` : ''}
    order by e.due_at desc limit ?`, [tenantId, query.limit]);
  return rows.map((r) => ({
    id: r.id, conversationId: r.conversation_id, kind: r.kind, dueAt: new Date(r.due_at).toISOString(),
    breachedAt: new Date(r.due_at).toISOString(), detectedAt: new Date(r.occurred_at).toISOString(), assigneeId: r.assignee_id, policyId: r.policy_id,
  }));
}
