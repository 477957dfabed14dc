// Three node processes on one PostgreSQL and one Redis behave as one server.
// Needs DATABASE_URL and REDIS_URL (CI sets both); without them there is nothing to run.
import { requiring, type Need } from '../helpers/requires.ts';
import * as assert from 'uvu/assert';
import { until } from '../helpers/wait.ts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { collect, connect, ok, waitFor, waitForConversation, type ClientSocket } from '../helpers/sockets.ts';

const NEEDS: Need[] = ['DATABASE_URL', 'REDIS_URL'];
const cluster = requiring('three nodes', NEEDS);
let c: Cluster;
let t: SeededTenant;
const sockets: ClientSocket[] = [];

async function on(node: number, token: string): Promise<ClientSocket> {
  const s = await connect(c.nodes[node].url, token);
  sockets.push(s);
  return s;
}


async function user(role: string, name: string, extra: Record<string, unknown> = {}) {
  const res = await httpClient(c.nodes[0].url)('POST', '/v1/users', { token: t.adminToken, body: { name, role, ...extra } });
  return { id: res.body.user.id as string, token: res.body.token as string };
}

cluster.before(async () => {
  c = await startCluster(3);
  t = await seedTenant(httpClient(c.nodes[0].url), 'Cluster');
});
cluster.after(async () => {
  for (const s of sockets) s.close();
  await c?.stop();
});

cluster('200 messages sent across three nodes reach every member on every node, in seq order per sending node', async () => {
  const conversationId = await newConversation(httpClient(c.nodes[0].url), t);
  const senders = await Promise.all([0, 1, 2].map(async (i) => on(i, (await user('agent', `Sender ${i}`)).token)));
  const watchers = await Promise.all([0, 1, 2].map((i) => on(i, t.supervisorToken)));
  for (const s of [...senders, ...watchers]) await ok(s, 'conversation:join', { conversationId });
  const received = watchers.map((w) => collect<{ message: { seq: number; clientMessageId: string } }>(w, 'message:new'));
  await Promise.all(senders.map(async (s, node) => {
    for (let i = 0; i < 67 && node * 67 + i < 200; i++) {
      await ok(s, 'message:send', { conversationId, clientMessageId: `n${node}-${i}`, body: `from node ${node}` });
    }
  }));
  await until(() => received.every((r) => r.items.length >= 200), 15_000, 'every watcher to receive 200 messages');
  for (const r of received) {
    r.stop();
    const seqs = r.items.map((e) => e.message.seq);
    assert.is(new Set(seqs).size, 200, 'no message twice');
    assert.equal([...seqs].sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i + 1));
    for (const node of [0, 1, 2]) {
      const fromNode = r.items.filter((e) => e.message.clientMessageId.startsWith(`n${node}-`)).map((e) => e.message.seq);
      assert.equal(fromNode, [...fromNode].sort((a, b) => a - b), `messages from node ${node} in seq order`);
    }
  }
});

cluster('typing and presence cross nodes', async () => {
  const conversationId = await newConversation(httpClient(c.nodes[1].url), t);
  const typer = await on(0, t.agentToken);
  const watcher = await on(2, t.supervisorToken);
  await ok(typer, 'conversation:join', { conversationId });
  await ok(watcher, 'conversation:join', { conversationId });
  const typing = waitFor(watcher, 'typing', (e: any) => e.conversationId === conversationId && e.isTyping);
  await ok(typer, 'typing', { conversationId, isTyping: true });
  assert.is((await typing).userId, t.agentId);
  const newcomer = await user('agent', 'Newcomer');
  const online = waitFor(typer, 'presence', (e: any) => e.userId === newcomer.id && e.status === 'online');
  const s = await on(1, newcomer.token);
  await online;
  const users = await httpClient(c.nodes[2].url)('GET', '/v1/users', { token: t.adminToken });
  assert.is(users.body.users.find((u: any) => u.id === newcomer.id).presence, 'online');
  const offline = waitFor(typer, 'presence', (e: any) => e.userId === newcomer.id && e.status === 'offline');
  s.close();
  await offline;
});

cluster('30 concurrent inbound conversations over three nodes give 10/10/10, none twice', async () => {
  const agents = await Promise.all([0, 1, 2].map((i) => user('agent', `RR ${i}`)));
  const inbox = await httpClient(c.nodes[0].url)('POST', '/v1/inboxes', { token: t.adminToken, body: {
    name: 'Routed', channel: 'whatsapp', autoAssign: true, memberIds: agents.map((a) => a.id),
  } });
  await Promise.all(agents.map((a, i) => on(i, a.token)));
  const watcher = await on(0, t.supervisorToken);
  const events = collect(watcher, 'assignment');
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => signedInbound(httpClient(c.nodes[i % 3].url), inbox.body.inbox.id,
    inbox.body.webhookSecret, { externalId: `rr-${i}`, from: { handle: `+1555000${String(i).padStart(4, '0')}` }, body: 'hi' })));
  assert.ok(results.every((r) => r.status === 202));
  const ids = new Set(results.map((r) => r.body.conversationId));
  assert.is(ids.size, 30);
  await until(() => events.items.filter((e: any) => ids.has(e.conversationId)).length >= 30, 10_000, '30 assignment events');
  events.stop();
  const mine = events.items.filter((e: any) => ids.has(e.conversationId));
  assert.is(mine.length, 30, 'one assignment event per conversation, never two');
  const counts = new Map<string, number>();
  for (const e of mine) counts.set(e.assigneeId, (counts.get(e.assigneeId) ?? 0) + 1);
  assert.equal([...counts.values()].sort(), [10, 10, 10]);
});

cluster('each SLA breach reaches each supervisor socket once', async () => {
  const policy = await httpClient(c.nodes[0].url)('POST', '/v1/sla-policies', { token: t.adminToken, body: { name: 'Quick', firstResponseMinutes: 0.03, resolutionMinutes: 0.08 } });
  const inbox = await httpClient(c.nodes[0].url)('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'SLA', channel: 'sms', slaPolicyId: policy.body.policy.id } });
  const sups = await Promise.all([0, 1, 2].map((i) => on(i, t.supervisorToken)));
  const seen = sups.map((s) => collect(s, 'sla:breach'));
  const res = await signedInbound(httpClient(c.nodes[1].url), inbox.body.inbox.id, inbox.body.webhookSecret, { externalId: 'sla-1', from: { handle: '+15550999' }, body: 'help' });
  const id = res.body.conversationId;
  // The resolution breach comes after the first-response one; by then every node has ticked many times.
  await Promise.all(sups.map((s) => waitFor(s, 'sla:breach', (e: any) => e.conversationId === id && e.kind === 'resolution', 15_000)));
  for (const s of seen) {
    s.stop();
    assert.equal(s.items.filter((e: any) => e.conversationId === id).map((e: any) => e.kind).sort(), ['first_response', 'resolution']);
  }
});

cluster('two campaigns started on two nodes at once reach each contact once each, in one thread per contact', async () => {
  const calls = c.nodes.map((node) => httpClient(node.url));
  const contactIds: string[] = [];
  for (let i = 0; i < 40; i++) {
    const res = await calls[i % 3]('POST', '/v1/contacts', { token: t.agentToken, body: { name: `Bulk ${i}`, email: `bulk${i}@cluster.example` } });
    contactIds.push(res.body.contact.id);
  }
  const started = await Promise.all([0, 1].map((node) => calls[node]('POST', '/v1/campaigns', {
    token: t.supervisorToken, body: { name: `Wave ${node}`, inboxId: t.inboxId, template: `Wave ${node} for {{contact.name}}`, contactIds },
  })));
  const ids = started.map((res) => { assert.is(res.status, 201, JSON.stringify(res.body)); return res.body.campaign.id as string; });
  for (const id of ids) {
    await until(async () => (await calls[2]('GET', `/v1/campaigns/${id}`, { token: t.supervisorToken })).body.campaign.status === 'done', 20_000, 'campaign done');
  }
  const threads = new Map<string, Set<string>>();
  for (const id of ids) {
    const { recipients } = (await calls[0]('GET', `/v1/campaigns/${id}/recipients?limit=1000`, { token: t.supervisorToken })).body;
    assert.is(recipients.length, 40);
    assert.ok(recipients.every((r: any) => r.status === 'sent'));
    for (const r of recipients) threads.set(r.contactId, (threads.get(r.contactId) ?? new Set()).add(r.conversationId));
  }
  assert.ok([...threads.values()].every((set) => set.size === 1), 'one thread per contact');
  for (const [contactId, set] of threads) {
    const [conversationId] = set;
    const { messages } = (await calls[1]('GET', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken })).body;
    assert.equal(messages.map((m: any) => m.body.split(' for ')[0]).sort(), ['Wave 0', 'Wave 1'], contactId);
  }
});

cluster('a masked thread reaches a non-participant on another node masked, and in full once granted', async () => {
  const calls = c.nodes.map((node) => httpClient(node.url));
  const inbox = await calls[0]('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Masked across nodes', channel: 'email', visibility: 'subject' } });
  const outsider = await user('agent', 'Cross-node outsider');
  const watcher = await on(1, outsider.token);
  const send = (n: number) => signedInbound(calls[0], inbox.body.inbox.id, inbox.body.webhookSecret, {
    externalId: `masked-x-${n}`, from: { handle: 'masked@cluster.example' }, body: `secret ${n}`,
  });
  const first = await send(1);
  const conversationId = first.body.conversationId;
  const joined = await ok(watcher, 'conversation:join', { conversationId });
  assert.is(joined.conversation.masked, true);
  const masked = waitFor(watcher, 'message:new', (e: any) => e.message.seq === 2);
  await send(2);
  assert.equal([(await masked).message.body, (await masked).message.masked], ['', true]);
  const granted = await calls[2]('POST', `/v1/conversations/${conversationId}/grants`, { token: t.supervisorToken, body: { userId: outsider.id } });
  assert.is(granted.status, 201);
  let body = '';
  for (let n = 3; n < 23 && !body; n++) {
    const next = waitFor(watcher, 'message:new', (e: any) => e.message.seq === n);
    await send(n);
    body = (await next).message.body;
  }
  assert.match(body, /^secret \d+$/);
});

cluster('revoking a person or a bot key cuts their sockets on every node within 5 s; reconnects anywhere are refused', async () => {
  const person = await user('agent', 'Revoked everywhere');
  const bot = await user('bot', 'Revoked bot');
  const socketsOf = async (token: string) => Promise.all([0, 1, 2].map((i) => on(i, token)));
  const people = await socketsOf(person.token);
  const bots = await socketsOf(bot.token);
  const cut = (s: ClientSocket) => new Promise<number>((resolve, reject) => {
    const t0 = performance.now();
    const timer = setTimeout(() => reject(new Error('still connected after 5 s')), 5000);
    s.once('disconnect', () => { clearTimeout(timer); resolve(performance.now() - t0); });
  });
  const cuts = [...people, ...bots].map(cut);
  const call = httpClient(c.nodes[1].url);
  assert.is((await call('POST', `/v1/users/${person.id}/revoke`, { token: t.adminToken })).status, 200);
  const [key] = (await call('GET', `/v1/users/${bot.id}/keys`, { token: t.adminToken })).body.keys;
  assert.is((await call('DELETE', `/v1/users/${bot.id}/keys/${key.id}`, { token: t.adminToken })).status, 200);
  const times = await Promise.all(cuts);
  assert.ok(Math.max(...times) < 5000);
  for (const node of c.nodes) {
    for (const token of [person.token, bot.token]) {
      const error = await connect(node.url, token).then((s) => { s.close(); return null; }, (err: Error) => err);
      assert.is(error?.message, 'UNAUTHORIZED');
    }
  }
});

cluster('SIGTERM: the node closes its sockets, clients reconnect elsewhere and sync, and it exits 0 within 10 s', async () => {
  const extra = await c.add();
  const conversationId = await newConversation(httpClient(c.nodes[0].url), t);
  const leaving = await connect(extra.url, t.supervisorToken);
  await ok(leaving, 'conversation:join', { conversationId });
  const dropped = new Promise<string>((resolve) => leaving.once('disconnect', resolve));
  const started = Date.now();
  const code = await extra.process.stop('SIGTERM');
  assert.is(code, 0);
  assert.ok(Date.now() - started < 10_000);
  assert.is(await dropped, 'io server disconnect');
  leaving.close();
  c.nodes.splice(c.nodes.indexOf(extra), 1);
  const sender = await on(0, t.agentToken);
  await ok(sender, 'message:send', { conversationId, clientMessageId: 'after-term', body: 'after' });
  const back = await on(1, t.supervisorToken);
  const sync = await ok(back, 'conversation:sync', { conversationId, afterSeq: 0 });
  assert.equal(sync.messages.map((m: any) => m.clientMessageId), ['after-term']);
});

cluster.run();

// ---

const sharded = requiring('sharded adapter', NEEDS);
let pair: Cluster;
let s: SeededTenant;

sharded.before(async () => {
  pair = await startCluster(2, { env: { REDIS_ADAPTER: 'sharded' } });
  s = await seedTenant(httpClient(pair.nodes[0].url), 'Sharded');
});
sharded.after(async () => {
  await pair?.stop();
});

sharded('with REDIS_ADAPTER=sharded (Redis 7 sharded pub/sub) messages and room events still cross nodes', async () => {
  const conversationId = await newConversation(httpClient(pair.nodes[0].url), s);
  const sender = await connect(pair.nodes[0].url, s.agentToken);
  const watcher = await connect(pair.nodes[1].url, s.supervisorToken);
  try {
    await ok(watcher, 'conversation:join', { conversationId });
    const delivered = waitFor(watcher, 'message:new', (e: any) => e.message.clientMessageId === 'sharded-1');
    const updated = waitForConversation(watcher, (c: any) => c.id === conversationId && c.messageCount === 1);
    await ok(sender, 'message:send', { conversationId, clientMessageId: 'sharded-1', body: 'across shards' });
    assert.is((await delivered).message.body, 'across shards');
    await updated;
  } finally {
    sender.close();
    watcher.close();
  }
});

sharded.run();
