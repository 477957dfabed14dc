// presence:set, and presence changes as sockets come and go.
import { z } from 'zod';
import { PRESENCE_STATUSES } from '../../entities/enums.ts';
import type { PresenceStatus } from '../../src/contract/dto.ts';
import type { LocalPresence } from '../../src/presence/local-presence.ts';
import { handle, type HandleDeps } from '../handle.ts';
import { rooms } from '../rooms.ts';
import type { AppServer, AppSocket } from '../server.ts';

const presenceSchema = z.object({ status: z.enum(PRESENCE_STATUSES) }).strict();

export interface PresenceHandlerDeps extends HandleDeps {
  io: AppServer;
  presence: LocalPresence;
}

function announce(io: AppServer, socket: AppSocket, status: PresenceStatus | null): void {
  if (status) io.to(rooms.tenant(socket.data.tenantId)).emit('presence', { userId: socket.data.userId, status });
}

export function registerPresenceHandlers(deps: PresenceHandlerDeps, socket: AppSocket): void {
  if (socket.data.kind === 'bot') return;
  announce(deps.io, socket, deps.presence.connected(socket.data.userId));
  socket.on('disconnect', () => announce(deps.io, socket, deps.presence.disconnected(socket.data.userId)));
  handle(deps, socket, 'presence:set', presenceSchema, async (_ctx, { status }) => {
    announce(deps.io, socket, deps.presence.choose(socket.data.userId, status));
    return {};
  });
}
