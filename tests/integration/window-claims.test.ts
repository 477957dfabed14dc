// Windows of work shared by the nodes through Redis (the live queue's recomputation): one node holds a key's window
// until it lapses, then the next claim takes it; a node whose Redis fails takes the window itself. Needs REDIS_URL.
import { Redis } from 'ioredis';
import * as assert from 'uvu/assert';
import { redisWindows } from '../../src/platform/coordination/window-claims.ts';
import { requiring } from '../helpers/requires.ts';
import { until } from '../helpers/wait.ts';

const windows = requiring('window claims in redis', ['REDIS_URL']);
let a: Redis;
let b: Redis;

windows.before(async () => {
  a = new Redis(process.env.REDIS_URL!);
  b = new Redis(process.env.REDIS_URL!);
});
windows.after(async () => {
  await Promise.all([a?.quit(), b?.quit()]);
});

windows('one node holds a window; the next claim after it lapses takes the next one', async () => {
  const key = `test:${crypto.randomUUID()}`;
  const [first, second] = [redisWindows(a), redisWindows(b)];
  assert.is(await first.claim(key, 300), true);
  assert.is(await second.claim(key, 300), false, 'held by the first node');
  assert.is(await first.claim(key, 300), false, 'held, even for its own node');
  assert.is(await second.claim(`test:${crypto.randomUUID()}`, 300), true, 'another key is another window');
  await until(() => second.claim(key, 300), 3_000, 'the first window to lapse');
});

windows('a node whose Redis fails takes its windows itself', async () => {
  const dead = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  try {
    assert.is(await redisWindows(dead).claim('test:any', 300), true);
  } finally {
    dead.disconnect();
  }
});

windows.run();
