// A masked thread seen by those who may not read it (an agent who is not a participant, a supervisor, a bot):
// every route the server registers and every socket event is called with the thread's ids, repeats of its
// clientMessageIds and its message ids included, and no answer, error or live event may carry its body,
// subject, attachment, note or whisper. A route the walk does not know fails the test, so new ones get walked.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, request, waitFor, type ClientSocket } from '../helpers/sockets.ts';

const SECRETS = {
  body: 'secret-inbound-body-7c1', subject: 'secret-subject-3f9', note: 'secret-note-a41', whisper: 'secret-whisper-e55',
  attachment: 'https://files.example/secret-attachment-b27.pdf', live: 'secret-live-reply-d08', liveNote: 'secret-live-note-0c6',
};

/** Routes a masked reader cannot call at all, and why. */
const NOT_FOR_READERS: Record<string, string> = {
  'POST /v1/tenants': 'needs the operator admin key',
  'POST /v1/inboxes/:id/inbound': 'channels only, signed with the inbox secret',
  'GET /': 'the console page', 'GET /console.css': 'the console page', 'GET /console.js': 'the console page',
  'GET /health': 'no tenant data', 'GET /metrics': 'no tenant data',
};

let server: TestServer;
let call: Call;
let t: SeededTenant;
const sockets: ClientSocket[] = [];
const ids: Record<string, string> = {};
const clientIds: string[] = [];
let readers: { name: string; token: string }[] = [];

const masked = suite('masked thread readers');

masked.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Masked');
  const admin = (method: string, path: string, body?: unknown) => call(method, path, { token: t.adminToken, body });
  const owner = await admin('POST', '/v1/users', { name: 'Olive Owner', role: 'agent' });
  ids.owner = owner.body.user.id;
  ids.ownerToken = owner.body.token;
  const outsider = await admin('POST', '/v1/users', { name: 'Otto Outsider', role: 'agent' });
  const inbox = await admin('POST', '/v1/inboxes', { name: 'Private', channel: 'email', visibility: 'metadata', memberIds: [ids.owner] });
  ids.inbox = inbox.body.inbox.id;
  const first = await signedInbound(call, ids.inbox, inbox.body.webhookSecret, {
    externalId: 'm-1', from: { handle: 'carla@masked.example', name: 'Carla' }, body: SECRETS.body, htmlBody: `<p>${SECRETS.body}</p>`,
  });
  ids.conversation = first.body.conversationId;
  ids.bodyMessage = first.body.messageId;
  ids.contact = (await admin('GET', `/v1/conversations/${ids.conversation}`)).body.conversation.contactId;
  await admin('POST', `/v1/conversations/${ids.conversation}/assign`, { assigneeId: ids.owner });
  const send = (body: Record<string, unknown>) => call('POST', `/v1/conversations/${ids.conversation}/messages`, { token: ids.ownerToken, body });
  const reply = await send({ clientMessageId: 'owner-reply', body: SECRETS.body, attachments: [{ url: SECRETS.attachment, type: 'file' }] });
  const note = await send({ clientMessageId: 'owner-note', body: SECRETS.note, direction: 'internal' });
  const whisper = await admin('POST', `/v1/conversations/${ids.conversation}/messages`, { clientMessageId: 'admin-whisper', body: SECRETS.whisper, direction: 'internal', whisperTo: ids.owner });
  for (const res of [reply, note, whisper]) assert.is(res.status, 201, JSON.stringify(res.body));
  ids.replyMessage = reply.body.message.id;
  ids.noteMessage = note.body.message.id;
  ids.whisperMessage = whisper.body.message.id;
  // A pinned note and a tag complete the thread.
  await call('POST', `/v1/messages/${ids.noteMessage}/pin`, { token: ids.ownerToken });
  ids.tag = (await admin('POST', '/v1/tags', { name: 'vip' })).body.tag.id;
  await admin('POST', `/v1/conversations/${ids.conversation}/tags`, { tagId: ids.tag });
  ids.botKeyId = (await admin('GET', `/v1/users/${t.botId}/keys`)).body.keys[0].id;
  clientIds.push('owner-reply', 'owner-note', 'admin-whisper');
  readers = [
    { name: 'agent (not a participant)', token: outsider.body.token },
    { name: 'supervisor', token: t.supervisorToken },
    { name: 'bot', token: t.botKey },
  ];
  // A second thread with a secret subject, for the subject masking.
  const subjectThread = await call('POST', '/v1/conversations', { token: t.adminToken, body: { inboxId: ids.inbox, contactId: ids.contact, subject: SECRETS.subject } });
  assert.is(subjectThread.status, 201, JSON.stringify(subjectThread.body));
  ids.subjectConversation = subjectThread.body.conversation.id;
});
masked.after(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

function leaks(payload: unknown): string[] {
  const text = JSON.stringify(payload) ?? '';
  return Object.entries(SECRETS).filter(([, secret]) => text.includes(secret)).map(([what]) => what);
}

/** Concrete calls for one route template: its ids filled with the masked thread's, with bodies that matter. */
function callsFor(method: string, url: string): { path: string; body?: unknown }[] {
  const unknown = crypto.randomUUID();
  const messageIds = [ids.bodyMessage, ids.replyMessage, ids.noteMessage, ids.whisperMessage];
  const fill = (template: string, values: Record<string, string>) =>
    template.replace(/:(\w+)/g, (_, name: string) => values[name] ?? unknown);
  if (url.startsWith('/v1/messages/')) {
    const bodies: unknown[] = url.endsWith('/status') ? [{ status: 'pending' }, { status: 'read' }, {}] : [undefined];
    return messageIds.flatMap((id) => bodies.map((body) => ({ path: fill(url, { id }), body })));
  }
  if (url === '/v1/conversations/:id/messages' && method === 'POST') {
    // Repeats of the thread's own ids (a new id from a supervisor is a legitimate write that makes them a participant).
    return clientIds.flatMap((clientMessageId) => [
      { path: fill(url, { id: ids.conversation }), body: { clientMessageId, body: 'x' } },
      { path: fill(url, { id: ids.conversation }), body: { clientMessageId, body: 'x', direction: 'internal' } },
    ]);
  }
  if (url.startsWith('/v1/conversations/:id')) {
    const body = url.endsWith('/assign') ? { assigneeId: ids.owner } : url.endsWith('/status') ? { status: 'open' }
      : url.endsWith('/tags') ? { tagId: ids.tag } : url.endsWith('/grants') && method === 'POST' ? { userId: ids.owner } : {};
    return [ids.conversation, ids.subjectConversation].map((id) => ({ path: fill(url, { id, userId: ids.owner, tagId: ids.tag }), body: method === 'GET' || method === 'DELETE' ? undefined : body }));
  }
  if (url.startsWith('/v1/entities/')) {
    return ['contact', 'ticket'].map((type) => ({ path: fill(url, { type, id: ids.contact }) }));
  }
  const values: Record<string, string> = { id: ids.contact, keyId: ids.botKeyId };
  if (url.startsWith('/v1/users/')) values.id = ids.owner;
  if (url.startsWith('/v1/inboxes/')) values.id = ids.inbox;
  if (url.startsWith('/v1/tags/')) values.id = ids.tag;
  const body = method === 'GET' || method === 'DELETE' ? undefined
    : url === '/v1/conversations' ? { inboxId: ids.inbox, contactId: ids.contact } : url === '/v1/contacts' ? { name: 'Someone' } : {};
  const query = url === '/v1/conversations' && method === 'GET' ? `?inboxId=${ids.inbox}` : '';
  return [{ path: fill(url, values) + query, body }];
}

masked('every route, called by each masked reader with the thread\'s ids and repeats, reveals nothing of it', async () => {
  const routes = server.app.http.routeTable.filter((r) => r.method !== 'OPTIONS' && !NOT_FOR_READERS[`${r.method} ${r.url}`]);
  assert.ok(routes.length > 60, `${routes.length} routes`);
  let calls = 0;
  for (const reader of readers) {
    for (const { method, url } of routes) {
      for (const { path, body } of callsFor(method, url)) {
        const res = await call(method, path, { token: reader.token, body });
        calls++;
        assert.equal(leaks(res.body), [], `${reader.name} ${method} ${path} → ${res.status} ${(JSON.stringify(res.body) ?? "").slice(0, 300)}`);
      }
    }
  }
  console.log(`  ${calls} calls over ${routes.length} routes as ${readers.length} readers`);
  // Nothing the readers did made them participants: the thread still reads masked to them.
  for (const reader of readers) {
    const history = await call('GET', `/v1/conversations/${ids.conversation}/messages`, { token: reader.token });
    assert.ok(history.body.messages.every((m: { masked: boolean }) => m.masked), reader.name);
  }
});

masked('every socket event, and every live event while the owner writes, reveals nothing of it', async () => {
  const heard: { reader: string; payload: unknown }[] = [];
  const sockets2: ClientSocket[] = [];
  for (const reader of readers) {
    const socket = await connect(server.url, reader.token);
    sockets.push(socket);
    sockets2.push(socket);
    socket.onAny((event: string, payload: unknown) => heard.push({ reader: reader.name, payload: { event, payload } }));
    const answers: unknown[] = [];
    for (const conversationId of [ids.conversation, ids.subjectConversation]) {
      answers.push(await request(socket, 'conversation:join', { conversationId }));
      answers.push(await request(socket, 'conversation:sync', { conversationId, afterSeq: 0, limit: 1000 }));
      answers.push(await request(socket, 'conversation:read', { conversationId, seq: 100 }));
      answers.push(await request(socket, 'conversation:status', { conversationId, status: 'open' }));
      answers.push(await request(socket, 'conversation:assign', { conversationId, assigneeId: ids.owner }));
      answers.push(await request(socket, 'typing', { conversationId, isTyping: true }));
      for (const clientMessageId of conversationId === ids.conversation ? clientIds : []) {
        answers.push(await request(socket, 'message:send', { conversationId, clientMessageId, body: 'x' }));
        answers.push(await request(socket, 'message:send', { conversationId, clientMessageId, body: 'x', direction: 'internal' }));
      }
      answers.push(await request(socket, 'conversation:join', { conversationId }));
    }
    for (const answer of answers) assert.equal(leaks(answer), [], `${reader.name}: ${JSON.stringify(answer).slice(0, 300)}`);
  }
  // The owner writes while the readers are joined: they hear the masked forms only.
  const owner = await connect(server.url, ids.ownerToken);
  sockets.push(owner);
  await ok(owner, 'conversation:join', { conversationId: ids.conversation });
  const reached = sockets2.map((s) => waitFor(s, 'message:new', (e: { message: { clientMessageId: string } }) => e.message.clientMessageId === 'live-reply'));
  await ok(owner, 'message:send', { conversationId: ids.conversation, clientMessageId: 'live-note', body: SECRETS.liveNote, direction: 'internal' });
  await ok(owner, 'message:send', { conversationId: ids.conversation, clientMessageId: 'live-reply', body: SECRETS.live });
  await Promise.all(reached);
  assert.ok(heard.length > 0);
  for (const { reader, payload } of heard) assert.equal(leaks(payload), [], `${reader} heard ${JSON.stringify(payload).slice(0, 300)}`);
  assert.ok(!heard.some((h) => h.reader === 'bot' && JSON.stringify(h.payload).includes('live-note')), 'a note never reaches a bot, even masked');
});

masked('writing into a masked thread needs read access: refused, nothing stored, no participation gained', async () => {
  const outsider = readers[0];
  const before = (await call('GET', `/v1/conversations/${ids.conversation}`, { token: t.adminToken })).body.conversation.messageCount;
  for (const body of [{ clientMessageId: 'intrude-1', body: '.', direction: 'internal' }, { clientMessageId: 'intrude-2', body: 'hello' }]) {
    const res = await call('POST', `/v1/conversations/${ids.conversation}/messages`, { token: outsider.token, body });
    assert.is(res.status, 403, JSON.stringify(res.body));
    assert.is(res.body.error.code, 'FORBIDDEN');
  }
  const bot = await call('POST', `/v1/conversations/${ids.conversation}/messages`, { token: t.botKey, body: { clientMessageId: 'bot-intrude', body: 'hi' } });
  assert.is(bot.status, 403);
  assert.is((await call('GET', `/v1/conversations/${ids.conversation}`, { token: t.adminToken })).body.conversation.messageCount, before);
  const history = await call('GET', `/v1/conversations/${ids.conversation}/messages`, { token: outsider.token });
  assert.ok(history.body.messages.every((m: { masked: boolean }) => m.masked));
  // An agent may not take a masked thread of an inbox they do not work in.
  const loose = await call('POST', '/v1/conversations', { token: t.adminToken, body: { inboxId: ids.inbox, contactId: ids.contact } });
  const take = await call('POST', `/v1/conversations/${loose.body.conversation.id}/assign`, { token: outsider.token, body: { assigneeId: (await call('GET', '/v1/users', { token: outsider.token })).body.users.find((u: { name: string }) => u.name === 'Otto Outsider').id } });
  assert.is(take.status, 403, JSON.stringify(take.body));
});

masked('a repeated clientMessageId answers its own sender only; anyone else gets CONFLICT and nothing of the original', async () => {
  const mine = await call('POST', `/v1/conversations/${ids.conversation}/messages`, { token: ids.ownerToken, body: { clientMessageId: 'owner-note', body: 'again', direction: 'internal' } });
  assert.is(mine.status, 200);
  assert.is(mine.body.message.body, SECRETS.note);
  // A supervisor may write into the thread, but another's id is not theirs.
  const theirs = await call('POST', `/v1/conversations/${ids.conversation}/messages`, { token: t.supervisorToken, body: { clientMessageId: 'owner-note', body: 'x' } });
  assert.is(theirs.status, 409, JSON.stringify(theirs.body));
  assert.equal(leaks(theirs.body), []);
});

masked('a status report needs read access and an outbound message: no body in any answer, no audit row for a refusal', async () => {
  const counts = async () => Number((await server.app.orm.em.fork().getConnection().execute('select count(*) as n from message_status_updates'))[0].n);
  const before = await counts();
  for (const reader of readers) {
    for (const id of [ids.bodyMessage, ids.replyMessage, ids.noteMessage, ids.whisperMessage]) {
      const res = await call('POST', `/v1/messages/${id}/status`, { token: reader.token, body: { status: 'pending' } });
      assert.ok(res.status === 403 || res.status === 404, `${reader.name} ${id}: ${res.status}`);
      assert.equal(leaks(res.body), []);
    }
  }
  assert.is(await counts(), before);
  const owner = await call('POST', `/v1/messages/${ids.replyMessage}/status`, { token: ids.ownerToken, body: { status: 'delivered' } });
  assert.is(owner.status, 200);
  assert.is(owner.body.message.status, 'delivered');
  const onNote = await call('POST', `/v1/messages/${ids.noteMessage}/status`, { token: ids.ownerToken, body: { status: 'read' } });
  assert.is(onNote.status, 400);
});

masked.run();
