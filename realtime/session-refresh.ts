// Keeps open sockets in step with their user's row: after a role change (here or on another node, or
// after a gap in the adapter) each socket of the user re-reads role and activity, joins and leaves the role
// rooms, moves between the full and masked rooms of the threads it joined, and hears `session:updated`.
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Role } from '../src/contract/dto.ts';
import { sql } from '../src/platform/db/sql.ts';
import { systemEm, tenantEm } from '../src/platform/db/tenant-scope.ts';
import type { EventBus } from '../src/platform/events/domain-events.ts';
import { fullAccessIds } from '../src/core/visibility/access.ts';
import { rooms } from './rooms.ts';
import type { AppServer, AppSocket } from './types.ts';

const CONVERSATION_ROOM = /^conversation:([^:]+)(?::masked)?$/;

interface UserRow { id: string; tenant_id: string; role: Role; active: boolean }

/** The rooms a socket of this role belongs to besides its tenant's and its own. */
export function roleRooms(tenantId: string, role: Role): string[] {
  const out: string[] = [];
  if (role === 'admin' || role === 'supervisor') out.push(rooms.supervisors(tenantId));
  if (role === 'admin') out.push(rooms.admins(tenantId));
  if (role === 'bot') out.push(rooms.bots(tenantId));
  return out;
}

const ALL_ROLE_ROOMS = (tenantId: string) => [rooms.supervisors(tenantId), rooms.admins(tenantId), rooms.bots(tenantId)];

function localSocketsOf(io: AppServer, userIds: Iterable<string>): AppSocket[] {
  const out: AppSocket[] = [];
  for (const userId of userIds) {
    for (const id of io.of('/').adapter.rooms.get(rooms.user(userId)) ?? []) {
      const socket = io.of('/').sockets.get(id);
      if (socket) out.push(socket);
    }
  }
  return out;
}

async function applyRow(orm: MikroORM, socket: AppSocket, user: UserRow | undefined): Promise<void> {
  if (!user || !user.active) {
    socket.disconnect(true);
    return;
  }
  const { tenantId } = socket.data;
  const changed = socket.data.role !== user.role;
  socket.data.role = user.role;
  const wanted = new Set(roleRooms(tenantId, user.role));
  for (const room of ALL_ROLE_ROOMS(tenantId)) {
    if (wanted.has(room)) socket.join(room);
    else socket.leave(room);
  }
  const joined = new Set<string>();
  for (const room of socket.rooms) {
    const match = CONVERSATION_ROOM.exec(room);
    if (match) joined.add(match[1]);
  }
  if (joined.size) {
    const full = await fullAccessIds(tenantEm(orm, tenantId), { userId: user.id, role: user.role }, [...joined]);
    for (const id of joined) {
      const [to, from] = full.has(id) ? [rooms.conversation(id), rooms.conversationMasked(id)] : [rooms.conversationMasked(id), rooms.conversation(id)];
      if (!socket.rooms.has(from)) continue;
      socket.leave(from);
      socket.join(to);
    }
  }
  if (changed) socket.emit('session:updated', { userId: user.id, role: user.role });
}

/** Re-reads these users (one query) and applies their rows to their sockets on this node. */
export async function refreshLocalSessions(io: AppServer, orm: MikroORM, userIds: Iterable<string>): Promise<void> {
  const sockets = localSocketsOf(io, new Set(userIds));
  if (!sockets.length) return;
  const ids = [...new Set(sockets.map((s) => s.data.userId))];
  const users = await sql<UserRow>(systemEm(orm), 'select id, tenant_id, role, active from users where id in (select value::uuid from jsonb_array_elements_text(?::jsonb))', [JSON.stringify(ids)]);
  const byId = new Map(users.map((u) => [u.id, u]));
  await Promise.all(sockets.map((s) => applyRow(orm, s, byId.get(s.data.userId))));
}

/** Every user with a socket on this node: after an adapter gap, when another node's word may have been lost. */
export function refreshAllLocalSessions(io: AppServer, orm: MikroORM): Promise<void> {
  const ids = new Set<string>();
  for (const socket of io.of('/').sockets.values()) ids.add(socket.data.userId);
  return refreshLocalSessions(io, orm, ids);
}

/** Role changes reach this node's sockets at once, and the other nodes' through the adapter. */
export function startSessionRefresh(io: AppServer, bus: EventBus, orm: MikroORM, clustered: boolean, logger: Logger): () => Promise<void> {
  const failed = (err: unknown) => logger.error({ err }, 'refreshing open sessions failed');
  if (clustered) io.on('user:changed', (userId: string) => { refreshLocalSessions(io, orm, [userId]).catch(failed); });
  return bus.on('user.changed', async ({ userId }) => {
    if (clustered) io.serverSideEmit('user:changed', userId);
    await refreshLocalSessions(io, orm, [userId]);
  }, failed);
}
