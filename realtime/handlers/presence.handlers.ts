// presence:set, and presence as a person's sockets come and go (bots have no presence).
import type { PresenceService } from '../../src/platform/presence/presence.service.ts';
import { handle, type HandleDeps } from '../handle.ts';
import type { AppSocket } from '../types.ts';


export interface PresenceHandlerDeps extends HandleDeps {
  presence: PresenceService;
}

export function registerPresenceHandlers(deps: PresenceHandlerDeps, socket: AppSocket): void {
  const { tenantId, userId, kind } = socket.data;
  if (kind === 'bot') {
    handle(deps, socket, 'presence:set', async () => ({}));
    return;
  }
  const joined = deps.presence.connected(tenantId, userId, socket.id);
  socket.on('disconnect', () => {
    void joined.then(() => deps.presence.disconnected(tenantId, userId, socket.id));
  });
  handle(deps, socket, 'presence:set', async (_ctx, { status }) => {
    await joined;
    await deps.presence.choose(tenantId, userId, status);
    return {};
  });
}
