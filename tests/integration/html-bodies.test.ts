// HTML bodies and names are stored as given and served next to a sanitized form, on every path a client
// reads them (ack, live, sync, HTTP history, inbound), and a masked reader gets neither.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, waitFor, type ClientSocket } from '../helpers/sockets.ts';

const HOSTILE = '<p>Hi <b>there</b><img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:alert(3)">x</a></p>';
// A tenant keeps no remote images by default (tracking pixels): the img goes with the rest.
const SAFE = '<p>Hi <b>there</b><a rel="noopener noreferrer nofollow" target="_blank">x</a></p>';

let server: TestServer;
let call: Call;
let t: SeededTenant;
const open: ClientSocket[] = [];
const html = suite('html bodies and names');

html.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Html');
});
html.after(async () => {
  for (const s of open) s.close();
  await server.stop();
});

html('a sent htmlBody is kept as given and served with its sanitized form on ack, live, sync and HTTP', async () => {
  const conversationId = await newConversation(call, t);
  const [sender, watcher] = await Promise.all([connect(server.url, t.agentToken), connect(server.url, t.supervisorToken)]);
  open.push(sender, watcher);
  await ok(watcher, 'conversation:join', { conversationId });
  const live = waitFor(watcher, 'message:new', (e: any) => e.message.clientMessageId === 'h1');
  const acked = (await ok(sender, 'message:send', { conversationId, clientMessageId: 'h1', body: 'Hi there', htmlBody: HOSTILE })).message;
  for (const message of [acked, (await live).message]) {
    assert.is(message.htmlBody, HOSTILE);
    assert.is(message.htmlBodySafe, SAFE);
  }
  const synced = (await ok(watcher, 'conversation:sync', { conversationId, afterSeq: 0 })).messages[0];
  assert.is(synced.htmlBodySafe, SAFE);
  const listed = (await call('GET', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken })).body.messages[0];
  assert.is(listed.htmlBody, HOSTILE);
  assert.is(listed.htmlBodySafe, SAFE);
  const plain = (await ok(sender, 'message:send', { conversationId, clientMessageId: 'h2', body: 'no html' })).message;
  assert.is(plain.htmlBody, null);
  assert.is(plain.htmlBodySafe, null);
});

html('remote images stay out of htmlBodySafe unless the tenant keeps them; only admins change that', async () => {
  const conversationId = await newConversation(call, t);
  const pixel = '<p>Hello<img src="https://tracker.example/open.gif?u=1" alt=""></p>';
  const before = (await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken, body: { clientMessageId: 'px1', body: 'x', htmlBody: pixel } })).body.message;
  assert.is(before.htmlBodySafe, '<p>Hello</p>');
  assert.is((await call('PATCH', '/v1/tenant', { token: t.agentToken, body: { remoteImages: true } })).status, 403);
  const changed = await call('PATCH', '/v1/tenant', { token: t.adminToken, body: { remoteImages: true } });
  assert.is(changed.body.tenant.remoteImages, true);
  const after = (await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken, body: { clientMessageId: 'px2', body: 'x', htmlBody: pixel } })).body.message;
  assert.is(after.htmlBodySafe, '<p>Hello<img src="https://tracker.example/open.gif?u=1" alt="" /></p>');
  await call('PATCH', '/v1/tenant', { token: t.adminToken, body: { remoteImages: false } });
});

html('an inbound email with HTML only is accepted and sanitized; an htmlBody over the limit is refused', async () => {
  const res = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'html-in', from: { handle: 'carla@html.example' }, body: '', htmlBody: HOSTILE });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const messages = (await call('GET', `/v1/conversations/${res.body.conversationId}/messages`, { token: t.adminToken })).body.messages;
  const inbound = messages.find((m: any) => m.externalId === 'html-in');
  assert.is(inbound.htmlBodySafe, SAFE);
  const conversationId = await newConversation(call, t);
  const big = await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken, body: { clientMessageId: 'big', body: 'x', htmlBody: 'x'.repeat(70_000) } });
  assert.is(big.status, 413);
});

html('names are served with a markup-free escaped form', async () => {
  const user = (await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Eve <img src=x onerror=alert(1)>& Co', role: 'agent' } })).body.user;
  assert.is(user.name, 'Eve <img src=x onerror=alert(1)>& Co');
  assert.is(user.nameSafe, 'Eve &amp; Co');
  const listed = (await call('GET', '/v1/users', { token: t.agentToken })).body.users.find((u: any) => u.id === user.id);
  assert.is(listed.nameSafe, 'Eve &amp; Co');
  const contact = (await call('POST', '/v1/contacts', { token: t.agentToken, body: { name: '<script>x</script>Mallory', identities: [] } })).body.contact;
  assert.is(contact.nameSafe, 'Mallory');
});

html('a reader who may not see a masked thread gets no HTML either', async () => {
  const inbox = (await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Private', channel: 'email', visibility: 'subject' } })).body;
  const res = await signedInbound(call, inbox.inbox.id, inbox.webhookSecret, { externalId: 'masked-html', from: { handle: 'carla@html.example' }, body: 'secret', htmlBody: '<p>secret</p>' });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const outsider = (await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Outsider', role: 'agent' } })).body.token;
  const [message] = (await call('GET', `/v1/conversations/${res.body.conversationId}/messages`, { token: outsider })).body.messages;
  assert.is(message.masked, true);
  assert.is(message.htmlBody, null);
  assert.is(message.htmlBodySafe, null);
});

html.run();
