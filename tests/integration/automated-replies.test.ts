// Automated replies on inbound messages: keyword, greeting, away; priority; channel and time conditions.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, waitFor, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let n = 0;
const sockets: ClientSocket[] = [];

const replies = suite('automated replies');

replies.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
});
replies.after(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Open one hour on the weekday three days from now: closed for the whole test. */
const CLOSED_NOW = { timezone: 'UTC', weekly: { [DAYS[(new Date().getUTCDay() + 3) % 7]]: [['10:00', '11:00']] } };
const ALWAYS_OPEN = { timezone: 'UTC', weekly: Object.fromEntries(DAYS.map((d) => [d, [['00:00', '24:00']]])) };

async function rule(t: SeededTenant, body: Record<string, unknown>) {
  const res = await call('POST', '/v1/automated-replies', { token: t.supervisorToken, body });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.automatedReply;
}

/** Sends an inbound message and answers the thread's messages after it was handled. */
async function inbound(t: SeededTenant, handle: string, body: string, inbox = { id: t.inboxId, secret: t.webhookSecret }) {
  const res = await signedInbound(call, inbox.id, inbox.secret, { externalId: `auto-${++n}`, from: { handle }, body });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const messages = await call('GET', `/v1/conversations/${res.body.conversationId}/messages`, { token: t.agentToken });
  return { conversationId: res.body.conversationId as string, messages: messages.body.messages as any[] };
}

/** Makes the seeded agent online (a connected socket), seen through the presence event. */
async function agentOnline(t: SeededTenant) {
  const watcher = await connect(server.url, t.supervisorToken);
  sockets.push(watcher);
  const online = waitFor(watcher, 'presence', (e: any) => e.userId === t.agentId && e.status === 'online');
  sockets.push(await connect(server.url, t.agentToken));
  await online;
}

replies('a greeting answers the first message of a new thread only, as a system message that is no first response', async () => {
  const t = await seedTenant(call, 'Greeting');
  await agentOnline(t);
  await rule(t, { name: 'Hello', kind: 'greeting', body: 'Thanks for writing, we will be in touch.' });
  const first = await inbound(t, 'g@greet.example', 'Hi there');
  assert.equal(first.messages.map((m) => [m.direction, m.senderType, m.body]), [
    ['inbound', 'contact', 'Hi there'], ['outbound', 'system', 'Thanks for writing, we will be in touch.'],
  ]);
  assert.is(first.messages[1].authorId, null);
  const again = await inbound(t, 'g@greet.example', 'One more thing');
  assert.is(again.conversationId, first.conversationId);
  assert.is(again.messages.length, 3);
  const conversation = await call('GET', `/v1/conversations/${first.conversationId}`, { token: t.agentToken });
  assert.is(conversation.body.conversation.firstResponseAt, null);
  const waiting = await call('GET', '/v1/reports/awaiting-reply', { token: t.agentToken });
  assert.equal(waiting.body.conversations.map((c: any) => c.id), [first.conversationId]);
});

replies('a keyword reply of higher priority wins over the greeting; one reply per message', async () => {
  const t = await seedTenant(call, 'Keyword');
  await agentOnline(t);
  await rule(t, { name: 'Hello', kind: 'greeting', body: 'Welcome!', priority: 0 });
  await rule(t, { name: 'Refunds', kind: 'keyword', keywords: ['refund', 'money back'], body: 'Refunds take 5 days.', priority: 10 });
  const asked = await inbound(t, 'k@kw.example', 'I want my MONEY BACK please');
  assert.equal(asked.messages.map((m) => m.body), ['I want my MONEY BACK please', 'Refunds take 5 days.']);
  const word = await inbound(t, 'k@kw.example', 'refunded already?');
  assert.is(word.messages.length, 3, 'a keyword matches whole words only');
  const again = await inbound(t, 'k@kw.example', 'refund status?');
  assert.is(again.messages.at(-1).body, 'Refunds take 5 days.');
});

replies('an away reply answers when no agent is online, and stops once one is', async () => {
  const t = await seedTenant(call, 'Away');
  await rule(t, { name: 'Away', kind: 'away', body: 'We are away right now.' });
  const away = await inbound(t, 'a@away.example', 'anyone?');
  assert.is(away.messages.at(-1).body, 'We are away right now.');
  await agentOnline(t);
  const back = await inbound(t, 'a@away.example', 'hello again');
  assert.is(back.messages.at(-1).body, 'hello again');
});

replies('an away reply answers outside business hours even with agents online', async () => {
  const t = await seedTenant(call, 'Closed');
  await agentOnline(t);
  await rule(t, { name: 'Closed', kind: 'away', body: 'We are closed.', businessHours: CLOSED_NOW });
  const res = await inbound(t, 'c@closed.example', 'open?');
  assert.is(res.messages.at(-1).body, 'We are closed.');
});

replies('conditions: channels, active hours, inbox and enabled', async () => {
  const t = await seedTenant(call, 'Conditions');
  await agentOnline(t);
  const chat = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Chat', channel: 'chat' } });
  const chatInbox = { id: chat.body.inbox.id, secret: chat.body.webhookSecret };
  await rule(t, { name: 'Chat only', kind: 'keyword', keywords: ['price'], body: 'Prices: see our site.', channels: ['chat'] });
  await rule(t, { name: 'Never active', kind: 'keyword', keywords: ['hours'], body: 'never sent', activeHours: CLOSED_NOW });
  await rule(t, { name: 'Always active', kind: 'keyword', keywords: ['hours'], body: 'We open at 9.', activeHours: ALWAYS_OPEN, priority: -1 });
  const off = await rule(t, { name: 'Disabled', kind: 'keyword', keywords: ['status'], body: 'disabled', enabled: false });
  await rule(t, { name: 'Other inbox', kind: 'keyword', keywords: ['status'], body: 'wrong inbox', inboxId: chatInbox.id });
  assert.is((await inbound(t, 'p@cond.example', 'what price?')).messages.length, 1);
  assert.is((await inbound(t, 'visitor-1', 'what price?', chatInbox)).messages.at(-1).body, 'Prices: see our site.');
  assert.is((await inbound(t, 'p@cond.example', 'your hours?')).messages.at(-1).body, 'We open at 9.');
  assert.is((await inbound(t, 'p@cond.example', 'order status?')).messages.at(-1).body, 'order status?');
  const enabled = await call('PATCH', `/v1/automated-replies/${off.id}`, { token: t.supervisorToken, body: { enabled: true } });
  assert.is(enabled.body.automatedReply.enabled, true);
  assert.is((await inbound(t, 'p@cond.example', 'status again')).messages.at(-1).body, 'disabled');
  const list = await call('GET', '/v1/automated-replies', { token: t.supervisorToken });
  assert.equal(list.body.automatedReplies.map((r: any) => r.priority), [0, 0, 0, 0, -1]);
});

replies('rules are validated and managed by supervisors and admins only', async () => {
  const t = await seedTenant(call, 'Rules');
  const noKeywords = await call('POST', '/v1/automated-replies', { token: t.supervisorToken, body: { name: 'x', kind: 'keyword', body: 'y' } });
  assert.is(noKeywords.status, 400);
  const badHours = await call('POST', '/v1/automated-replies', { token: t.supervisorToken, body: { name: 'x', kind: 'away', body: 'y', businessHours: { timezone: 'Mars/Base', weekly: {} } } });
  assert.is(badHours.status, 400);
  const agent = await call('POST', '/v1/automated-replies', { token: t.agentToken, body: { name: 'x', kind: 'greeting', body: 'y' } });
  assert.is(agent.status, 403);
  const unknownInbox = await call('POST', '/v1/automated-replies', { token: t.supervisorToken, body: { name: 'x', kind: 'greeting', body: 'y', inboxId: crypto.randomUUID() } });
  assert.is(unknownInbox.status, 404);
  const created = await rule(t, { name: 'Temp', kind: 'greeting', body: 'hi' });
  assert.is((await call('DELETE', `/v1/automated-replies/${created.id}`, { token: t.supervisorToken })).status, 204);
  assert.equal((await call('GET', '/v1/automated-replies', { token: t.supervisorToken })).body.automatedReplies, []);
});

replies.run();
