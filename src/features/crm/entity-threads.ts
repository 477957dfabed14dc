// Conversations and timelines of any CRM record. A contact's threads include those whose contact it is
// or whose messages it received; a company's include those set on it and those of its contacts, in one query, no N+1.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Activity, Message } from '../../../entities/index.ts';
import { ENTITY_TYPES } from '../../../entities/enums.ts';
import type { ActivityDto, ConversationDto } from '../../contract/dto.ts';
import { conversationFromRow, toConversationDto } from '../../model/conversation.mapper.ts';
import { encodeCursor } from '../../core/conversations/conversations.service.ts';
import { fromRow } from '../../platform/db/rows.ts';
import { sql } from '../../platform/db/sql.ts';
import { withDetails } from '../../core/messages/history.service.ts';
import { decodeNullableTimeCursor, decodeTimeCursor, encodeTimeCursor } from '../../platform/util/time-cursor.ts';
import { isUuid } from '../../platform/util/uuid.ts';
import { pageLimit } from '../../platform/util/paging.ts';

export const entityParamsSchema = z.object({ type: z.enum(ENTITY_TYPES), id: z.string().trim().min(1).max(255) });
export const pageQuerySchema = z.object({
  limit: pageLimit(100, 50),
  cursor: z.string().max(300).optional(),
}).strict();

export type EntityRef = z.infer<typeof entityParamsSchema>;
type PageQuery = z.infer<typeof pageQuerySchema>;

/** SQL (and its parameters) for the ids of the record's threads; each branch uses an index. */
function threadIds(tenantId: string, entity: EntityRef): { sql: string; params: unknown[] } {
  const parts = ['select id from conversations where tenant_id = ? and entity_type = ? and entity_id = ?'];
  const params: unknown[] = [tenantId, entity.type, entity.id];
  if (entity.type === 'contact' && isUuid(entity.id)) {
    parts.push('select id from conversations where tenant_id = ? and contact_id = ?::uuid',
      'select conversation_id from message_recipients where tenant_id = ? and contact_id = ?::uuid');
    params.push(tenantId, entity.id, tenantId, entity.id);
  }
  if (entity.type === 'company') {
    parts.push(
      'select id from conversations where tenant_id = ? and company_id = ?',
      `select c.id from contacts ct join conversations c on c.tenant_id = ct.tenant_id and c.contact_id = ct.id
       where ct.tenant_id = ? and ct.company_id = ?`,
      `select r.conversation_id from contacts ct join message_recipients r on r.contact_id = ct.id
       where ct.tenant_id = ? and ct.company_id = ?`);
    params.push(tenantId, entity.id, tenantId, entity.id, tenantId, entity.id);
  }
  return { sql: parts.join('\nunion '), params };
}

/** The record's threads, newest activity first (like GET /v1/conversations), paged by cursor. */
export async function entityConversations(
  em: EntityManager, tenantId: string, entity: EntityRef, page: PageQuery,
): Promise<{ conversations: ConversationDto[]; nextCursor: string | null }> {
  const ids = threadIds(tenantId, entity);
  let after = '';
  const params = [...ids.params];
  if (page.cursor) {
    const { t, id } = decodeNullableTimeCursor(page.cursor);
    after = t === null
      ? 'and ((c.last_message_at is null and c.id < ?::uuid) or c.last_message_at is not null)'
      : 'and (c.last_message_at < ?::timestamptz or (c.last_message_at = ?::timestamptz and c.id < ?::uuid))';
    params.push(...(t === null ? [id] : [t, t, id]));
  }
  const rows = await sql<Record<string, unknown>>(em, `
    select c.* from conversations c where c.id in (${ids.sql}) ${after}
    order by c.last_message_at desc nulls first, c.id desc limit ?`, [...params, page.limit + 1]);
  const list = rows.slice(0, page.limit).map((row) => conversationFromRow(row));
  return {
    conversations: list.map(toConversationDto),
    nextCursor: rows.length > page.limit ? encodeCursor(list[list.length - 1]) : null,
  };
}

/**
 * The record's activities and those of its threads, newest first, messages included: each message is an entry
 * of its own (`message.<direction>`, read from the messages, not written twice), carrying the message. The
 * route serves people only, so internal notes are included; the answer is masked on its way out.
 */
export async function entityTimeline(
  em: EntityManager, tenantId: string, entity: EntityRef, page: PageQuery,
): Promise<{ activities: ActivityDto[]; nextCursor: string | null }> {
  const ids = threadIds(tenantId, entity);
  const params: unknown[] = [tenantId, entity.type, entity.id, ...ids.params, tenantId, ...ids.params];
  let after = '';
  if (page.cursor) {
    const { t, id } = decodeTimeCursor(page.cursor);
    after = 'where (e.occurred_at < ?::timestamptz or (e.occurred_at = ?::timestamptz and e.id < ?::uuid))';
    params.push(t, t, id);
  }
  const rows = await sql<Record<string, unknown>>(em, `
    select e.* from (
      select a.id, a.kind, a.entity_type, a.entity_id, a.conversation_id, a.actor_id, a.ref_id, a.data, a.occurred_at
      from activities a
      where a.tenant_id = ? and ((a.entity_type = ? and a.entity_id = ?) or a.conversation_id in (${ids.sql}))
      union all
      select m.id, 'message.' || m.direction, coalesce(c.entity_type, 'conversation'), coalesce(c.entity_id, c.id::text), m.conversation_id,
        m.author_id, m.id, null, m.created_at
      from messages m join conversations c on c.id = m.conversation_id
      where m.tenant_id = ? and m.conversation_id in (${ids.sql})
    ) e ${after}
    order by e.occurred_at desc, e.id desc limit ?`, [...params, page.limit + 1]);
  const activities = rows.slice(0, page.limit).map((row) => fromRow<Activity>(row));
  const messageIds = activities.filter((a) => a.kind.startsWith('message.') && a.refId).map((a) => a.refId!);
  const messages = messageIds.length ? await withDetails(em, await em.find(Message, { id: { $in: messageIds } })) : [];
  const byId = new Map(messages.map((m) => [m.id, m]));
  const last = activities[activities.length - 1];
  return {
    activities: activities.map((a) => ({
      id: a.id, kind: a.kind, entityType: a.entityType, entityId: a.entityId, conversationId: a.conversation ?? null,
      actorId: a.actor ?? null, refId: a.refId ?? null, data: (a.data as Record<string, unknown> | null) ?? null,
      message: (a.refId && byId.get(a.refId)) || null, occurredAt: new Date(a.occurredAt).toISOString(),
    })),
    nextCursor: rows.length > page.limit ? encodeTimeCursor(last.occurredAt, last.id) : null,
  };
}
