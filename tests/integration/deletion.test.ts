// Deletion by admins: a message becomes a tombstone that keeps its seq and is heard live; a conversation goes
// with its messages and its record keeps a timeline entry. Nobody else may delete, and a refusal changes nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { tableDigests } from '../helpers/row-counts.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, waitFor, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let other: SeededTenant;
const sockets: ClientSocket[] = [];

const deletion = suite('deletion');

deletion.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Deletion');
  other = await seedTenant(call, 'Bystander');
});
deletion.after(async () => {
  for (const s of sockets) s.disconnect();
  await server.stop();
});

async function socketFor(token: string): Promise<ClientSocket> {
  const s = await connect(server.url, token);
  sockets.push(s);
  return s;
}

async function say(conversationId: string, body: string, extra: Record<string, unknown> = {}) {
  const res = await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken, body: { clientMessageId: crypto.randomUUID(), body, ...extra } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.message;
}

deletion('an admin deletes a message: a tombstone keeps its seq, attachments go, joined sockets hear it, once', async () => {
  const id = await newConversation(call, t, { entityType: 'deal', entityId: 'deal-del' });
  await say(id, 'first');
  const secret = await say(id, 'card 4111 1111 1111 1111', { attachments: [{ type: 'image', url: 'https://cdn.example/card.png' }] });
  await say(id, 'last');
  // Refusals first, before any socket connects (a connection writes the user's presence).
  const before = await tableDigests(server.app.orm);
  for (const token of [t.agentToken, t.supervisorToken, t.botKey, other.adminToken]) {
    const refused = await call('DELETE', `/v1/conversations/${id}/messages/${secret.id}`, { token });
    assert.ok(refused.status === 403 || refused.status === 404, `${refused.status} ${JSON.stringify(refused.body)}`);
  }
  assert.equal(await tableDigests(server.app.orm), before, 'refusals change nothing');
  const watcher = await socketFor(t.supervisorToken);
  await ok(watcher, 'conversation:join', { conversationId: id });
  const heard = waitFor(watcher, 'message:updated', (e: any) => e.message.id === secret.id);

  const deleted = await call('DELETE', `/v1/conversations/${id}/messages/${secret.id}`, { token: t.adminToken });
  assert.is(deleted.status, 200, JSON.stringify(deleted.body));
  const tombstone = deleted.body.message;
  assert.equal([tombstone.seq, tombstone.body, tombstone.htmlBody, tombstone.attachments], [secret.seq, '', null, []]);
  assert.type(tombstone.deletedAt, 'string');
  const live = await heard;
  assert.equal([live.message.body, live.message.deletedAt], ['', tombstone.deletedAt]);

  const again = await call('DELETE', `/v1/conversations/${id}/messages/${secret.id}`, { token: t.adminToken });
  assert.equal([again.status, again.body.message.deletedAt], [200, tombstone.deletedAt]);
  const history = await call('GET', `/v1/conversations/${id}/messages`, { token: t.agentToken });
  assert.equal(history.body.messages.map((m: any) => [m.seq, m.body]), [[1, 'first'], [2, ''], [3, 'last']], 'gap-free, with the tombstone in place');
  // The text itself (a bare '4111' can occur inside a random id).
  assert.not.ok(JSON.stringify(history.body).includes('card 4111'), 'the deleted text is nowhere');
  const timeline = await call('GET', '/v1/entities/deal/deal-del/timeline', { token: t.agentToken });
  assert.ok(timeline.body.activities.some((a: any) => a.kind === 'message.deleted' && a.refId === secret.id), JSON.stringify(timeline.body.activities.map((a: any) => a.kind)));
  const elsewhere = await newConversation(call, t);
  const wrongThread = await call('DELETE', `/v1/conversations/${elsewhere}/messages/${secret.id}`, { token: t.adminToken });
  assert.is(wrongThread.status, 404);
});

deletion('deleting the last message clears the conversation\'s preview', async () => {
  const id = await newConversation(call, t);
  const last = await say(id, 'preview me');
  await call('DELETE', `/v1/conversations/${id}/messages/${last.id}`, { token: t.adminToken });
  const conversation = await call('GET', `/v1/conversations/${id}`, { token: t.agentToken });
  assert.is(conversation.body.conversation.lastMessagePreview, null);
});

deletion('an admin deletes a conversation with its messages; lists and joined sockets hear it; its record keeps an entry', async () => {
  const id = await newConversation(call, t, { entityType: 'ticket', entityId: 'ticket-del', subject: 'To be deleted' });
  await say(id, 'one');
  await say(id, 'two', { direction: 'internal' });
  const supervisor = await socketFor(t.supervisorToken);
  const agent = await socketFor(t.agentToken);
  await ok(agent, 'conversation:join', { conversationId: id });
  const supervisorHears = waitFor(supervisor, 'conversation:deleted', (e: any) => e.conversationId === id);
  const agentHears = waitFor(agent, 'conversation:deleted', (e: any) => e.conversationId === id);

  for (const token of [t.agentToken, t.supervisorToken, t.botKey, other.adminToken]) {
    const refused = await call('DELETE', `/v1/conversations/${id}`, { token });
    assert.ok(refused.status === 403 || refused.status === 404, `${refused.status}`);
  }
  assert.is((await call('GET', `/v1/conversations/${id}`, { token: t.agentToken })).status, 200, 'still there after the refusals');

  const res = await call('DELETE', `/v1/conversations/${id}`, { token: t.adminToken });
  assert.is(res.status, 204, JSON.stringify(res.body));
  await supervisorHears;
  await agentHears;
  assert.is((await call('GET', `/v1/conversations/${id}`, { token: t.agentToken })).status, 404);
  assert.is((await call('GET', `/v1/conversations/${id}/messages`, { token: t.adminToken })).status, 404);
  const [left] = await server.app.orm.em.fork().getConnection().execute('select count(*)::int as n from messages where conversation_id = ?', [id]);
  assert.is(left.n, 0);
  const timeline = await call('GET', '/v1/entities/ticket/ticket-del/timeline', { token: t.agentToken });
  const entry = timeline.body.activities.find((a: any) => a.kind === 'conversation.deleted');
  assert.ok(entry, JSON.stringify(timeline.body.activities));
  assert.equal([entry.refId, entry.data.subject, entry.actorId], [id, 'To be deleted', t.adminId]);
  assert.is((await call('DELETE', `/v1/conversations/${id}`, { token: t.adminToken })).status, 404);
});

deletion.run();
