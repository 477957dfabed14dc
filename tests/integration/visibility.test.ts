// Visibility masking per inbox: who is a participant, and the masked forms on HTTP, sync and live.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, waitFor, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
const inboxes: Record<'subject' | 'metadata', { id: string; secret: string }> = {} as never;
const people: Record<'outsider' | 'author' | 'cc' | 'guest', { id: string; token: string }> = {} as never;
const sockets: ClientSocket[] = [];
let externalSeq = 0;

const visibility = suite('visibility masking');

async function user(name: string, email: string, role = 'agent') {
  const res = await call('POST', '/v1/users', { token: t.adminToken, body: { name, email, role } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.user.id as string, token: res.body.token as string };
}

/** A thread in a masked inbox started by an inbound message "<body>", with a subject. */
async function maskedThread(kind: 'subject' | 'metadata', body: string, subject = 'Refund for order 1234'): Promise<string> {
  const res = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: inboxes[kind].id, contactId: t.contactId, subject } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  await inboundTo(kind, res.body.conversation.id, body);
  return res.body.conversation.id;
}

async function inboundTo(kind: 'subject' | 'metadata', conversationId: string, body: string) {
  // The contact's open thread in that inbox receives it.
  const res = await signedInbound(call, inboxes[kind].id, inboxes[kind].secret, {
    externalId: `vis-${++externalSeq}`, from: { handle: 'carla@visibility.example' }, body,
  });
  assert.is(res.status, 202, JSON.stringify(res.body));
  assert.is(res.body.conversationId, conversationId);
}

visibility.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Visibility');
  for (const kind of ['subject', 'metadata'] as const) {
    const res = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: `${kind} inbox`, channel: 'email', visibility: kind } });
    assert.is(res.status, 201, JSON.stringify(res.body));
    inboxes[kind] = { id: res.body.inbox.id, secret: res.body.webhookSecret };
  }
  people.outsider = await user('Olga Outsider', 'olga@visibility.example');
  // A supervisor may write into a masked thread they do not read yet (agents may not), and writing makes them a participant.
  people.author = await user('Abe Author', 'abe@visibility.example', 'supervisor');
  people.cc = await user('Cecile Copied', 'cecile@visibility.example');
  people.guest = await user('Gus Guest', 'gus@visibility.example');
});

visibility.after(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

visibility('a non-participant reads a subject-masked thread without its content; admins read it all', async () => {
  const id = await maskedThread('subject', 'my card number is private');
  const seen = await call('GET', `/v1/conversations/${id}`, { token: people.outsider.token });
  assert.is(seen.body.conversation.masked, true);
  assert.is(seen.body.conversation.visibility, 'subject');
  assert.is(seen.body.conversation.subject, 'Refund for order 1234');
  assert.is(seen.body.conversation.lastMessagePreview, null);
  assert.is(seen.body.conversation.messageCount, 1);
  const messages = await call('GET', `/v1/conversations/${id}/messages`, { token: people.outsider.token });
  assert.is(messages.body.messages.length, 1);
  assert.is(messages.body.messages[0].body, '');
  assert.is(messages.body.messages[0].masked, true);
  assert.equal(messages.body.messages[0].attachments, []);
  const admin = await call('GET', `/v1/conversations/${id}/messages`, { token: t.adminToken });
  assert.is(admin.body.messages[0].body, 'my card number is private');
  assert.is(admin.body.messages[0].masked, false);
  const list = await call('GET', `/v1/conversations?inboxId=${inboxes.subject.id}`, { token: people.outsider.token });
  assert.ok(list.body.conversations.every((c: any) => c.masked && c.lastMessagePreview === null));
});

visibility('metadata visibility masks the subject too; share_everything masks nothing', async () => {
  const id = await maskedThread('metadata', 'metadata-only body');
  const seen = await call('GET', `/v1/conversations/${id}`, { token: people.outsider.token });
  assert.is(seen.body.conversation.masked, true);
  assert.is(seen.body.conversation.subject, null);
  const open = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, subject: 'Open to all' } });
  const plain = await call('GET', `/v1/conversations/${open.body.conversation.id}`, { token: people.outsider.token });
  assert.is(plain.body.conversation.masked, false);
  assert.is(plain.body.conversation.subject, 'Open to all');
});

visibility('the assignee, authors and the users among recipients are participants of the whole thread', async () => {
  const id = await maskedThread('subject', 'first private words');
  const assigned = await call('POST', `/v1/conversations/${id}/assign`, { token: t.adminToken, body: { assigneeId: t.agentId } });
  assert.is(assigned.status, 200);
  const asAssignee = await call('GET', `/v1/conversations/${id}/messages`, { token: t.agentToken });
  assert.is(asAssignee.body.messages[0].body, 'first private words');

  const before = await call('GET', `/v1/conversations/${id}/messages`, { token: people.author.token });
  assert.is(before.body.messages[0].masked, true);
  const reply = await call('POST', `/v1/conversations/${id}/messages`, {
    token: people.author.token,
    body: { clientMessageId: 'vis-author-1', body: 'Looking into it', recipients: { to: [{ address: 'carla@visibility.example' }], cc: [{ address: 'Cecile@Visibility.example', alias: 'Cecile' }] } },
  });
  assert.is(reply.status, 201, JSON.stringify(reply.body));
  assert.equal(reply.body.message.recipients.map((r: any) => [r.role, r.address, r.userId]),
    [['to', 'carla@visibility.example', null], ['cc', 'Cecile@Visibility.example', people.cc.id]]);
  // Permissions are per thread: the earlier message, which they did not write or receive, opens too.
  for (const who of [people.author, people.cc]) {
    const after = await call('GET', `/v1/conversations/${id}/messages`, { token: who.token });
    assert.equal(after.body.messages.map((m: any) => m.body), ['first private words', 'Looking into it']);
  }
  const outsider = await call('GET', `/v1/conversations/${id}/messages`, { token: people.outsider.token });
  assert.equal(outsider.body.messages.map((m: any) => m.body), ['', '']);
});

visibility('a grant opens the thread to one user and revoking it closes it again', async () => {
  const id = await maskedThread('subject', 'granted content');
  const agentTry = await call('POST', `/v1/conversations/${id}/grants`, { token: t.agentToken, body: { userId: people.guest.id } });
  assert.is(agentTry.status, 403);
  const granted = await call('POST', `/v1/conversations/${id}/grants`, { token: t.supervisorToken, body: { userId: people.guest.id } });
  assert.is(granted.status, 201, JSON.stringify(granted.body));
  assert.is(granted.body.grant.userId, people.guest.id);
  const open = await call('GET', `/v1/conversations/${id}`, { token: people.guest.token });
  assert.is(open.body.conversation.masked, false);
  assert.is(open.body.conversation.lastMessagePreview, 'granted content');
  const list = await call('GET', `/v1/conversations/${id}/grants`, { token: t.supervisorToken });
  assert.equal(list.body.grants.map((g: any) => g.userId), [people.guest.id]);
  const revoked = await call('DELETE', `/v1/conversations/${id}/grants/${people.guest.id}`, { token: t.supervisorToken });
  assert.is(revoked.status, 204);
  const closed = await call('GET', `/v1/conversations/${id}`, { token: people.guest.token });
  assert.is(closed.body.conversation.masked, true);
  const again = await call('DELETE', `/v1/conversations/${id}/grants/${people.guest.id}`, { token: t.supervisorToken });
  assert.is(again.status, 404);
});

visibility('sync and live broadcasts give a non-participant the masked form and a participant the full one', async () => {
  const id = await maskedThread('subject', 'opening line');
  await call('POST', `/v1/conversations/${id}/assign`, { token: t.adminToken, body: { assigneeId: t.agentId } });
  const outsider = await connect(server.url, people.outsider.token);
  const assignee = await connect(server.url, t.agentToken);
  sockets.push(outsider, assignee);
  const joined = await ok(outsider, 'conversation:join', { conversationId: id });
  assert.is(joined.conversation.masked, true);
  await ok(assignee, 'conversation:join', { conversationId: id });
  const synced = await ok(outsider, 'conversation:sync', { conversationId: id, afterSeq: 0 });
  assert.equal(synced.messages.map((m: any) => [m.body, m.masked]), [['', true]]);

  const maskedNew = waitFor(outsider, 'message:new', (e: any) => e.message.conversationId === id);
  const fullNew = waitFor(assignee, 'message:new', (e: any) => e.message.conversationId === id);
  const maskedUpdate = waitFor(outsider, 'conversation:updated', (e: any) => e.conversation.id === id && e.conversation.messageCount === 2);
  const fullUpdate = waitFor(assignee, 'conversation:updated', (e: any) => e.conversation.id === id && e.conversation.messageCount === 2);
  await inboundTo('subject', id, 'second private line');
  assert.equal([(await maskedNew).message.body, (await maskedNew).message.masked], ['', true]);
  assert.is((await fullNew).message.body, 'second private line');
  assert.is((await maskedUpdate).conversation.lastMessagePreview, null);
  assert.is((await fullUpdate).conversation.lastMessagePreview, 'second private line');

  // Granted while joined: the open socket hears the thread in full from then on.
  await call('POST', `/v1/conversations/${id}/grants`, { token: t.supervisorToken, body: { userId: people.outsider.id } });
  let heard = '';
  for (let attempt = 1; attempt <= 20 && !heard; attempt++) {
    const next = waitFor(outsider, 'message:new', (e: any) => e.message.conversationId === id && e.message.seq === 2 + attempt);
    await inboundTo('subject', id, `after grant ${attempt}`);
    heard = (await next).message.body;
  }
  assert.match(heard, /^after grant \d+$/);
});

visibility('reassigned away under metadata visibility, the former assignee hears only the masked form within 1 s', async () => {
  const id = await maskedThread('metadata', 'opening line');
  await call('POST', `/v1/conversations/${id}/assign`, { token: t.adminToken, body: { assigneeId: people.guest.id } });
  const former = await connect(server.url, people.guest.token);
  sockets.push(former);
  await ok(former, 'conversation:join', { conversationId: id });
  const fullBefore = waitFor(former, 'message:new', (e: any) => e.message.conversationId === id && e.message.seq === 2);
  await inboundTo('metadata', id, 'while assigned');
  assert.is((await fullBefore).message.body, 'while assigned');
  // Listening before the request: the masked update may arrive before the HTTP answer does.
  const masked = waitFor(former, 'conversation:updated', (e: any) => e.conversation.id === id && e.conversation.masked === true, 5000);
  const reassignedAt = performance.now();
  const res = await call('POST', `/v1/conversations/${id}/assign`, { token: t.adminToken, body: { assigneeId: t.agentId } });
  assert.is(res.status, 200);
  await masked;
  assert.ok(performance.now() - reassignedAt < 1000, 'the masked view arrives within 1 s of the request');
  // The first message after the reassignment that reaches the former assignee is masked.
  const after = waitFor(former, 'message:new', (e: any) => e.message.conversationId === id && e.message.seq === 3);
  await inboundTo('metadata', id, 'after reassignment');
  const heard = (await after).message;
  assert.equal([heard.body, heard.masked], ['', true]);
});

visibility.run();
