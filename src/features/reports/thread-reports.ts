// The thread reports as the comms specification defines them: a contact's full history, recent inbound,
// threads awaiting a reply, and open threads per record type (volume by channel is in performance-reports.ts).
// One SQL statement each, exported so that a test can hold each one's plan to its index; the caller masks
// what it answers.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Contact, type Message } from '../../../entities/index.ts';
import type { ConversationDto, EntityType, MessageDto } from '../../contract/dto.ts';
import { conversationFromRow, toConversationDto } from '../../model/conversation.mapper.ts';
import { fromJson, fromRow } from '../../platform/db/rows.ts';
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

/** Threads that are not done: open, pending and snoozed (resolved and closed are done). */
const NOT_CLOSED = `('new', 'open', 'pending', 'snoozed')`;

/**
 * A contact's full history: every message of every thread that hangs off the contact (entity_type contact)
 * and of the contact's own conversations, newest first, with the sender's name (the author's, else the
 * contact's). Parameters: tenant, contact, contact, then the cursor's time, time, id when there is one, then
 * the limit.
 */
export const contactHistorySql = (after: boolean) => `
  select m.*, coalesce(u.name, ct.name) as sender_name
  from messages m
  left join users u on u.id = m.author_id
  left join contacts ct on ct.id = m.contact_id
  where m.conversation_id in (
    select c.id from conversations c
    where c.tenant_id = ? and (c.contact_id = ? or (c.entity_type = 'contact' and c.entity_id = ?)))
  ${after ? 'and (m.sent_at < ?::timestamptz or (m.sent_at = ?::timestamptz and m.id < ?::uuid))' : ''}
  order by m.sent_at desc, m.id desc limit ?`;

export type HistoryMessage = MessageDto & { senderName: string | null };

export async function contactHistory(
  em: EntityManager, tenantId: string, contactId: string, query: z.infer<typeof historyQuerySchema>,
): Promise<{ messages: HistoryMessage[]; nextCursor: string | null }> {
  if (!(await em.count(Contact, { id: contactId }))) throw AppError.notFound('contact');
  const cursor = query.cursor ? decodeTimeCursor(query.cursor) : null;
  const rows = await sql<Record<string, unknown> & { sender_name: string | null }>(em, contactHistorySql(cursor !== null), [
    tenantId, contactId, contactId, ...(cursor ? [cursor.t, cursor.t, cursor.id] : []), query.limit + 1,
  ]);
  const page = rows.slice(0, query.limit);
  const entities = page.map((row) => fromRow<Message>(row));
  const messages = await withDetails(em, entities);
  const last = entities[entities.length - 1];
  return {
    messages: messages.map((m, i) => ({ ...m, senderName: page[i].sender_name })),
    nextCursor: rows.length > query.limit ? encodeTimeCursor(last.sentAt, last.id) : null,
  };
}

/**
 * Recent inbound: the latest inbound messages, newest first, each with its thread (subject, channel, record:
 * the whole conversation, so that the answer's one presentation step masks it like any other) and the
 * contact's name.
 */
export const recentInboundSql = `
  select m.*, to_jsonb(c) as thread, ct.name as contact_name
  from messages m
  join conversations c on c.id = m.conversation_id
  left join contacts ct on ct.id = m.contact_id
  where m.tenant_id = ? and m.direction = 'inbound'
  order by m.sent_at desc, m.id desc limit ?`;

export interface RecentInbound { message: MessageDto; conversation: ConversationDto; contactName: string | null }

export async function recentInbound(em: EntityManager, tenantId: string, limit: number): Promise<RecentInbound[]> {
  const rows = await sql<Record<string, unknown> & { thread: unknown; contact_name: string | null }>(em, recentInboundSql, [tenantId, limit]);
  const messages = await withDetails(em, rows.map(({ thread: _thread, contact_name: _name, ...row }) => fromRow<Message>(row)));
  return messages.map((message, i) => ({
    message,
    conversation: toConversationDto(conversationFromRow(fromJson<Record<string, unknown>>(rows[i].thread))),
    contactName: rows[i].contact_name,
  }));
}

/**
 * Threads awaiting a reply: every thread not closed with an inbound message after its last human outbound
 * reply (a bot's or the system's answer is not one), ordered by that earliest unanswered inbound message.
 * Parameters: tenant, the inbox when filtered, the limit.
 */
export const awaitingReplySql = (byInbox: boolean) => `
  select c.*, unanswered.since as awaiting_since
  from conversations c
  cross join lateral (
    select max(m.sent_at) as at from messages m
    where m.conversation_id = c.id and m.direction = 'outbound' and m.sender_type = 'user') replied
  cross join lateral (
    select min(m.sent_at) as since from messages m
    where m.conversation_id = c.id and m.direction = 'inbound' and (replied.at is null or m.sent_at > replied.at)) unanswered
  where c.tenant_id = ? and c.status in ${NOT_CLOSED} and c.last_inbound_at is not null ${byInbox ? 'and c.inbox_id = ?' : ''}
    and unanswered.since is not null
  order by unanswered.since, c.id limit ?`;

export type AwaitingConversation = ConversationDto & { awaitingSince: string };

export async function awaitingReply(em: EntityManager, tenantId: string, query: z.infer<typeof awaitingQuerySchema>): Promise<AwaitingConversation[]> {
  const rows = await sql<Record<string, unknown>>(em, awaitingReplySql(Boolean(query.inboxId)),
    [tenantId, ...(query.inboxId ? [query.inboxId] : []), query.limit]);
  return rows.map((row) => ({ ...toConversationDto(conversationFromRow(row)), awaitingSince: new Date(row.awaiting_since as string).toISOString() }));
}

export interface OpenByEntityRow {
  /** Null: threads attached to no record. */
  entityType: EntityType | null;
  openConversations: number;
  messageCount: number;
  /** The latest message of those threads; null when they have none. */
  lastActivityAt: string | null;
}

/** Open threads per entity type: every thread not closed, grouped by the type of record it hangs off, most first. */
export const openByEntityTypeSql = `
  select entity_type, count(*) as n, coalesce(sum(message_count), 0) as messages, max(last_message_at) as last_activity_at
  from conversations where tenant_id = ? and status in ${NOT_CLOSED}
  group by entity_type order by count(*) desc, entity_type nulls last`;

export async function openByEntityType(em: EntityManager, tenantId: string): Promise<OpenByEntityRow[]> {
  const rows = await sql<{ entity_type: EntityType | null; n: number | string; messages: number | string; last_activity_at: Date | string | null }>(
    em, openByEntityTypeSql, [tenantId]);
  return rows.map((r) => ({
    entityType: r.entity_type, openConversations: Number(r.n), messageCount: Number(r.messages),
    lastActivityAt: r.last_activity_at ? new Date(r.last_activity_at).toISOString() : null,
  }));
}
