// Read cursors and unread counts (PROTOCOL §4): unread = messages above the user's cursor not written
// by them (internal notes count for people only, a whisper for its addressee only); totalUnread sums it over the user's assigned conversations.
import type { EntityManager } from '@mikro-orm/core';
import { sql } from '../../platform/db/sql.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import type { CallContext } from '../../platform/call-context.ts';
import { getConversation } from '../conversations/conversations.service.ts';

export interface Reader {
  userId: string;
  isBot: boolean;
}

/**
 * Remembers that the user follows the conversation (joined it), without moving their cursor, and answers the
 * cursor and the unread count: from them and `message:new` a joined client keeps its own count.
 */
export async function follow(em: EntityManager, reader: Reader, tenantId: string, conversationId: string): Promise<{ readSeq: number; unread: number; lastSeq: number }> {
  await sql(em, `insert into read_cursors (id, tenant_id, user_id, conversation_id, last_read_seq, updated_at)
    values (?, ?, ?, ?, 0, now()) on conflict (user_id, conversation_id) do nothing`,
  [crypto.randomUUID(), tenantId, reader.userId, conversationId]);
  const [row] = await sql<{ read_seq: number; unread: string | number; last_seq: number }>(em, `
    select c.last_seq, ${cursorOf('c', 'r.user_id')} as read_seq, ${unreadSql('c', 'r.user_id', 'r.is_bot', cursorOf('c', 'r.user_id'))} as unread
    from conversations c, (select ?::uuid as user_id, ?::boolean as is_bot) r
    where c.id = ? and c.tenant_id = ?`, [reader.userId, reader.isBot, conversationId, tenantId]);
  return { readSeq: Number(row?.read_seq ?? 0), unread: Number(row?.unread ?? 0), lastSeq: Number(row?.last_seq ?? 0) };
}

/**
 * Unread of user `u` (a bot when `b`) in conversation `c` above cursor `cur`, as SQL. `seq` is gap-free, so
 * `last_seq - cursor` messages lie above the cursor; the reader's own ones (and, for a bot, internal notes)
 * are counted through the (conversation, author) index instead of scanning everything unread.
 */
const unreadSql = (c: string, u: string, b: string, cur: string) => `greatest(0, ${c}.last_seq - ${cur}
  - (select count(*) from messages m where m.conversation_id = ${c}.id and m.author_id = ${u} and m.seq > ${cur})
  - case when ${b} then (select count(*) from messages m where m.conversation_id = ${c}.id and m.direction = 'internal'
      and m.author_id is distinct from ${u} and m.seq > ${cur})
    else (select count(*) from messages m where m.conversation_id = ${c}.id and m.seq > ${cur} and m.whisper_to_id is not null
      and m.whisper_to_id <> ${u} and m.author_id is distinct from ${u}) end)`;

const cursorOf = (c: string, u: string) =>
  `coalesce((select last_read_seq from read_cursors rc where rc.user_id = ${u} and rc.conversation_id = ${c}.id), 0)`;

/** Sum over the conversations assigned to `u`. */
const totalSql = (u: string, b: string) => `(select coalesce(sum(${unreadSql('ac', u, b, cursorOf('ac', u))}), 0)
  from conversations ac where ac.tenant_id = ? and ac.assignee_id = ${u})`;

/** The reader's unread in one conversation only (markRead compares it before and after). */
async function unreadIn(em: EntityManager, reader: Reader, tenantId: string, conversationId: string): Promise<number> {
  const [row] = await sql<{ unread: string | number }>(em, `
    select ${unreadSql('c', 'r.user_id', 'r.is_bot', cursorOf('c', 'r.user_id'))} as unread
    from conversations c, (select ?::uuid as user_id, ?::boolean as is_bot) r
    where c.id = ? and c.tenant_id = ?`, [reader.userId, reader.isBot, conversationId, tenantId]);
  return Number(row?.unread ?? 0);
}

export interface UnreadCounts { unread: number; totalUnread: number; seq: number }

export async function unreadCounts(em: EntityManager, reader: Reader, tenantId: string, conversationId: string): Promise<UnreadCounts> {
  const [row] = await sql<{ unread: string | number; total: string | number; seq: number }>(em, `
    select ${unreadSql('c', 'r.user_id', 'r.is_bot', cursorOf('c', 'r.user_id'))} as unread, ${totalSql('r.user_id', 'r.is_bot')} as total, c.last_seq as seq
    from conversations c, (select ?::uuid as user_id, ?::boolean as is_bot) r
    where c.id = ? and c.tenant_id = ?`, [tenantId, reader.userId, reader.isBot, conversationId, tenantId]);
  return { unread: Number(row?.unread ?? 0), totalUnread: Number(row?.total ?? 0), seq: Number(row?.seq ?? 0) };
}

/** Sends the reader their current counts for the conversation. */
export async function publishUnread(em: EntityManager, bus: EventBus, tenantId: string, reader: Reader, conversationId: string): Promise<void> {
  bus.publish({ type: 'unread.changed', tenantId, userId: reader.userId, conversationId, ...(await unreadCounts(em, reader, tenantId, conversationId)) });
}

/** Moves the cursor forward to `seq` (never back, never past the last message) and answers the counts. */
export async function markRead(
  em: EntityManager, bus: EventBus, tenantId: string, reader: Reader, conversationId: string, seq: number,
): Promise<UnreadCounts> {
  const before = await unreadIn(em, reader, tenantId, conversationId);
  await sql(em, `insert into read_cursors (id, tenant_id, user_id, conversation_id, last_read_seq, updated_at)
    select ?, ?, ?, c.id, least(?, c.last_seq), now() from conversations c where c.id = ? and c.tenant_id = ?
    on conflict (user_id, conversation_id) do update
      set last_read_seq = greatest(read_cursors.last_read_seq, excluded.last_read_seq), updated_at = now()`,
  [crypto.randomUUID(), tenantId, reader.userId, seq, conversationId, tenantId]);
  const counts = await unreadCounts(em, reader, tenantId, conversationId);
  if (counts.unread !== before) {
    bus.publish({ type: 'unread.changed', tenantId, userId: reader.userId, conversationId, ...counts });
  }
  return counts;
}

/** The caller reads a conversation up to `seq` (it must be one they can see). */
export async function readUpTo({ em, bus, principal }: CallContext, conversationId: string, seq: number): Promise<UnreadCounts> {
  await getConversation(em, conversationId);
  return markRead(em, bus, principal.tenantId, { userId: principal.userId, isBot: principal.kind === 'bot' }, conversationId, seq);
}

/**
 * After new messages: the assignee (unless they wrote them all) gets new counts, their `totalUnread` included,
 * which no client can derive. Others who joined the conversation derive theirs from `message:new`.
 */
export async function notifyUnread(em: EntityManager, bus: EventBus, tenantId: string, conversationId: string, assigneeId: string): Promise<void> {
  const [row] = await sql<{ unread: string | number; total: string | number; seq: number }>(em, `
    select ${unreadSql('c', 'r.user_id', 'false', cursorOf('c', 'r.user_id'))} as unread, ${totalSql('r.user_id', 'false')} as total, c.last_seq as seq
    from conversations c, (select ?::uuid as user_id) r where c.id = ? and c.tenant_id = ?`,
  [tenantId, assigneeId, conversationId, tenantId]);
  if (!row) return;
  bus.publish({
    type: 'unread.changed', tenantId, userId: assigneeId, conversationId, unread: Number(row.unread), totalUnread: Number(row.total), seq: Number(row.seq),
  });
}
