// The signed inbound webhook and delivery statuses.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sign, signRequest } from '../../src/features/inbound/signature.ts';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { collect, connect, ok, waitFor, waitForConversation, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let watcher: ClientSocket;

const inbound = suite('inbound webhook');

inbound.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Inbound');
  watcher = await connect(server.url, t.supervisorToken);
});
// The server stays up for the statuses suite below, which stops it.

inbound('a signed message creates the contact, the conversation and the message', async () => {
  const created = waitForConversation(watcher, (c: any) => c.messageCount === 1 && c.lastMessagePreview === 'Hi, my order is late');
  const res = await signedInbound(call, t.inboxId, t.webhookSecret, {
    externalId: 'ext-1', from: { handle: 'new.person@example.com', name: 'New Person' }, body: 'Hi, my order is late',
  });
  assert.is(res.status, 202, JSON.stringify(res.body));
  assert.is(res.body.duplicate, false);
  assert.type(res.body.conversationId, 'string');
  assert.type(res.body.messageId, 'string');
  const { conversation } = await created;
  assert.is(conversation.id, res.body.conversationId);
  assert.is(conversation.lastDirection, 'inbound');
  const messages = await call('GET', `/v1/conversations/${res.body.conversationId}/messages`, { token: t.agentToken });
  const [message] = messages.body.messages;
  assert.is(message.direction, 'inbound');
  assert.is(message.senderType, 'contact');
  assert.is(message.externalId, 'ext-1');
  assert.is(message.contactId, conversation.contactId);
  const contact = await call('GET', `/v1/contacts/${conversation.contactId}`, { token: t.agentToken });
  assert.is(contact.body.contact.name, 'New Person');
  assert.equal(contact.body.contact.identities, [{ channel: 'email', handle: 'new.person@example.com' }]);
});

inbound('the next message from the same handle joins the open conversation', async () => {
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ext-2a', from: { handle: 'repeat@example.com' }, body: 'one' });
  const second = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ext-2b', from: { handle: 'repeat@example.com' }, body: 'two' });
  assert.is(second.body.conversationId, first.body.conversationId);
  const thread = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ext-2c', from: { handle: 'repeat@example.com' }, body: 'new thread', threadExternalId: 'thread-9' });
  assert.is.not(thread.body.conversationId, first.body.conversationId);
  const inThread = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ext-2d', from: { handle: 'repeat@example.com' }, body: 'more', threadExternalId: 'thread-9' });
  assert.is(inThread.body.conversationId, thread.body.conversationId);
});

inbound('the same externalId twice answers the first message, duplicate, and broadcasts nothing again', async () => {
  const body = { externalId: 'ext-3', from: { handle: 'dup@example.com' }, body: 'once only' };
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, body);
  await ok(watcher, 'conversation:join', { conversationId: first.body.conversationId });
  const seen = collect(watcher, 'message:new');
  const again = await signedInbound(call, t.inboxId, t.webhookSecret, body);
  assert.is(again.status, 202);
  assert.equal(again.body, { ...first.body, duplicate: true });
  // A later, different message proves the stream moved on without a second copy of ext-3.
  const marker = waitFor(watcher, 'message:new', (e: any) => e.message.body === 'marker');
  await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ext-3-marker', from: { handle: 'dup@example.com' }, body: 'marker' });
  await marker;
  seen.stop();
  assert.equal(seen.items.map((e: any) => e.message.body), ['marker']);
});

inbound('the same delivery arriving twice at once makes one message', async () => {
  const body = { externalId: 'ext-4', from: { handle: 'race@example.com' }, body: 'raced' };
  const results = await Promise.all(Array.from({ length: 6 }, () => signedInbound(call, t.inboxId, t.webhookSecret, body)));
  assert.ok(results.every((r) => r.status === 202), JSON.stringify(results.map((r) => r.body)));
  assert.is(new Set(results.map((r) => r.body.messageId)).size, 1);
  assert.is(results.filter((r) => !r.body.duplicate).length, 1);
  const messages = await call('GET', `/v1/conversations/${results[0].body.conversationId}/messages`, { token: t.agentToken });
  assert.is(messages.body.messages.length, 1);
});

inbound('a bad signature, a stale or future timestamp, or an unknown inbox is 401 and writes nothing', async () => {
  const before = await rowCounts(server.app.orm);
  const body = JSON.stringify({ externalId: 'ext-5', from: { handle: 'x@example.com' }, body: 'x' });
  // Each header is made just before its request, and the stale and future ones sit a minute
  // outside the window, so a slow machine cannot drift them back inside it.
  const now = () => Math.floor(Date.now() / 1000);
  const attempts = [
    () => ({ id: t.inboxId, header: sign('whsec_wrong', body, now()) }),
    () => ({ id: t.inboxId, header: sign(t.webhookSecret, body, now() - 360) }),
    () => ({ id: t.inboxId, header: sign(t.webhookSecret, body, now() + 360) }),
    () => ({ id: t.inboxId, header: sign(t.webhookSecret, body + ' ', now()) }),
    () => ({ id: t.inboxId, header: `t=${now()},v1=zz` }),
    () => ({ id: t.inboxId, header: undefined }),
    () => ({ id: crypto.randomUUID(), header: sign(t.webhookSecret, body, now()) }),
  ];
  for (const attempt of attempts) {
    const { id, header } = attempt();
    const res = await call('POST', `/v1/inboxes/${id}/inbound`, { raw: body, headers: header ? { 'x-switchboard-signature': header } : {} });
    assert.is(res.status, 401, `${header}: ${JSON.stringify(res.body)}`);
    assert.is(res.body.error.code, 'UNAUTHORIZED');
  }
  assert.equal(await rowCounts(server.app.orm), before);
});

inbound('a channel naming another inbox\'s or another tenant\'s thread gets a thread of its own inbox', async () => {
  const other = await seedTenant(call, 'Inbound other');
  const second = (await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Second', channel: 'email' } })).body;
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'thr-1', from: { handle: 'thread@example.com' }, body: 'one', threadExternalId: 'T-42' });
  const foreign = await signedInbound(call, other.inboxId, other.webhookSecret, { externalId: 'thr-1', from: { handle: 'thread@example.com' }, body: 'two', threadExternalId: 'T-42' });
  const sibling = await signedInbound(call, second.inbox.id, second.webhookSecret, { externalId: 'thr-2', from: { handle: 'thread@example.com' }, body: 'three', threadExternalId: 'T-42' });
  for (const res of [first, foreign, sibling]) assert.is(res.status, 202, JSON.stringify(res.body));
  assert.is(new Set([first.body.conversationId, foreign.body.conversationId, sibling.body.conversationId]).size, 3);
  const mine = await call('GET', `/v1/conversations/${first.body.conversationId}/messages`, { token: t.agentToken });
  assert.equal(mine.body.messages.map((m: any) => m.body), ['one']);
  assert.is((await call('GET', `/v1/conversations/${foreign.body.conversationId}`, { token: t.agentToken })).status, 404);
  // One tenant's webhook secret does not open another's inbox.
  const crossed = await signedInbound(call, other.inboxId, t.webhookSecret, { externalId: 'thr-3', from: { handle: 'thread@example.com' }, body: 'four' });
  assert.is(crossed.status, 401);
});

inbound('an inbound message reopens a snoozed conversation', async () => {
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ext-6a', from: { handle: 'sleepy@example.com' }, body: 'hello' });
  const id = first.body.conversationId;
  const until = new Date(Date.now() + 3600_000).toISOString();
  const snoozed = await call('POST', `/v1/conversations/${id}/status`, { token: t.agentToken, body: { status: 'snoozed', snoozedUntil: until } });
  assert.is(snoozed.body.conversation.status, 'snoozed');
  await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ext-6b', from: { handle: 'sleepy@example.com' }, body: 'still there?' });
  const after = await call('GET', `/v1/conversations/${id}`, { token: t.agentToken });
  assert.is(after.body.conversation.status, 'open');
  assert.is(after.body.conversation.snoozedUntil, null);
});

inbound.run();

// ---

const statuses = suite('delivery statuses');
let conversationId: string;
let messageId: string;
let agent: ClientSocket;

statuses.before(async () => {
  conversationId = await newConversation(call, t);
  agent = await connect(server.url, t.agentToken);
  await ok(agent, 'conversation:join', { conversationId });
  messageId = (await ok(agent, 'message:send', { conversationId, clientMessageId: 's1', body: 'outbound' })).message.id;
});
statuses.after(async () => {
  agent.close();
  watcher.close();
  await server.stop();
});

statuses('a status moves forward and emits message:status', async () => {
  const event = waitFor(agent, 'message:status', (e: any) => e.status === 'delivered');
  const res = await call('POST', `/v1/messages/${messageId}/status`, { token: t.botKey, body: { status: 'delivered', at: '2026-01-01T10:00:00Z' } });
  assert.is(res.status, 200);
  assert.is(res.body.message.status, 'delivered');
  const e = await event;
  assert.equal(e, { conversationId, messageId, status: 'delivered', at: '2026-01-01T10:00:00.000Z' });
});

statuses('an older status is ignored and emits nothing', async () => {
  const seen = collect(agent, 'message:status');
  const res = await call('POST', `/v1/messages/${messageId}/status`, { token: t.agentToken, body: { status: 'sent' } });
  assert.is(res.body.message.status, 'delivered');
  const read = waitFor(agent, 'message:status', (e: any) => e.status === 'read');
  await call('POST', `/v1/messages/${messageId}/status`, { token: t.agentToken, body: { status: 'read' } });
  await read;
  seen.stop();
  assert.equal(seen.items.map((e: any) => e.status), ['read']);
});

statuses('failed is terminal', async () => {
  const other = (await ok(agent, 'message:send', { conversationId, clientMessageId: 's2', body: 'will fail' })).message.id;
  const failed = await call('POST', `/v1/messages/${other}/status`, { token: t.agentToken, body: { status: 'failed', error: 'bounced' } });
  assert.is(failed.body.message.status, 'failed');
  const later = await call('POST', `/v1/messages/${other}/status`, { token: t.agentToken, body: { status: 'delivered' } });
  assert.is(later.body.message.status, 'failed');
});

statuses('a channel reports with its inbox signature over method, path and body; a bad, old-scheme or replayed one is 401', async () => {
  const raw = JSON.stringify({ status: 'read' });
  const now = () => Math.floor(Date.now() / 1000);
  const other = (await ok(agent, 'message:send', { conversationId, clientMessageId: 's3', body: 'signed' })).message.id;
  const target = (await ok(agent, 'message:send', { conversationId, clientMessageId: 's4', body: 'not reported' })).message.id;
  const path = `/v1/messages/${other}/status`;
  const signed = signRequest(t.webhookSecret, 'POST', path, raw, now());
  const good = await call('POST', path, { raw, headers: { 'x-switchboard-signature': signed } });
  assert.is(good.status, 200, JSON.stringify(good.body));
  assert.is(good.body.message.status, 'read');
  // The same signed report replayed to another message of the inbox names the wrong path.
  const replayed = await call('POST', `/v1/messages/${target}/status`, { raw, headers: { 'x-switchboard-signature': signed } });
  assert.is(replayed.status, 401);
  // The old scheme signed the body only: refused.
  const oldScheme = await call('POST', `/v1/messages/${target}/status`, { raw, headers: { 'x-switchboard-signature': sign(t.webhookSecret, raw, now()) } });
  assert.is(oldScheme.status, 401);
  const bad = await call('POST', path, { raw, headers: { 'x-switchboard-signature': signRequest('whsec_nope', 'POST', path, raw, now()) } });
  assert.is(bad.status, 401);
  const history = await call('GET', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken });
  assert.is(history.body.messages.find((m: any) => m.id === target).status, 'sent', 'the replay changed nothing');
});

statuses('every report is kept in the audit trail', async () => {
  const rows = await server.app.orm.em.fork().getConnection().execute<{ status: string; applied: boolean }[]>(
    'select status, applied from message_status_updates where message_id = ? order by created_at', [messageId]);
  assert.equal(rows.map((r: { status: string; applied: boolean }) => [r.status, r.applied]), [['delivered', true], ['sent', false], ['read', true]]);
});

statuses.run();
