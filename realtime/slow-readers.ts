// Slow readers: a client that stops reading makes the server hold everything sent to it. A socket whose
// outgoing backlog (packets Engine.IO has not handed over yet, plus bytes the websocket has queued in
// user space) passes the limit is cut, so that it costs no more memory and others are not held up.
import type { Logger } from 'pino';
import type { AppServer, AppSocket } from './types.ts';

const CHECK_EVERY_MS = 250;

/** Bytes waiting to go out to this client, as far as this process holds them. */
export function backlogBytes(socket: AppSocket): number {
  const conn = socket.conn as unknown as { writeBuffer?: { data?: unknown }[]; transport?: { socket?: { bufferedAmount?: number } } };
  let bytes = conn.transport?.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) {
    const data = packet.data;
    bytes += typeof data === 'string' ? data.length : (data as { byteLength?: number } | undefined)?.byteLength ?? 0;
  }
  return bytes;
}

export function startSlowReaderGuard(io: AppServer, maxBytes: number, logger: Logger): () => void {
  const timer = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const bytes = backlogBytes(socket);
      if (bytes <= maxBytes) continue;
      logger.warn({ socketId: socket.id, userId: socket.data.userId, tenantId: socket.data.tenantId, bytes }, 'slow reader disconnected');
      socket.disconnect(true);
      // A close frame would wait behind the backlog: drop the connection itself.
      (socket.conn as unknown as { transport?: { socket?: { terminate?: () => void } } }).transport?.socket?.terminate?.();
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
