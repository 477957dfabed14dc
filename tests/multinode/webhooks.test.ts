// Outbound webhooks across three node processes: each event delivered once whatever node wrote it, and a
// node killed while sending loses nothing (another node sends it again, with the same webhook-id).
import { execFileSync } from 'node:child_process';
import { requiring } from '../helpers/requires.ts';
import * as assert from 'uvu/assert';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

let c: Cluster;
let t: SeededTenant;
let receiver: Receiver;
/** webhook-ids whose first request the receiver leaves unanswered. */
const holdFirst = new Set<string>();
let holding = false;

const hooks = requiring('webhooks on three nodes', ['DATABASE_URL', 'REDIS_URL']);

hooks.before(async () => {
  // A 2 s request timeout: a claim then expires 7 s after it was taken.
  c = await startCluster(3, { env: { WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_RETRY_SCHEDULE: '0.5,0.5,0.5' } });
  t = await seedTenant(httpClient(c.nodes[0].url), 'Hooks cluster');
  receiver = await startReceiver((r, seen) => {
    if (r.path !== '/hold') return 200;
    if (holding && seen === 1) {
      holdFirst.add(r.headers['webhook-id']);
      return 'hang';
    }
    return 200;
  });
});
hooks.after(async () => {
  await receiver?.close();
  await c?.stop();
});

async function endpoint(url: string, events: string[]): Promise<string> {
  const res = await httpClient(c.nodes[0].url)('POST', '/v1/webhooks', { token: t.adminToken, body: { url, events } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.webhook.id;
}

/** The node process that holds this local TCP port (the receiver sees its request come from there). */
function nodeOwningPort(port: number): number {
  const out = execFileSync('ss', ['-tnpH', `sport = :${port}`], { encoding: 'utf8' });
  const pid = Number(/pid=(\d+)/.exec(out)?.[1]);
  return c.nodes.findIndex((n) => n.process.child.pid === pid);
}

hooks('events written on three nodes are each delivered once', async () => {
  await endpoint(`${receiver.url}/once`, ['message.created']);
  const conversations = await Promise.all([0, 1, 2].map(() => newConversation(httpClient(c.nodes[0].url), t)));
  const sent: string[] = [];
  await Promise.all([0, 1, 2].map(async (node) => {
    const call = httpClient(c.nodes[node].url);
    for (let i = 0; i < 10; i++) {
      const res = await call('POST', `/v1/conversations/${conversations[node]}/messages`, { token: t.agentToken, body: { clientMessageId: `n${node}-${i}`, body: `node ${node} #${i}` } });
      sent.push(res.body.message.id);
    }
  }));
  const got = await receiver.waitFor((r) => r.path === '/once', 30, 20_000);
  const messageIds = got.map((r) => JSON.parse(r.body).data.message.id);
  assert.equal([...messageIds].sort(), [...sent].sort(), 'every message, once');
  assert.is(new Set(got.map((r) => r.headers['webhook-id'])).size, 30, 'thirty distinct webhook-ids');
  // Nothing more arrives for them: every delivery is recorded as delivered once.
  const deliveries = (await httpClient(c.nodes[1].url)('GET', `/v1/webhooks/${(await httpClient(c.nodes[0].url)('GET', '/v1/webhooks', { token: t.adminToken })).body.webhooks[0].id}/deliveries`, { token: t.adminToken })).body.deliveries;
  assert.is(deliveries.length, 30);
  assert.ok(deliveries.every((d: { status: string; attempts: number }) => d.status === 'delivered' && d.attempts === 1), JSON.stringify(deliveries.map((d: { status: string; attempts: number }) => [d.status, d.attempts])));
});

hooks('a node killed while sending loses nothing: another node sends it again with the same webhook-id', async () => {
  const webhookId = await endpoint(`${receiver.url}/hold`, ['conversation.created']);
  holding = true;
  const conversationId = await newConversation(httpClient(c.nodes[0].url), t);
  const [held] = await receiver.waitFor((r) => r.path === '/hold');
  const victim = nodeOwningPort(held.remotePort);
  assert.ok(victim >= 0, 'the sending node was found');
  c.nodes[victim].process.child.kill('SIGKILL');
  const killedAt = Date.now();
  const eventId = held.headers['webhook-id'];
  const [, again] = await receiver.waitFor((r) => r.path === '/hold' && r.headers['webhook-id'] === eventId, 2, 20_000);
  assert.ok(Date.now() - killedAt < 15_000);
  assert.is(again.body, held.body, 'the same body');
  assert.is(JSON.parse(again.body).data.conversation.id, conversationId);
  assert.is.not(nodeOwningPort(again.remotePort), victim);
  const alive = c.nodes.find((_, i) => i !== victim)!;
  let delivery: { status: string; attempts: number } | undefined;
  for (let i = 0; i < 50 && delivery?.status !== 'delivered'; i++) {
    delivery = (await httpClient(alive.url)('GET', `/v1/webhooks/${webhookId}/deliveries`, { token: t.adminToken })).body.deliveries[0];
    if (delivery?.status !== 'delivered') await receiver.waitFor(() => false, 1, 100).catch(() => undefined);
  }
  assert.is(delivery!.status, 'delivered');
  assert.is(delivery!.attempts, 2);
});

hooks.run();
