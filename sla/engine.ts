// One SLA tick: find the conversations whose next check has come (one indexed query that reads only
// those), flag each warning and breach once through the unique sla_events key, and publish the alerts
// after commit. Any number of nodes may tick at once: SKIP LOCKED spreads the rows, the key decides.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { Conversation } from '../entities/index.ts';
import type { ConversationDto } from '../src/contract/dto.ts';
import { toConversationDto } from '../src/conversations/conversation.mapper.ts';
import { sql } from '../src/db/sql.ts';
import type { DomainEvent, EventBus } from '../src/events/domain-events.ts';
import { applyPatch, stateOf } from './clocks.ts';
import { dueAlerts, nextCheckAt, type DueAlert } from './evaluate.ts';

export const TICK_BATCH = 1000;

const BREACHED_COLUMN: Record<DueAlert['kind'], 'firstResponseBreachedAt' | 'nextResponseBreachedAt' | 'resolutionBreachedAt'> = {
  first_response: 'firstResponseBreachedAt',
  next_response: 'nextResponseBreachedAt',
  resolution: 'resolutionBreachedAt',
};

type Alert = Extract<DomainEvent, { type: 'sla.alert' }>;

/** The conversations due for a check, oldest check first. */
export async function dueConversations(em: EntityManager, now: Date, limit = TICK_BATCH): Promise<string[]> {
  const rows = await sql<{ id: string }>(em,
    'select id from conversations where sla_next_check_at <= ? order by sla_next_check_at limit ?', [now, limit]);
  return rows.map((r) => r.id);
}

interface Checked {
  alerts: Alert[];
  conversation: ConversationDto;
}

async function checkOne(tx: EntityManager, id: string, now: Date): Promise<Checked | null> {
  const [row] = await sql(tx, 'select * from conversations where id = ? and sla_next_check_at <= ? for update skip locked', [id, now]);
  if (!row) return null; // another node has it, or it changed
  const conversation = tx.map(Conversation, row);
  const alerts: Alert[] = [];
  for (const due of dueAlerts(stateOf(conversation), now)) {
    const breachedAt = due.type === 'breach' ? due.dueAt : null;
    const inserted = await sql(tx, `
      insert into sla_events (id, tenant_id, conversation_id, policy_id, kind, type, cycle, due_at, occurred_at, assignee_id, created_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      on conflict (conversation_id, kind, type, cycle) do nothing returning id`,
    [crypto.randomUUID(), conversation.tenant, conversation.id, conversation.slaPolicy ?? null, due.kind, due.type, due.cycle,
      due.dueAt, now, conversation.assignee ?? null, now]);
    if (breachedAt) applyPatch(conversation, { [BREACHED_COLUMN[due.kind]]: breachedAt });
    if (!inserted.length) continue; // flagged before: alerted once already
    alerts.push({
      type: 'sla.alert', tenantId: conversation.tenant, alert: due.type, conversationId: conversation.id, kind: due.kind,
      dueAt: due.dueAt.toISOString(), breachedAt: breachedAt?.toISOString() ?? null,
      assigneeId: conversation.assignee ?? null, policyId: conversation.slaPolicy ?? null,
    });
  }
  conversation.slaNextCheckAt = nextCheckAt(stateOf(conversation), now);
  await tx.flush();
  return { alerts, conversation: toConversationDto(conversation) };
}

/** Runs one tick; answers how many alerts it raised. `em` is a system fork (the scan spans tenants). */
export async function tick(orm: MikroORM, bus: EventBus, now = new Date()): Promise<number> {
  const em = orm.em.fork();
  let raised = 0;
  for (const id of await dueConversations(em, now)) {
    const checked = await orm.em.fork().transactional((tx) => checkOne(tx, id, now));
    if (!checked?.alerts.length) continue;
    for (const alert of checked.alerts) bus.publish(alert);
    bus.publish({ type: 'conversation.updated', tenantId: checked.alerts[0].tenantId, conversation: checked.conversation });
    raised += checked.alerts.length;
  }
  return raised;
}
