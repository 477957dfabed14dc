// Reports over messages and threads: a contact's full history, recent inbound messages, threads awaiting a
// reply, and open threads per record type. One indexed query each; the caller masks what it answers.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Contact, type Message } from '../../../entities/index.ts';
import type { ConversationDto, EntityType, MessageDto } from '../../contract/dto.ts';
import { conversationFromRow, toConversationDto } from '../../model/conversation.mapper.ts';
import { fromRow } from '../../platform/db/rows.ts';
import { sql } from '../../platform/db/sql.ts';
import { AppError } from '../../platform/errors.ts';
import { withDetails } from '../../core/messages/history.service.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../../platform/util/time-cursor.ts';
import { pageLimit } from '../../platform/util/paging.ts';

export const RECENT_INBOUND_MAX = 50;

export const historyQuerySchema = z.object({
  limit: pageLimit(500, 100),
  cursor: z.string().max(300).optional(),
}).strict();
export const recentQuerySchema = z.object({ limit: pageLimit(RECENT_INBOUND_MAX, RECENT_INBOUND_MAX) }).strict();
export const awaitingQuerySchema = z.object({
  limit: pageLimit(200, 50),
  inboxId: z.uuid().optional(),
}).strict();

/** Every message (internal notes too: people only read it) of every thread whose contact this is, oldest first. */
export async function contactHistory(
  em: EntityManager, tenantId: string, contactId: string, query: z.infer<typeof historyQuerySchema>,
): Promise<{ messages: MessageDto[]; nextCursor: string | null }> {
  if (!(await em.count(Contact, { id: contactId }))) throw AppError.notFound('contact');
  const params: unknown[] = [tenantId, contactId];
  let after = '';
  if (query.cursor) {
    const { t, id } = decodeTimeCursor(query.cursor);
    after = 'and (m.sent_at > ?::timestamptz or (m.sent_at = ?::timestamptz and m.id > ?::uuid))';
    params.push(t, t, id);
  }
  const rows = await sql<Record<string, unknown>>(em, `
    select m.* from conversations c join messages m on m.conversation_id = c.id
    where c.tenant_id = ? and c.contact_id = ? ${after}
    order by m.sent_at, m.id limit ?`, [...params, query.limit + 1]);
  const page = rows.slice(0, query.limit).map((row) => fromRow<Message>(row));
  return {
    messages: await withDetails(em, page),
    nextCursor: rows.length > query.limit ? encodeTimeCursor(page[page.length - 1].sentAt, page[page.length - 1].id) : null,
  };
}

/** The latest inbound messages across all threads, newest first. */
export async function recentInbound(em: EntityManager, tenantId: string, limit: number): Promise<MessageDto[]> {
  const rows = await sql<Record<string, unknown>>(em, `
    select * from messages where tenant_id = ? and direction = 'inbound'
    order by sent_at desc, id desc limit ?`, [tenantId, limit]);
  return withDetails(em, rows.map((row) => fromRow<Message>(row)));
}

/** Open threads whose latest inbound message has no later reply by a person or bot, longest waiting first. */
export async function awaitingReply(em: EntityManager, tenantId: string, query: z.infer<typeof awaitingQuerySchema>): Promise<ConversationDto[]> {
  const rows = await sql<Record<string, unknown>>(em, `
    select * from conversations
    where tenant_id = ? and status = 'open' and last_inbound_at is not null
      and (last_reply_at is null or last_reply_at < last_inbound_at) ${query.inboxId ? 'and inbox_id = ?' : ''}
    order by last_inbound_at, id limit ?`, [tenantId, ...(query.inboxId ? [query.inboxId] : []), query.limit]);
  return rows.map((row) => toConversationDto(conversationFromRow(row)));
}

export interface OpenByEntityRow {
  /** Null: threads attached to no record. */
  entityType: EntityType | null;
  openConversations: number;
  messageCount: number;
  lastActivityAt: string | null;
}

/** Open threads grouped by the type of record they hang off, with their messages and latest activity. */
export async function openByEntityType(em: EntityManager, tenantId: string): Promise<OpenByEntityRow[]> {
  const rows = await sql<{ entity_type: EntityType | null; n: number | string; messages: number | string; last_activity_at: Date | string | null }>(em, `
    select entity_type, count(*) as n, coalesce(sum(message_count), 0) as messages,
      max(coalesce(last_message_at, created_at)) as last_activity_at
    from conversations where tenant_id = ? and status = 'open'
    group by entity_type order by entity_type nulls last`, [tenantId]);
  return rows.map((r) => ({
    entityType: r.entity_type, openConversations: Number(r.n), messageCount: Number(r.messages),
    lastActivityAt: r.last_activity_at ? new Date(r.last_activity_at).toISOString() : null,
  }));
}
