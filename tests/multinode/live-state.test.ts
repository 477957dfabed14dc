// Live state stays true across three node processes: a role change reaches a socket on another node within
// 5 s (rooms and permissions), and after a Redis outage every connected client is brought up to date within
// 5 s of Redis's return without reconnecting: messages, an SLA breach and a queue change that happened on
// another node while Redis was away. Needs DATABASE_URL and redis-server on PATH (it stops its own Redis).
import { requiring } from '../helpers/requires.ts';
import * as assert from 'uvu/assert';
import { SwitchboardClient } from '../../src/clients/sdk/index.ts';
import { ownRedis, startCluster, type Cluster, type OwnRedis } from '../helpers/cluster.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, request, waitFor, type ClientSocket } from '../helpers/sockets.ts';
import { until } from '../helpers/wait.ts';

const live = requiring('live state across nodes', ['DATABASE_URL', 'redis-server']);
let c: Cluster;
let redis: OwnRedis;
let t: SeededTenant;
let call: Call;
const sockets: ClientSocket[] = [];
const clients: SwitchboardClient[] = [];

live.before(async () => {
  redis = await ownRedis();
  c = await startCluster(3, { redisUrl: redis.url, env: { SLA_TICK_SECONDS: '1', ROUTING_TICK_SECONDS: '1' } });
  call = httpClient(c.nodes[0].url);
  t = await seedTenant(call, 'Live');
});
live.after(async () => {
  for (const s of sockets) s.close();
  for (const client of clients) client.close();
  await c?.stop();
  await redis?.stop();
});

async function person(role: string, name: string): Promise<{ id: string; token: string }> {
  const res = await call('POST', '/v1/users', { token: t.adminToken, body: { name, role } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.user.id, token: res.body.token };
}

live('a supervisor demoted on node 1 loses, on node 3, the supervisor rooms and rights within 5 s', async () => {
  const sam = await person('supervisor', 'Sam Demoted');
  const socket = await connect(c.nodes[2].url, sam.token);
  sockets.push(socket);
  const conversationId = await newConversation(call, t);
  // Before: a supervisor may give the conversation to someone else.
  await ok(socket, 'conversation:assign', { conversationId, assigneeId: t.agentId });
  const updated = waitFor(socket, 'session:updated', (e: { role: string }) => e.role === 'agent', 5000);
  const demotedAt = Date.now();
  assert.is((await call('PATCH', `/v1/users/${sam.id}`, { token: t.adminToken, body: { role: 'agent' } })).status, 200);
  await updated;
  assert.ok(Date.now() - demotedAt < 5000);
  const refused = await request(socket, 'conversation:assign', { conversationId, assigneeId: null });
  assert.is(refused.ok ? 'OK' : refused.error.code, 'FORBIDDEN');
  // Out of supervisors:<tid>: a whisper to the agent no longer reaches the demoted supervisor.
  const heard: unknown[] = [];
  socket.on('message:new', (e) => heard.push(e));
  const admin = await connect(c.nodes[0].url, t.adminToken);
  sockets.push(admin);
  const agent = await connect(c.nodes[2].url, t.agentToken);
  sockets.push(agent);
  const whisper = waitFor(agent, 'message:new', (e: { message: { clientMessageId: string } }) => e.message.clientMessageId === 'w-demoted');
  await ok(admin, 'message:send', { conversationId, clientMessageId: 'w-demoted', body: 'psst', direction: 'internal', whisperTo: t.agentId });
  await whisper;
  assert.equal(heard, []);
});

live('after a Redis outage, a client on another node catches up within 5 s of the return without reconnecting', async () => {
  // An auto-assigning inbox without members keeps a waiting queue; a 2 s resolution target breaches.
  const policy = (await call('POST', '/v1/sla-policies', { token: t.adminToken, body: { name: 'Two seconds', firstResponseMinutes: 60, resolutionMinutes: 2 / 60 } })).body.policy;
  const inbox = (await call('POST', '/v1/inboxes', {
    token: t.adminToken, body: { name: 'Outage queue', channel: 'chat', autoAssign: true, memberIds: [], slaPolicyId: policy.id },
  })).body.inbox;
  const conversationId = await newConversation(call, t);
  const watcher = new SwitchboardClient({ url: c.nodes[1].url, token: t.supervisorToken });
  clients.push(watcher);
  await watcher.connect();
  await watcher.join(conversationId);
  await watcher.loadBreaches();
  await watcher.loadQueue();
  const sender = await connect(c.nodes[0].url, t.agentToken);
  sockets.push(sender);
  const degraded = new Promise<void>((resolve) => watcher.on('degraded', (d) => { if (d) resolve(); }));
  let reconnects = 0;
  watcher.socket.io.on('reconnect_attempt', () => { reconnects++; });

  await redis.stop();
  await degraded;
  // While Redis is away: three messages, a breach and a queue change, all on node 1 or the SLA engine.
  for (let i = 1; i <= 3; i++) await ok(sender, 'message:send', { conversationId, clientMessageId: `outage-${i}`, body: `during the outage ${i}` });
  const waiting = (await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: inbox.id, subject: 'Waits out the outage' } })).body.conversation;
  await until(async () => (await call('GET', '/v1/sla/breaches?active=true', { token: t.adminToken })).body.breaches
    .some((b: { conversationId: string }) => b.conversationId === waiting.id), 10_000, 'the breach to be recorded');
  // (The queue and the breach may still reach node 2 on their own, when its own sweep or SLA tick sees them.)
  assert.is(watcher.lastSeq(conversationId), 0, 'no message crossed to node 2 while Redis was away');

  await redis.start();
  const back = Date.now();
  await until(() => watcher.lastSeq(conversationId) === 3
    && watcher.breaches.has(`${waiting.id}:resolution`)
    && watcher.queue!.inboxes.some((q) => q.waiting.some((w) => w.conversationId === waiting.id)), 5000 + 2000, 'the client to catch up');
  const caughtUpMs = Date.now() - back;
  console.log(`  caught up ${caughtUpMs} ms after Redis came back (Redis start included)`);
  assert.ok(caughtUpMs < 5000, `caught up in ${caughtUpMs} ms`);
  assert.is(watcher.degraded, false);
  assert.is(reconnects, 0, 'no reconnect');
  assert.ok(watcher.connected);
});

live.run();
