// The Socket.IO server on the HTTP server's port: handshake auth, the rooms every socket joins, handlers.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { Server } from 'socket.io';
import type { Authenticator } from '../src/platform/auth/authenticate.ts';
import type { EventBus } from '../src/platform/events/domain-events.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { Routing } from '../src/routing/routing-port.ts';
import type { MessageSender } from '../src/core/messages/send.service.ts';
import type { PresenceService } from '../src/platform/presence/presence.service.ts';
import { handshakeAuth } from './auth.ts';
import { startBroadcaster } from './broadcaster.ts';
import { participantsOf } from '../src/core/visibility/access.ts';
import { tenantEm } from '../src/platform/db/tenant-scope.ts';
import { registerAssignmentHandlers } from './handlers/assignment.handlers.ts';
import { registerConversationHandlers } from './handlers/conversation.handlers.ts';
import { registerMessageHandlers } from './handlers/message.handlers.ts';
import { registerPresenceHandlers } from './handlers/presence.handlers.ts';
import { answerUnknownEvents } from './handle.ts';
import { startRevocation } from './revocation.ts';
import { startSlowReaderGuard } from './slow-readers.ts';
import { InFlight } from './in-flight.ts';
import { createRedisAdapter, type AdapterMode } from './redis-adapter.ts';
import { rooms } from './rooms.ts';
import { TypingTracker } from './typing.ts';
import type { AppServer } from './types.ts';
import { roleRooms, startSessionRefresh } from './session-refresh.ts';
import { startNodeRelay } from './node-relay.ts';
import { startAdapterGapRecovery } from './adapter-gap.ts';
import { corkFlushes } from './write-combining.ts';

export type { AppServer, AppSocket } from './types.ts';

export interface RealtimeDeps {
  orm: MikroORM;
  logger: Logger;
  bus: EventBus;
  clock: Clock;
  authenticate: Authenticator;
  presence: PresenceService;
  routing: Routing;
  allowedOrigins: string[];
  /** Behind a reverse proxy: its X-Forwarded-Proto and -Host name the origin browsers use. */
  trustProxy: boolean;
  messages: MessageSender;
  sendRate: number;
  typingRate: number;
  maxBacklogBytes: number;
  maxSocketsPerUser: number;
  /** Cross-node broadcasting; without it, one node (Socket.IO's in-memory adapter). */
  redis?: { url: string; mode: AdapterMode };
}

const MAX_HTTP_BUFFER = 1024 * 1024;
/** How long a stopping node waits for running handlers (SIGTERM must exit within 10 s). */
const IN_FLIGHT_GRACE_MS = 5000;

/** The first value of a header a proxy may have set (`a, b` lists hops, nearest last). */
const firstHeader = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;

/** The origin a browser sees for this server: scheme and host as received, or as the trusted proxy forwarded them. */
export function ownOrigin(req: IncomingMessage, trustProxy: boolean): string | null {
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = (trustProxy && firstHeader(req.headers['x-forwarded-proto'])) || (encrypted ? 'https' : 'http');
  const host = (trustProxy && firstHeader(req.headers['x-forwarded-host'])) || req.headers.host;
  return host ? `${proto}://${host}`.toLowerCase() : null;
}

/** Exact-match origins (scheme, host and port); a request without Origin (bots, servers) is judged by its token alone. */
function originAllowed(req: IncomingMessage, allowed: string[], trustProxy: boolean): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).origin === ownOrigin(req, trustProxy);
  } catch {
    return false;
  }
}

export function createRealtime(httpServer: HttpServer, deps: RealtimeDeps): { io: AppServer; close(): Promise<void> } {
  const redis = deps.redis ? createRedisAdapter(deps.redis.url, deps.redis.mode, deps.logger) : null;
  const io: AppServer = new Server(httpServer, {
    ...(redis ? { adapter: redis.adapter } : {}),
    maxHttpBufferSize: MAX_HTTP_BUFFER,
    cors: { origin: deps.allowedOrigins, credentials: false },
    allowRequest: (req, callback) => callback(null, originAllowed(req, deps.allowedOrigins, deps.trustProxy)),
  });
  corkFlushes(io);
  io.use(handshakeAuth(deps.authenticate, deps.maxSocketsPerUser, (userId) => io.of('/').adapter.rooms.get(rooms.user(userId))?.size ?? 0));
  const typing = new TypingTracker();
  const participants = (tenantId: string, conversationId: string) => participantsOf(tenantEm(deps.orm, tenantId), conversationId);
  const stopBroadcaster = startBroadcaster(io, deps.bus, participants, deps.logger);
  const stopRevocation = startRevocation(io, deps.bus, deps.orm, deps.logger);
  const stopSessionRefresh = startSessionRefresh(io, deps.bus, deps.orm, Boolean(redis), deps.logger);
  const stopNodeRelay = startNodeRelay(io, deps.bus, Boolean(redis));
  const gaps = redis ? startAdapterGapRecovery(io, redis.health, deps.orm, deps.logger) : null;
  const stopSlowReaderGuard = startSlowReaderGuard(io, deps.maxBacklogBytes, deps.logger);

  const inFlight = new InFlight();
  const base = { orm: deps.orm, logger: deps.logger, inFlight, bus: deps.bus, clock: deps.clock };
  io.on('connection', (socket) => {
    const { tenantId, userId, role } = socket.data;
    void socket.join([rooms.tenant(tenantId), rooms.user(userId), ...roleRooms(tenantId, role), ...(socket.data.inboxIds ?? []).map(rooms.inbox)]);
    socket.emit('session', { userId, tenantId, role, name: socket.data.name });
    gaps?.greet(socket);
    registerConversationHandlers({ ...base, routing: deps.routing, typing, typingRate: deps.typingRate }, socket);
    registerAssignmentHandlers({ ...base, routing: deps.routing }, socket);
    registerMessageHandlers({ ...base, messages: deps.messages, sendRate: deps.sendRate }, socket);
    registerPresenceHandlers({ ...base, presence: deps.presence }, socket);
    socket.on('disconnect', () => typing.stopAll(socket));
    answerUnknownEvents(socket);
  });

  return {
    io,
    // Closes this node's sockets (clients reconnect to another node) but leaves the HTTP server to its owner.
    async close() {
      stopBroadcaster();
      stopRevocation();
      await stopSessionRefresh();
      await stopNodeRelay();
      stopSlowReaderGuard();
      io.local.disconnectSockets(true);
      io.engine.close();
      await inFlight.idle(IN_FLIGHT_GRACE_MS);
      await redis?.close();
    },
  };
}
