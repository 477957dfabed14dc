// Conversations over HTTP: creation, listing with filters and cursor, status changes, snooze wake-up.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, waitFor, waitForConversation, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let agent: ClientSocket;

const conversations = suite('conversations');

conversations.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Threads');
  agent = await connect(server.url, t.agentToken);
});
conversations.after(async () => {
  agent.close();
  await server.stop();
});

conversations('a conversation carries its inbox channel, record, priority and SLA policy', async () => {
  const res = await call('POST', '/v1/conversations', { token: t.botKey, body: {
    inboxId: t.inboxId, contactId: t.contactId, entityType: 'deal', entityId: 'deal-42', subject: 'Renewal', priority: 'high',
  } });
  assert.is(res.status, 201);
  const c = res.body.conversation;
  assert.is(c.channel, 'email');
  assert.is(c.status, 'new', 'no person has touched it yet');
  assert.is(c.priority, 'high');
  assert.is(c.entityType, 'deal');
  assert.is(c.entityId, 'deal-42');
  assert.is(c.subject, 'Renewal');
  assert.is(c.assigneeId, null);
  assert.is(c.messageCount, 0);
  assert.is(c.sla.policyId, t.policyId);
  for (const key of ['lastMessageAt', 'lastMessagePreview', 'lastDirection', 'firstResponseAt', 'resolvedAt', 'snoozedUntil']) {
    assert.is(c[key], null, key);
  }
});

conversations('entityType and entityId go together', async () => {
  const res = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, entityType: 'deal' } });
  assert.is(res.status, 400);
});

conversations('the list is newest activity first, filtered, and paged by cursor without overlap', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push(await newConversation(call, t, { entityType: 'ticket', entityId: 'T-1' }));
  // Activity order: a message in ids[1] last makes it the newest.
  for (const id of [ids[3], ids[0], ids[1]]) {
    await ok(agent, 'message:send', { conversationId: id, clientMessageId: 'm', body: 'activity' });
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `/v1/conversations?entityType=ticket&entityId=T-1&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await call('GET', query, { token: t.agentToken });
    assert.is(page.status, 200, JSON.stringify(page.body));
    assert.ok(page.body.conversations.length <= 2);
    seen.push(...page.body.conversations.map((c: { id: string }) => c.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  assert.is(seen.length, 5);
  assert.is(new Set(seen).size, 5);
  // Conversations without messages first (newest id first among them), then by last message time.
  assert.equal(seen.slice(2), [ids[1], ids[0], ids[3]]);
  const byStatus = await call('GET', '/v1/conversations?status=resolved', { token: t.agentToken });
  assert.equal(byStatus.body.conversations, []);
  const unassigned = await call('GET', `/v1/conversations?assigneeId=none&inboxId=${t.inboxId}&limit=100`, { token: t.agentToken });
  assert.ok(unassigned.body.conversations.length >= 5);
  const badCursor = await call('GET', '/v1/conversations?cursor=garbage', { token: t.agentToken });
  assert.is(badCursor.status, 400);
});

conversations('status changes: resolve stamps resolvedAt, reopening clears it, snooze needs a future time', async () => {
  const id = await newConversation(call, t);
  const resolved = await call('POST', `/v1/conversations/${id}/status`, { token: t.agentToken, body: { status: 'resolved' } });
  assert.is(resolved.body.conversation.status, 'resolved');
  assert.type(resolved.body.conversation.resolvedAt, 'string');
  const reopened = await call('POST', `/v1/conversations/${id}/status`, { token: t.agentToken, body: { status: 'open' } });
  assert.is(reopened.body.conversation.resolvedAt, null);
  const past = await call('POST', `/v1/conversations/${id}/status`, { token: t.agentToken, body: { status: 'snoozed', snoozedUntil: '2020-01-01T00:00:00Z' } });
  assert.is(past.status, 400);
  const missing = await call('POST', `/v1/conversations/${id}/status`, { token: t.agentToken, body: { status: 'snoozed' } });
  assert.is(missing.status, 400);
});

conversations('a snoozed conversation reopens by itself at snoozedUntil', async () => {
  const id = await newConversation(call, t);
  const until = new Date(Date.now() + 1500).toISOString();
  // The list also hears the conversation as it was created (open): only a state after snoozedUntil is the wake-up.
  const woke = waitForConversation(agent, (c: any) => c.id === id && c.status === 'open' && Date.now() >= Date.parse(until), 6000);
  const snoozed = await ok(agent, 'conversation:status', { conversationId: id, status: 'snoozed', snoozedUntil: until });
  assert.is(snoozed.conversation.snoozedUntil, until);
  const { conversation } = await woke;
  assert.is(conversation.snoozedUntil, null);
  assert.ok(Date.now() >= Date.parse(until));
});

conversations.run();
