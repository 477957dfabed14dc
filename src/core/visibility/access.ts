// Who sees a thread of a masked inbox in full: admins, the assignee, the authors of its messages,
// the users among its recipients, and users granted access. Permissions are per thread.
import type { EntityManager } from '@mikro-orm/core';
import type { Role } from '../../platform/auth/principal.ts';
import { sql } from '../../platform/db/sql.ts';

export interface Viewer {
  userId: string;
  role: Role;
}

// One query for any number of threads; each branch is an index probe (see the entities' indexes).
const FULL_ACCESS = `
  select c.id from conversations c
  where c.id in (select value::uuid from jsonb_array_elements_text(?::jsonb))
    and (c.visibility = 'share_everything' or c.assignee_id = ?
      or exists (select 1 from messages m where m.conversation_id = c.id and m.author_id = ?)
      or exists (select 1 from message_recipients r where r.conversation_id = c.id and r.user_id = ?)
      or exists (select 1 from conversation_grants g where g.conversation_id = c.id and g.user_id = ?))`;

/**
 * The same condition over a conversation row `c` inside a larger statement (search), for a viewer who is not an
 * admin: the SQL and its positional parameters, in order.
 */
export function fullAccessCondition(viewerId: string): { sql: string; params: string[] } {
  return {
    sql: `(c.visibility = 'share_everything' or c.assignee_id = ?
      or exists (select 1 from messages a where a.conversation_id = c.id and a.author_id = ?)
      or exists (select 1 from message_recipients r where r.conversation_id = c.id and r.user_id = ?)
      or exists (select 1 from conversation_grants g where g.conversation_id = c.id and g.user_id = ?))`,
    params: [viewerId, viewerId, viewerId, viewerId],
  };
}

/** Of these conversation ids, those the viewer sees in full. */
export async function fullAccessIds(em: EntityManager, viewer: Viewer, ids: string[]): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  if (viewer.role === 'admin' || !unique.length) return new Set(unique);
  const rows = await sql<{ id: string }>(em, FULL_ACCESS, [JSON.stringify(unique), viewer.userId, viewer.userId, viewer.userId, viewer.userId]);
  return new Set(rows.map((r) => r.id));
}

export async function hasFullAccess(em: EntityManager, viewer: Viewer, conversationId: string): Promise<boolean> {
  return (await fullAccessIds(em, viewer, [conversationId])).has(conversationId);
}

/** For a user known only by id (a previous assignee, a revoked grant). */
export async function userHasFullAccess(em: EntityManager, userId: string, conversationId: string): Promise<boolean> {
  const [user] = await sql<{ role: Role }>(em, 'select role from users where id = ?', [userId]);
  return !!user && hasFullAccess(em, { userId, role: user.role }, conversationId);
}

/** Users other than admins who see the thread in full (for live broadcasts). */
export async function participantsOf(em: EntityManager, conversationId: string): Promise<string[]> {
  const rows = await sql<{ user_id: string }>(em, `
    select assignee_id as user_id from conversations where id = ? and assignee_id is not null
    union select author_id from messages where conversation_id = ? and author_id is not null
    union select user_id from message_recipients where conversation_id = ? and user_id is not null
    union select user_id from conversation_grants where conversation_id = ?`,
  [conversationId, conversationId, conversationId, conversationId]);
  return rows.map((r) => r.user_id);
}
