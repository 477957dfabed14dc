// The Socket.IO Redis adapter on dedicated ioredis connections. While Redis is away, publishing fails fast
// (no offline queue, so nothing piles up in memory) and is swallowed: the adapter still emits to this
// node's own sockets. What the other nodes should have heard is gone, so the adapter reports the gap: `down`
// when a connection drops or a publish fails, `up` once both connections are back and the subscriber has
// resubscribed; the realtime layer then tells every client to catch up (see adapter-gap.ts).
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { closeRedis } from '../src/platform/redis-close.ts';

export type AdapterMode = 'classic' | 'sharded';

export interface AdapterHealth {
  /** Called once per gap: with the reason when it starts, with null when it is over. */
  onChange(listener: (gap: string | null) => void): void;
  readonly down: boolean;
}

export interface RedisAdapter {
  adapter: ReturnType<typeof createAdapter>;
  health: AdapterHealth;
  close(): Promise<void>;
}

type SettledMethod = 'publish' | 'spublish' | 'subscribe' | 'psubscribe' | 'ssubscribe' | 'unsubscribe' | 'punsubscribe' | 'sunsubscribe';

/** The adapter calls these methods without catching: a failure goes to `onFailure`, and the call answers 0. */
function tolerant(client: Redis, methods: readonly SettledMethod[], onFailure: (err: Error, method: SettledMethod) => void): void {
  for (const method of methods) {
    const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
      original(...args).catch((err: Error) => {
        onFailure(err, method);
        return 0;
      });
  }
}

/**
 * The adapter subscribes (and the sharded one unsubscribes as rooms empty) without catching. While Redis is away
 * those commands wait in the subscriber's offline queue, and closing the connection (a node stopping) rejects them:
 * unhandled, that rejection ended the process. A subscription change whose connection closed has nothing left to do.
 */
export function quietSubscriptions(client: Redis, logger: Logger): void {
  tolerant(client, ['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe'],
    (err, method) => logger.debug({ err: err.message, method }, 'redis adapter subscription change not made'));
}

function trackHealth(pub: Redis, sub: Redis, logger: Logger): AdapterHealth & { markDown(reason: string): void; closing(): void } {
  const listeners: ((gap: string | null) => void)[] = [];
  let down = false;
  let closing = false;
  const notify = (gap: string | null) => { for (const listener of listeners) listener(gap); };
  const markDown = (reason: string) => {
    if (down || closing) return;
    down = true;
    logger.warn({ reason }, 'redis adapter down: broadcasting to this node only');
    notify(reason);
  };
  const maybeUp = async () => {
    if (!down || closing || pub.status !== 'ready' || sub.status !== 'ready') return;
    // A command answered on the subscriber connection comes after its resubscriptions: from here on nothing is missed.
    await sub.ping().catch(() => undefined);
    if (!down || closing || pub.status !== 'ready' || sub.status !== 'ready') return;
    down = false;
    logger.info('redis adapter back: clients are told to resync');
    notify(null);
  };
  for (const client of [pub, sub]) {
    client.on('close', () => markDown('redis connection lost'));
    client.on('ready', () => { void maybeUp(); });
  }
  return {
    onChange: (listener) => { listeners.push(listener); },
    get down() { return down; },
    markDown,
    closing: () => { closing = true; },
  };
}

/** The major version in `INFO server`'s answer, or null. */
export function redisMajorVersion(info: string): number | null {
  const match = /^redis_version:(\d+)\./m.exec(info);
  return match ? Number(match[1]) : null;
}

/**
 * Sharded pub/sub came with Redis 7: on an older server nothing would cross nodes, silently. Asked each time the
 * publishing connection is ready; an old server is reported as an adapter gap (health answers 503 with the
 * reason, clients hear `server:degraded`), so that the operator sets REDIS_ADAPTER=classic.
 */
function refuseOldRedis(pub: Redis, markDown: (reason: string) => void, logger: Logger): void {
  pub.on('ready', () => {
    pub.info('server').then((info) => {
      const major = redisMajorVersion(info);
      if (major === null || major >= 7) return;
      const reason = `Redis ${major} has no sharded pub/sub (7.0 and later): set REDIS_ADAPTER=classic on every node`;
      logger.error(reason);
      markDown(reason);
    }, (err: Error) => logger.debug({ err: err.message }, 'redis version not read'));
  });
}

export function createRedisAdapter(url: string, mode: AdapterMode, logger: Logger): RedisAdapter {
  const pub = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  // The subscriber keeps its subscriptions across reconnects (ioredis resubscribes by itself).
  const sub = new Redis(url, { maxRetriesPerRequest: null });
  for (const client of [pub, sub]) client.on('error', (err) => logger.debug({ err: err.message }, 'redis adapter connection error'));
  const health = trackHealth(pub, sub, logger);
  quietSubscriptions(sub, logger);
  tolerant(pub, [mode === 'sharded' ? 'spublish' : 'publish'], (err) => health.markDown(`redis publish failed: ${err.message}`));
  const adapter = mode === 'sharded' ? createShardedAdapter(pub, sub) : createAdapter(pub, sub);
  if (mode === 'sharded') refuseOldRedis(pub, health.markDown, logger);
  return {
    adapter: adapter as ReturnType<typeof createAdapter>,
    health,
    async close() {
      health.closing();
      await Promise.all([pub, sub].map(closeRedis));
    },
  };
}
