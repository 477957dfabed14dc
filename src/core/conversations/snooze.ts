// Snoozed conversations reopen at snoozedUntil; the conditional update makes it happen once on any
// number of nodes, and the resolution clock resumes in the same transaction.
import type { EntityManager } from '@mikro-orm/core';
import { Conversation } from '../../../entities/index.ts';
import { applyPatch, loadPolicy, statusPatch } from '../../../sla/clocks.ts';
import { sql } from '../../platform/db/sql.ts';
import { statement } from '../../platform/db/statement.ts';
import type { SingleStatement } from '../../platform/db/tenant-transaction.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import { toConversationDto } from '../../model/conversation.mapper.ts';

const BATCH = 500;

// Every second on every node, mostly finding nothing: named, so that PostgreSQL plans it once per connection
// (planned afresh it cost 1 ms a call for 14 µs of work).
const DUE = statement('switchboard_snoozed_due_v1',
  `select id from conversations where status = 'snoozed' and snoozed_until <= :now::timestamptz order by snoozed_until limit ${BATCH}`);

/** `em` is a system fork: the wake-up spans tenants. */
export async function wakeSnoozed(single: SingleStatement, em: EntityManager, bus: EventBus, now = new Date()): Promise<number> {
  const due = await single<{ id: string }>(DUE, { now });
  let woken = 0;
  for (const { id } of due) {
    const dto = await em.fork().transactional(async (tx) => {
      const [row] = await sql(tx, `select * from conversations where id = ? and status = 'snoozed' and snoozed_until <= ? for update skip locked`, [id, now]);
      if (!row) return null; // another node woke it
      const conversation = tx.map(Conversation, row);
      const policy = await loadPolicy(tx, conversation.slaPolicy);
      if (policy) applyPatch(conversation, statusPatch(policy, conversation, 'open', now));
      conversation.status = 'open';
      conversation.snoozedUntil = null;
      await tx.flush();
      return { tenantId: row.tenant_id as string, conversation: toConversationDto(conversation) };
    });
    if (dto) {
      woken++;
      bus.publish({ type: 'conversation.updated', tenantId: dto.tenantId, conversation: dto.conversation });
    }
  }
  return woken;
}
