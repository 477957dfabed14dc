// The Socket.IO Redis adapter on dedicated ioredis connections. While Redis is away, publishing fails fast
// (no offline queue, so nothing piles up in memory) and is swallowed: the adapter still emits to this
// node's own sockets, and clients close their gaps with conversation:sync once Redis is back.
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedis } from '../src/redis-close.ts';

export type AdapterMode = 'classic' | 'sharded';

export interface RedisAdapter {
  adapter: ReturnType<typeof createAdapter>;
  close(): Promise<void>;
}

function tolerant(client: Redis, method: 'publish' | 'spublish', logger: Logger): void {
  const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
  let warned = false;
  (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
    original(...args).then((result) => { warned = false; return result; }, (err: Error) => {
      // One line per outage, not one per emit.
      if (!warned) logger.warn({ err: err.message }, 'redis publish failed; broadcasting to this node only');
      warned = true;
      return 0;
    });
}

export function createRedisAdapter(url: string, mode: AdapterMode, logger: Logger): RedisAdapter {
  const pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // The subscriber keeps its subscriptions across reconnects (ioredis resubscribes by itself).
  const sub = new Redis(url, { maxRetriesPerRequest: null });
  for (const client of [pub, sub]) client.on('error', (err) => logger.debug({ err: err.message }, 'redis adapter connection error'));
  tolerant(pub, mode === 'sharded' ? 'spublish' : 'publish', logger);
  const adapter = mode === 'sharded' ? createShardedAdapter(pub, sub) : createAdapter(pub, sub);
  return {
    adapter: adapter as ReturnType<typeof createAdapter>,
    async close() {
      await Promise.all([pub, sub].map(closeRedis));
    },
  };
}
