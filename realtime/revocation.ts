// Access revoked: a deactivated or revoked user's sockets (or one revoked bot key's) are closed everywhere; a member removed from an inbox
// leaves that inbox's conversation rooms on every node and hears nothing more from them.
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { Conversation } from '../entities/index.ts';
import { tenantEm } from '../src/platform/db/tenant-scope.ts';
import type { EventBus } from '../src/platform/events/domain-events.ts';
import { rooms } from './rooms.ts';
import type { AppServer } from './types.ts';

const CONVERSATION_ROOM = /^conversation:([^:]+)(?::masked)?$/;

export function startRevocation(io: AppServer, bus: EventBus, orm: MikroORM, logger: Logger): () => void {
  return bus.on('access.revoked', async ({ tenantId, userId, inboxId, keyId }) => {
    if (keyId) {
      // One bot key: only the sockets opened with it, on every node.
      for (const s of await io.in(rooms.user(userId)).fetchSockets()) if (s.data.keyId === keyId) s.disconnect(true);
      return;
    }
    if (!inboxId) {
      io.in(rooms.user(userId)).disconnectSockets(true);
      return;
    }
    io.in(rooms.user(userId)).socketsLeave(rooms.inbox(inboxId));
    const sockets = await io.in(rooms.user(userId)).fetchSockets();
    const joined = new Set<string>();
    for (const s of sockets) for (const room of s.rooms) {
      const match = CONVERSATION_ROOM.exec(room);
      if (match) joined.add(match[1]);
    }
    if (!joined.size) return;
    const inInbox = await tenantEm(orm, tenantId).find(Conversation, { id: { $in: [...joined] }, inbox: inboxId }, { fields: ['id'] });
    const leave = inInbox.flatMap((c) => [rooms.conversation(c.id), rooms.conversationMasked(c.id)]);
    for (const s of sockets) for (const room of leave) s.leave(room);
  }, (err) => logger.error({ err }, 'revoking access failed'));
}
