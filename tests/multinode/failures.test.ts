// Failure drills on three node processes: Redis stopped and restarted under load, and a node killed
// under load. Nothing committed is lost, nothing crashes, and delivery recovers by itself.
// Needs DATABASE_URL (CI sets it) and redis-server on PATH; the drills start a Redis of their own.
import { requiring } from '../helpers/requires.ts';
import * as assert from 'uvu/assert';
import { until } from '../helpers/wait.ts';
import { ownRedis, startCluster, type Cluster, type OwnRedis } from '../helpers/cluster.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { collect, connect, ok, request, type ClientSocket } from '../helpers/sockets.ts';

const drills = requiring('failure drills', ['DATABASE_URL', 'redis-server']);
let c: Cluster;
let redis: OwnRedis;
let t: SeededTenant;
const sockets: ClientSocket[] = [];

async function on(url: string, token: string): Promise<ClientSocket> {
  const s = await connect(url, token);
  sockets.push(s);
  return s;
}


/** Sends one message every few milliseconds until stopped; answers the acked messages' seqs. */
function load(socket: ClientSocket, conversationId: string, prefix: string) {
  const acked: number[] = [];
  const failed: string[] = [];
  let running = true;
  const done = (async () => {
    for (let i = 0; running; i++) {
      const answer = await request(socket, 'message:send', { conversationId, clientMessageId: `${prefix}-${i}`, body: `${prefix} ${i}` }).catch((err: Error) => ({ ok: false as const, error: { code: 'INTERNAL' as const, message: err.message } }));
      if (answer.ok) acked.push(answer.data.message.seq);
      else failed.push(answer.error.message);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  return { acked, failed, stop: async () => { running = false; await done; } };
}

async function committedSeqs(url: string, token: string, conversationId: string): Promise<number[]> {
  const res = await httpClient(url)('GET', `/v1/conversations/${conversationId}/messages?afterSeq=0&limit=500`, { token });
  return res.body.messages.map((m: { seq: number }) => m.seq);
}

drills.before(async () => {
  redis = await ownRedis();
  c = await startCluster(3, { redisUrl: redis.url });
  t = await seedTenant(httpClient(c.nodes[0].url), 'Drills');
});
drills.after(async () => {
  for (const s of sockets) s.close();
  await c?.stop();
  await redis?.stop();
});

drills('Redis stopped and restarted under load: sends still commit, /health says why, delivery resumes by itself', async () => {
  const conversationId = await newConversation(httpClient(c.nodes[0].url), t);
  const sender = await on(c.nodes[0].url, t.agentToken);
  const watcher = await on(c.nodes[1].url, t.supervisorToken);
  await ok(watcher, 'conversation:join', { conversationId });
  const seen = collect<{ message: { seq: number } }>(watcher, 'message:new');
  const traffic = load(sender, conversationId, 'redis');
  await until(() => seen.items.length >= 5, 5000, 'cross-node delivery before the outage');
  await redis.stop();
  const during = traffic.acked.length;
  await until(() => traffic.acked.length >= during + 10, 10_000, 'sends to keep committing while Redis is down');
  const health = await httpClient(c.nodes[0].url)('GET', '/health');
  assert.is(health.status, 503);
  assert.match(health.body.reason, /redis/);
  await redis.start();
  await until(async () => (await httpClient(c.nodes[0].url)('GET', '/health')).status === 200, 15_000, '/health to recover');
  // Cross-node delivery resumes: a message sent now reaches the other node's watcher.
  const resumedFrom = traffic.acked.length;
  await until(() => seen.items.some((e) => e.message.seq > (traffic.acked[resumedFrom] ?? Infinity)), 15_000, 'cross-node delivery after the outage');
  await traffic.stop();
  seen.stop();
  // The watcher closes its gap with sync; the database holds exactly what was acked.
  const got = new Set(seen.items.map((e) => e.message.seq));
  const missing = traffic.acked.filter((seq) => !got.has(seq));
  const sync = await ok(watcher, 'conversation:sync', { conversationId, afterSeq: 0, limit: 500 });
  const synced = new Set(sync.messages.map((m: { seq: number }) => m.seq));
  assert.ok(missing.every((seq) => synced.has(seq)), 'sync returns what the outage dropped');
  const committed = await committedSeqs(c.nodes[2].url, t.agentToken, conversationId);
  assert.equal(committed, Array.from({ length: committed.length }, (_, i) => i + 1), 'gap-free');
  assert.ok(traffic.acked.every((seq) => committed.includes(seq)), 'every acked message is committed');
  for (const node of c.nodes) {
    assert.is(node.process.child.exitCode, null, 'no node crashed');
    assert.not.match(node.process.output(), /unhandled|uncaught/i);
  }
});

drills('a node killed under load loses nothing; its clients reconnect elsewhere and sync', async () => {
  const conversationId = await newConversation(httpClient(c.nodes[0].url), t);
  const victim = c.nodes[2];
  const sender = await on(c.nodes[0].url, t.agentToken);
  const watcher = await on(victim.url, t.supervisorToken);
  await ok(watcher, 'conversation:join', { conversationId });
  const seen = collect<{ message: { seq: number } }>(watcher, 'message:new');
  const traffic = load(sender, conversationId, 'kill');
  await until(() => seen.items.length >= 5, 5000, 'delivery before the kill');
  const dropped = new Promise((resolve) => watcher.once('disconnect', resolve));
  await victim.process.stop('SIGKILL');
  await dropped;
  const lastSeen = Math.max(...seen.items.map((e) => e.message.seq));
  const again = await on(c.nodes[1].url, t.supervisorToken);
  const joined = await ok(again, 'conversation:join', { conversationId });
  const missed = await ok(again, 'conversation:sync', { conversationId, afterSeq: lastSeen, limit: 500 });
  assert.ok(missed.messages.length >= joined.lastSeq - lastSeen);
  await traffic.stop();
  const committed = await committedSeqs(c.nodes[0].url, t.agentToken, conversationId);
  assert.equal(committed, Array.from({ length: committed.length }, (_, i) => i + 1), 'gap-free');
  assert.ok(traffic.acked.every((seq) => committed.includes(seq)), 'every acked message is committed');
  c.nodes.splice(c.nodes.indexOf(victim), 1);
});

drills.run();
