// Read cursors and unread counts (PROTOCOL §4): unread = messages above the user's cursor not written
// by them (internal notes count for people only, a whisper for its addressee only); totalUnread sums it over the user's assigned conversations.
import type { EntityManager } from '@mikro-orm/core';
import { sql } from '../db/sql.ts';
import type { EventBus } from '../events/domain-events.ts';

export interface Reader {
  userId: string;
  isBot: boolean;
}

/** Remembers that the user follows the conversation (joined it), without moving their cursor. */
export async function follow(em: EntityManager, tenantId: string, userId: string, conversationId: string): Promise<void> {
  await sql(em, `insert into read_cursors (id, tenant_id, user_id, conversation_id, last_read_seq, updated_at)
    values (?, ?, ?, ?, 0, now()) on conflict (user_id, conversation_id) do nothing`,
  [crypto.randomUUID(), tenantId, userId, conversationId]);
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

export async function unreadCounts(em: EntityManager, reader: Reader, tenantId: string, conversationId: string): Promise<{ unread: number; totalUnread: number }> {
  const [row] = await sql<{ unread: string | number; total: string | number }>(em, `
    select ${unreadSql('c', 'r.user_id', 'r.is_bot', cursorOf('c', 'r.user_id'))} as unread, ${totalSql('r.user_id', 'r.is_bot')} as total
    from conversations c, (select ?::uuid as user_id, ?::boolean as is_bot) r
    where c.id = ? and c.tenant_id = ?`, [tenantId, reader.userId, reader.isBot, conversationId, tenantId]);
  return { unread: Number(row?.unread ?? 0), totalUnread: Number(row?.total ?? 0) };
}

/** Sends the reader their current counts for the conversation. */
export async function publishUnread(em: EntityManager, bus: EventBus, tenantId: string, reader: Reader, conversationId: string): Promise<void> {
  bus.publish({ type: 'unread.changed', tenantId, userId: reader.userId, conversationId, ...(await unreadCounts(em, reader, tenantId, conversationId)) });
}

/** Moves the cursor forward to `seq` (never back, never past the last message) and answers the counts. */
export async function markRead(
  em: EntityManager, bus: EventBus, tenantId: string, reader: Reader, conversationId: string, seq: number,
): Promise<{ unread: number; totalUnread: number }> {
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

/** After a new message: the assignee and everyone following the conversation, except the author, get new counts (one query). */
export async function notifyUnread(
  em: EntityManager, bus: EventBus, tenantId: string, conversationId: string, authorId: string | null, internal: boolean,
): Promise<void> {
  const rows = await sql<{ user_id: string; unread: string | number; total: string | number }>(em, `
    with r as (
      select u.id as user_id, u.role = 'bot' as is_bot from users u
      where u.tenant_id = ? and u.id is distinct from ? and not (?::boolean and u.role = 'bot') and (
        u.id = (select assignee_id from conversations where id = ? and tenant_id = ?)
        or u.id in (select user_id from read_cursors where conversation_id = ?)))
    select r.user_id, ${unreadSql('c', 'r.user_id', 'r.is_bot', cursorOf('c', 'r.user_id'))} as unread, ${totalSql('r.user_id', 'r.is_bot')} as total
    from r, conversations c where c.id = ? and c.tenant_id = ?`,
  [tenantId, authorId, internal, conversationId, tenantId, conversationId, tenantId, conversationId, tenantId]);
  // An internal note changes no bot's count, so bots are left out of it above.
  for (const row of rows) {
    bus.publish({ type: 'unread.changed', tenantId, userId: row.user_id, conversationId, unread: Number(row.unread), totalUnread: Number(row.total) });
  }
}
