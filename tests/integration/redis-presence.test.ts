// Presence shared through real Redis by several nodes; a node that dies stops refreshing its sockets,
// and another node fades its users out exactly once. Needs REDIS_URL (CI sets it).
import { Redis } from 'ioredis';
import { requiring } from '../helpers/requires.ts';
import * as assert from 'uvu/assert';
import { until } from '../helpers/wait.ts';
import { RedisPresence } from '../../src/platform/presence/redis-presence.ts';
import type { PresenceChange } from '../../src/platform/presence/presence-store.ts';

const presence = requiring('redis presence', ['REDIS_URL']);
const TTL_MS = 400;
let redis: Redis;

presence.before(async () => {
  redis = new Redis(process.env.REDIS_URL!);
});
presence.after(async () => {
  await redis?.quit();
});

presence('sockets on two nodes make one online user; offline after the last one leaves', async () => {
  const tenant = crypto.randomUUID();
  const user = crypto.randomUUID();
  const a = new RedisPresence(redis, 'node-a', TTL_MS * 50);
  const b = new RedisPresence(redis, 'node-b', TTL_MS * 50);
  assert.equal(await a.connect(tenant, user, 's1'), { tenantId: tenant, userId: user, status: 'online' });
  assert.is(await b.connect(tenant, user, 's2'), null);
  assert.equal(await b.choose(tenant, user, 'away'), { tenantId: tenant, userId: user, status: 'away' });
  assert.is((await a.statusOf(tenant, [user])).get(user), 'away');
  assert.is(await a.disconnect(tenant, user, 's1'), null);
  assert.equal(await b.disconnect(tenant, user, 's2'), { tenantId: tenant, userId: user, status: 'offline' });
  assert.is((await a.statusOf(tenant, [user])).get(user), 'offline');
  assert.is(await a.choose(tenant, user, 'busy'), null, 'no choice without a socket');
});

presence('a dead node\'s users fade to offline, reported by exactly one surviving node', async () => {
  const tenant = crypto.randomUUID();
  const user = crypto.randomUUID();
  const dead = new RedisPresence(redis, 'node-dead', TTL_MS);
  const survivors = [new RedisPresence(redis, 'node-1', TTL_MS), new RedisPresence(redis, 'node-2', TTL_MS)];
  await dead.connect(tenant, user, 'gone');
  assert.is((await survivors[0].statusOf(tenant, [user])).get(user), 'online');
  // `dead` never sweeps again: its socket is not refreshed.
  const changes: PresenceChange[] = [];
  await until(async () => {
    const swept = (await Promise.all(survivors.map((s) => s.sweep()))).flat().filter((c) => c.userId === user);
    changes.push(...swept);
    return changes.length ? changes : null;
  }, TTL_MS * 10, 'a surviving node to fade the user out');
  // A few more sweeps report nothing new.
  for (let i = 0; i < 3; i++) changes.push(...(await Promise.all(survivors.map((s) => s.sweep()))).flat().filter((c) => c.userId === user));
  assert.equal(changes, [{ tenantId: tenant, userId: user, status: 'offline' }]);
  assert.is((await survivors[1].statusOf(tenant, [user])).get(user), 'offline');
});

presence('a live node keeps its sockets alive by sweeping', async () => {
  const tenant = crypto.randomUUID();
  const user = crypto.randomUUID();
  const node = new RedisPresence(redis, 'node-live', TTL_MS);
  await node.connect(tenant, user, 's');
  const started = Date.now();
  while (Date.now() - started < TTL_MS * 3) {
    assert.equal(await node.sweep(), []);
    assert.is((await node.statusOf(tenant, [user])).get(user), 'online');
    await new Promise((resolve) => setTimeout(resolve, TTL_MS / 4));
  }
  await node.disconnect(tenant, user, 's');
});

presence.run();
