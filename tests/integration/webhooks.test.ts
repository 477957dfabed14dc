// Outbound webhooks on one node: signed Standard Webhooks requests, retries with one webhook-id, replays,
// per-conversation order, URL checks, redirects refused, endpoints disabled after repeated dead letters.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, waitFor } from '../helpers/sockets.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let receiver: Receiver;

const webhooks = suite('webhooks');

webhooks.before(async () => {
  server = await startServer({ WEBHOOK_RETRY_SCHEDULE: [0.2, 0.2], WEBHOOK_DISABLE_AFTER: 2, WEBHOOK_TIMEOUT_MS: 2_000 });
  call = httpClient(server.url);
  t = await seedTenant(call, 'Hooks');
  receiver = await startReceiver((r, seen) => {
    if (r.path === '/flaky') return seen <= 2 ? 500 : 200;
    if (r.path === '/redirect') return { status: 302, headers: { location: '/ok' } };
    if (r.path === '/slow') return 200;
    if (r.path === '/hang') return 'hang';
    return 200;
  });
});
webhooks.after(async () => {
  await receiver.close();
  await server.stop();
});

const admin = (method: string, path: string, body?: unknown) => call(method, path, { token: t.adminToken, body });

async function endpoint(path: string, events: string[]): Promise<{ id: string; secret: string }> {
  const res = await admin('POST', '/v1/webhooks', { url: `${receiver.url}${path}`, events });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.webhook.id, secret: res.body.secret };
}

async function post(conversationId: string, body: string) {
  const res = await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken, body: { clientMessageId: crypto.randomUUID(), body } });
  assert.is(res.status, 201);
  return res.body.message as { id: string; seq: number };
}

const bodyOf = (r: { body: string }) => JSON.parse(r.body);

webhooks('a message.created reaches the endpoint signed by Standard Webhooks, in the contract\'s shape; the secret is shown once', async () => {
  const hook = await endpoint('/signed', ['message.created']);
  assert.match(hook.secret, /^whsec_/);
  const listed = await admin('GET', '/v1/webhooks');
  assert.not.match(JSON.stringify(listed.body), hook.secret.slice(6));
  const conversationId = await newConversation(call, t);
  const message = await post(conversationId, 'hello webhooks');
  const [got] = await receiver.waitFor((r) => r.path === '/signed' && bodyOf(r).data.message.id === message.id);
  const verified = new StandardWebhook(hook.secret).verify(got.body, got.headers) as { type: string; data: { message: { body: string; seq: number } } };
  assert.is(verified.type, 'message.created');
  assert.is(verified.data.message.body, 'hello webhooks');
  assert.is(verified.data.message.seq, message.seq);
  assert.match(got.headers['webhook-signature'], /^v1,/);
  assert.throws(() => new StandardWebhook(hook.secret).verify(got.body.replace('hello', 'HELLO'), got.headers), 'a changed body fails verification');
  await admin('DELETE', `/v1/webhooks/${hook.id}`);
});

webhooks('an endpoint that fails twice then succeeds gets the same webhook-id three times, and the delivery ends delivered; a replay resends it as it was', async () => {
  const hook = await endpoint('/flaky', ['conversation.created']);
  const conversationId = await newConversation(call, t);
  const attempts = await receiver.waitFor((r) => r.path === '/flaky' && bodyOf(r).data.conversation.id === conversationId, 3);
  assert.is(new Set(attempts.map((r) => r.headers['webhook-id'])).size, 1, 'one webhook-id');
  assert.is(new Set(attempts.map((r) => r.body)).size, 1, 'the same body every time');
  for (const r of attempts) new StandardWebhook(hook.secret).verify(r.body, r.headers);
  const delivered = async () => (await admin('GET', `/v1/webhooks/${hook.id}/deliveries`)).body.deliveries
    .find((d: { eventId: string }) => d.eventId === attempts[0].headers['webhook-id']);
  let delivery = await delivered();
  for (let i = 0; delivery.status !== 'delivered' && i < 50; i++) {
    // The third answer is on its way back: the row says delivered once the sender records it.
    await receiver.waitFor(() => true, receiver.received.length, 100).catch(() => undefined);
    delivery = await delivered();
  }
  assert.is(delivery.status, 'delivered');
  assert.is(delivery.attempts, 3);
  assert.is(delivery.lastStatus, 200);

  const replay = await admin('POST', `/v1/webhooks/${hook.id}/deliveries/${delivery.id}/replay`);
  assert.is(replay.status, 202);
  const again = await receiver.waitFor((r) => r.path === '/flaky' && r.headers['webhook-id'] === delivery.eventId, 4);
  assert.is(again[3].body, attempts[0].body);
  await admin('DELETE', `/v1/webhooks/${hook.id}`);
});

webhooks('deliveries of one conversation go out in the order of its messages', async () => {
  const hook = await endpoint('/ordered', ['message.created']);
  const conversationId = await newConversation(call, t);
  const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => post(conversationId, `ordered ${i}`)));
  const got = await receiver.waitFor((r) => r.path === '/ordered' && bodyOf(r).data.message.conversationId === conversationId, 20);
  const seqs = got.map((r) => bodyOf(r).data.message.seq);
  assert.equal(seqs, [...sent.map((m) => m.seq)].sort((a, b) => a - b));
  await admin('DELETE', `/v1/webhooks/${hook.id}`);
});

webhooks('an endpoint that does not answer holds up no other endpoint', async () => {
  const stuck = await endpoint('/hang', ['message.created']);
  const first = await post(await newConversation(call, t), 'to the stuck endpoint');
  await receiver.waitFor((r) => r.path === '/hang' && bodyOf(r).data.message.id === first.id);
  const stuckSince = Date.now();
  // That request now hangs until the 2 s timeout; another endpoint's delivery goes out meanwhile.
  const live = await endpoint('/live', ['message.created']);
  const second = await post(await newConversation(call, t), 'to the live endpoint');
  await receiver.waitFor((r) => r.path === '/live' && bodyOf(r).data.message.id === second.id, 1, 1_500);
  const waited = Date.now() - stuckSince;
  assert.ok(waited < 2_000, `the live endpoint waited ${waited} ms, as long as the stuck one's timeout`);
  await admin('DELETE', `/v1/webhooks/${stuck.id}`);
  await admin('DELETE', `/v1/webhooks/${live.id}`);
});

webhooks('URLs are checked on creation: http or https only, no credentials; unknown events refused', async () => {
  for (const body of [
    { url: 'ftp://example.com/hook', events: ['message.created'] },
    { url: 'http://user:secret@example.com/hook', events: ['message.created'] },
    { url: 'not a url', events: ['message.created'] },
    { url: 'https://example.com/hook', events: [] },
    { url: 'https://example.com/hook', events: ['message.deleted'] },
    { url: 'https://example.com/hook', events: ['message.created'], tenantId: t.tenantId },
  ]) {
    const res = await admin('POST', '/v1/webhooks', body);
    assert.is(res.status, 400, JSON.stringify(body));
    assert.is(res.body.error.code, 'VALIDATION');
  }
  assert.is((await call('POST', '/v1/webhooks', { token: t.supervisorToken, body: { url: 'https://example.com', events: ['message.created'] } })).status, 403);
});

webhooks('a redirect is not followed; repeated dead letters disable the endpoint and tell the admins', async () => {
  const hook = await endpoint('/redirect', ['message.created']);
  const adminSocket = await connect(server.url, t.adminToken);
  const disabled = waitFor<{ webhookId: string }>(adminSocket, 'webhook:disabled', (e) => e.webhookId === hook.id, 15_000);
  const conversationId = await newConversation(call, t);
  await post(conversationId, 'one');
  await post(conversationId, 'two');
  await disabled;
  adminSocket.close();
  assert.not.ok(receiver.received.some((r) => r.path === '/ok'), 'the redirect was followed');
  const state = (await admin('GET', `/v1/webhooks/${hook.id}`)).body.webhook;
  assert.is(state.active, false);
  assert.type(state.disabledAt, 'string');
  const deliveries = (await admin('GET', `/v1/webhooks/${hook.id}/deliveries?status=failed`)).body.deliveries;
  assert.is(deliveries.length, 2);
  for (const d of deliveries) {
    assert.is(d.attempts, 3, 'the first try and the two retries of the schedule');
    assert.is(d.lastStatus, 302);
  }
  // Another tenant cannot see or touch it.
  const other = await seedTenant(call, 'Hooks other');
  assert.is((await call('GET', `/v1/webhooks/${hook.id}/deliveries`, { token: other.adminToken })).status, 404);
  assert.is((await call('PATCH', `/v1/webhooks/${hook.id}`, { token: other.adminToken, body: { active: true } })).status, 404);
});

webhooks.run();
