// Snoozed conversations reopen at snoozedUntil; the conditional update makes it happen once on any number of nodes.
import type { EntityManager } from '@mikro-orm/core';
import { Conversation } from '../../entities/index.ts';
import { sql } from '../db/sql.ts';
import type { EventBus } from '../events/domain-events.ts';
import { toConversationDto } from './conversation.mapper.ts';

/** `em` is a system fork: the update spans tenants. */
export async function wakeSnoozed(em: EntityManager, bus: EventBus, now = new Date()): Promise<number> {
  const rows = await sql(em, `
    update conversations set status = 'open', snoozed_until = null, updated_at = ?
    where status = 'snoozed' and snoozed_until <= ?
    returning *`, [now, now]);
  for (const row of rows) {
    const conversation = toConversationDto(em.map(Conversation, row));
    bus.publish({ type: 'conversation.updated', tenantId: row.tenant_id as string, conversation });
  }
  return rows.length;
}
