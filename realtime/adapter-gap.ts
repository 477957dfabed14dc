// What a node does about a gap in its adapter (Redis away, a publish lost): while it lasts its sockets hear
// `server:degraded` {degraded: true}; when it ends, every socket on every node hears `resync` and catches up
// from the database (joined conversations by seq, SLA breaches, the queue, presence), without reconnecting,
// and sockets re-read their sessions (a role change announced during the gap was lost with it).
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { AdapterHealth } from './redis-adapter.ts';
import { refreshAllLocalSessions } from './session-refresh.ts';
import type { AppServer, AppSocket } from './types.ts';

/** Several nodes ending the same gap tell each other at once: one resync per node in this window. */
const RESYNC_WINDOW_MS = 1000;

export function startAdapterGapRecovery(io: AppServer, health: AdapterHealth, orm: MikroORM, logger: Logger): { greet(socket: AppSocket): void } {
  let lastResync = 0;
  let since: string | null = null;

  const resyncLocal = (reason: string) => {
    if (Date.now() - lastResync < RESYNC_WINDOW_MS) return;
    lastResync = Date.now();
    io.local.emit('resync', { reason });
    refreshAllLocalSessions(io, orm).catch((err: unknown) => logger.error({ err }, 'refreshing sessions after an adapter gap failed'));
  };

  // Another node had a gap: what it published meanwhile never reached this node's sockets.
  io.on('adapter:gap', (reason: string) => resyncLocal(`another node: ${reason}`));

  health.onChange((gap) => {
    if (gap) {
      since = new Date().toISOString();
      io.local.emit('server:degraded', { degraded: true, reason: gap, since });
      return;
    }
    since = null;
    io.local.emit('server:degraded', { degraded: false, reason: null, since: null });
    io.serverSideEmit('adapter:gap', 'redis was away');
    resyncLocal('redis was away');
  });

  return {
    /** A socket that connects during a gap learns of it at once. */
    greet(socket) {
      if (health.down) socket.emit('server:degraded', { degraded: true, reason: 'redis is away', since });
    },
  };
}
