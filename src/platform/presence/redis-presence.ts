// Presence shared by every node through Redis. Each socket is a member of its user's sorted set, scored by
// when it expires; nodes refresh their own sockets, and any node fades out users whose sockets all expired
// (a crashed node's). Each transition is decided inside one Lua script, so exactly one caller reports it.
import type { Redis } from 'ioredis';
import type { PresenceStatus } from '../../contract/dto.ts';
import { effectiveStatus, type PresenceChange, type PresenceStore } from './presence-store.ts';

/** A socket not refreshed for this long is gone; with a sweep every 5 s a dead node's users fade within 25 s. */
export const SOCKET_TTL_MS = 20_000;

const CONNECT = `
local alive = redis.call('ZCOUNT', KEYS[1], ARGV[3], '+inf')
local chosen = redis.call('GET', KEYS[2]) or ''
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[3], 'GT', ARGV[2], ARGV[4])
return {alive, chosen}`;

const DISCONNECT = `
local chosen = redis.call('GET', KEYS[2]) or ''
local before = redis.call('ZCOUNT', KEYS[1], ARGV[2], '+inf')
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
local after = redis.call('ZCARD', KEYS[1])
if after == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[3])
end
return {before, after, chosen}`;

const CHOOSE = `
local alive = redis.call('ZCOUNT', KEYS[1], ARGV[2], '+inf')
if alive == 0 then return {0, ''} end
local previous = redis.call('GET', KEYS[2]) or ''
redis.call('SET', KEYS[2], ARGV[1])
return {alive, previous}`;

const EXPIRE = `
if not redis.call('ZSCORE', KEYS[3], ARGV[2]) then return {0, ''} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if top[2] then
  redis.call('ZADD', KEYS[3], top[2], ARGV[2])
  return {0, ''}
end
local chosen = redis.call('GET', KEYS[2]) or ''
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[2])
return {1, chosen}`;

type Script = (...args: (string | number)[]) => Promise<[number, ...(string | number)[]]>;

const keys = {
  sockets: (userId: string) => `sb:presence:sockets:${userId}`,
  chosen: (userId: string) => `sb:presence:chosen:${userId}`,
  active: 'sb:presence:active',
};

const asStatus = (value: string | number | undefined): PresenceStatus | null =>
  value ? (String(value) as PresenceStatus) : null;

export class RedisPresence implements PresenceStore {
  readonly #redis: Redis;
  readonly #nodeId: string;
  readonly #local = new Map<string, { tenantId: string; userId: string }>();
  readonly #scripts: Record<'connect' | 'disconnect' | 'choose' | 'expire', Script>;

  readonly #ttlMs: number;

  constructor(redis: Redis, nodeId: string, ttlMs = SOCKET_TTL_MS) {
    this.#redis = redis;
    this.#nodeId = nodeId;
    this.#ttlMs = ttlMs;
    const define = (name: string, lua: string): Script => {
      redis.defineCommand(name, { numberOfKeys: 3, lua });
      return (redis as unknown as Record<string, Script>)[name].bind(redis);
    };
    this.#scripts = {
      connect: define('sbPresenceConnect', CONNECT),
      disconnect: define('sbPresenceDisconnect', DISCONNECT),
      choose: define('sbPresenceChoose', CHOOSE),
      expire: define('sbPresenceExpire', EXPIRE),
    };
  }

  async connect(tenantId: string, userId: string, socketId: string): Promise<PresenceChange | null> {
    this.#local.set(socketId, { tenantId, userId });
    const now = Date.now();
    const [alive, chosen] = await this.#scripts.connect(keys.sockets(userId), keys.chosen(userId), keys.active,
      this.#member(socketId), now + this.#ttlMs, now, `${tenantId}|${userId}`);
    return alive > 0 ? null : this.#change(tenantId, userId, 'offline', effectiveStatus(true, asStatus(chosen)));
  }

  async disconnect(tenantId: string, userId: string, socketId: string): Promise<PresenceChange | null> {
    this.#local.delete(socketId);
    const [before, after, chosen] = await this.#scripts.disconnect(keys.sockets(userId), keys.chosen(userId), keys.active,
      this.#member(socketId), Date.now(), `${tenantId}|${userId}`);
    if (Number(before) === 0 || Number(after) > 0) return null;
    return this.#change(tenantId, userId, effectiveStatus(true, asStatus(chosen)), 'offline');
  }

  async choose(tenantId: string, userId: string, status: PresenceStatus): Promise<PresenceChange | null> {
    const [alive, previous] = await this.#scripts.choose(keys.sockets(userId), keys.chosen(userId), keys.active, status, Date.now());
    if (alive === 0) return null;
    return this.#change(tenantId, userId, effectiveStatus(true, asStatus(previous)), status);
  }

  async statusOf(_tenantId: string, userIds: string[]): Promise<Map<string, PresenceStatus>> {
    if (userIds.length === 0) return new Map();
    const now = Date.now();
    const pipeline = this.#redis.pipeline();
    for (const id of userIds) pipeline.zcount(keys.sockets(id), now, '+inf').get(keys.chosen(id));
    const results = (await pipeline.exec()) ?? [];
    return new Map(userIds.map((id, i) => {
      const alive = Number(results[2 * i]?.[1] ?? 0) > 0;
      return [id, effectiveStatus(alive, asStatus(results[2 * i + 1]?.[1] as string | undefined))];
    }));
  }

  async sweep(): Promise<PresenceChange[]> {
    const now = Date.now();
    if (this.#local.size) {
      const pipeline = this.#redis.pipeline();
      for (const [socketId, { tenantId, userId }] of this.#local) {
        pipeline.zadd(keys.sockets(userId), now + this.#ttlMs, this.#member(socketId));
        pipeline.zadd(keys.active, 'GT', now + this.#ttlMs, `${tenantId}|${userId}`);
      }
      await pipeline.exec();
    }
    const expired = await this.#redis.zrangebyscore(keys.active, '-inf', `(${now}`, 'LIMIT', 0, 500);
    const changes: PresenceChange[] = [];
    for (const member of expired) {
      const [tenantId, userId] = member.split('|');
      const [gone, chosen] = await this.#scripts.expire(keys.sockets(userId), keys.chosen(userId), keys.active, now, member);
      const change = gone ? this.#change(tenantId, userId, effectiveStatus(true, asStatus(chosen)), 'offline') : null;
      if (change) changes.push(change);
    }
    return changes;
  }

  async close(): Promise<void> {
    this.#local.clear();
  }

  #member(socketId: string): string {
    return `${this.#nodeId}|${socketId}`;
  }

  #change(tenantId: string, userId: string, before: PresenceStatus, after: PresenceStatus): PresenceChange | null {
    return before === after ? null : { tenantId, userId, status: after };
  }
}
