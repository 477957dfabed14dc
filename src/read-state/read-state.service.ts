// Read cursors and unread counts (PROTOCOL §4): unread = messages above the user's cursor not written
// by them (internal notes count for people only); totalUnread sums it over the user's assigned conversations.
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

export async function unreadIn(em: EntityManager, reader: Reader, conversationId: string): Promise<number> {
  const [row] = await sql<{ n: string | number }>(em, `
    select count(*) as n from messages m
    where m.conversation_id = ?
      and m.seq > coalesce((select last_read_seq from read_cursors where user_id = ? and conversation_id = ?), 0)
      and m.author_id is distinct from ?
      and (? or m.direction <> 'internal')`,
  [conversationId, reader.userId, conversationId, reader.userId, !reader.isBot]);
  return Number(row.n);
}

export async function totalUnread(em: EntityManager, reader: Reader, tenantId: string): Promise<number> {
  const [row] = await sql<{ n: string | number }>(em, `
    select count(*) as n from conversations c
    left join read_cursors r on r.conversation_id = c.id and r.user_id = ?
    join messages m on m.conversation_id = c.id and m.seq > coalesce(r.last_read_seq, 0)
    where c.tenant_id = ? and c.assignee_id = ?
      and m.author_id is distinct from ?
      and (? or m.direction <> 'internal')`,
  [reader.userId, tenantId, reader.userId, reader.userId, !reader.isBot]);
  return Number(row.n);
}

export async function unreadCounts(em: EntityManager, reader: Reader, tenantId: string, conversationId: string): Promise<{ unread: number; totalUnread: number }> {
  return { unread: await unreadIn(em, reader, conversationId), totalUnread: await totalUnread(em, reader, tenantId) };
}

/** Sends the reader their current counts for the conversation. */
export async function publishUnread(em: EntityManager, bus: EventBus, tenantId: string, reader: Reader, conversationId: string): Promise<void> {
  bus.publish({ type: 'unread.changed', tenantId, userId: reader.userId, conversationId, ...(await unreadCounts(em, reader, tenantId, conversationId)) });
}

/** Moves the cursor forward to `seq` (never back, never past the last message) and answers the counts. */
export async function markRead(
  em: EntityManager, bus: EventBus, tenantId: string, reader: Reader, conversationId: string, seq: number,
): Promise<{ unread: number; totalUnread: number }> {
  const before = await unreadIn(em, reader, conversationId);
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

/** After a new message: the assignee and everyone following the conversation, except the author, get new counts. */
export async function notifyUnread(
  em: EntityManager, bus: EventBus, tenantId: string, conversationId: string, authorId: string | null, internal: boolean,
): Promise<void> {
  const readers = await sql<{ user_id: string; role: string }>(em, `
    select u.id as user_id, u.role from users u
    where u.tenant_id = ? and u.id is distinct from ? and (
      u.id = (select assignee_id from conversations where id = ? and tenant_id = ?)
      or u.id in (select user_id from read_cursors where conversation_id = ?))`,
  [tenantId, authorId, conversationId, tenantId, conversationId]);
  for (const r of readers) {
    const reader = { userId: r.user_id, isBot: r.role === 'bot' };
    if (internal && reader.isBot) continue; // an internal note changes no bot's count
    await publishUnread(em, bus, tenantId, reader, conversationId);
  }
}
