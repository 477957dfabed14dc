// What agents work with inside a thread: pinned notes, tags, canned responses, attachments and recipients.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, waitFor, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let agent: ClientSocket;
let bot: ClientSocket;
let n = 0;

const tools = suite('agent tools');

tools.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Tools');
  agent = await connect(server.url, t.agentToken);
  bot = await connect(server.url, t.botKey);
});
tools.after(async () => {
  agent.close();
  bot.close();
  await server.stop();
});

async function send(conversationId: string, body: Record<string, unknown>, token = t.agentToken) {
  return call('POST', `/v1/conversations/${conversationId}/messages`, { token, body: { clientMessageId: `tools-${++n}`, ...body } });
}

tools('internal notes pin and unpin, live to people but never to bots; other messages cannot be pinned', async () => {
  const id = await newConversation(call, t);
  await ok(agent, 'conversation:join', { conversationId: id });
  await ok(bot, 'conversation:join', { conversationId: id });
  const note = (await send(id, { body: 'call back at 5', direction: 'internal' })).body.message;
  const reply = (await send(id, { body: 'visible reply' })).body.message;
  let botHeardNote = false;
  bot.on('message:updated', () => { botHeardNote = true; });
  const live = waitFor(agent, 'message:updated', (e: any) => e.message.id === note.id && e.message.pinnedAt);
  const pinned = await call('POST', `/v1/messages/${note.id}/pin`, { token: t.agentToken });
  assert.is(pinned.status, 200, JSON.stringify(pinned.body));
  assert.type(pinned.body.message.pinnedAt, 'string');
  assert.is(pinned.body.message.pinnedById, t.agentId);
  assert.is((await live).message.body, 'call back at 5');
  const pins = await call('GET', `/v1/conversations/${id}/pins`, { token: t.agentToken });
  assert.equal(pins.body.messages.map((m: any) => m.id), [note.id]);
  const notANote = await call('POST', `/v1/messages/${reply.id}/pin`, { token: t.agentToken });
  assert.is(notANote.status, 400);
  assert.is(notANote.body.error.code, 'VALIDATION');
  const unpinLive = waitFor(agent, 'message:updated', (e: any) => e.message.id === note.id && e.message.pinnedAt === null);
  const unpinned = await call('DELETE', `/v1/messages/${note.id}/pin`, { token: t.agentToken });
  assert.is(unpinned.body.message.pinnedAt, null);
  await unpinLive;
  assert.equal((await call('GET', `/v1/conversations/${id}/pins`, { token: t.agentToken })).body.messages, []);
  const asBot = await call('POST', `/v1/messages/${note.id}/pin`, { token: t.botKey });
  assert.is(asBot.status, 403);
  assert.is(botHeardNote, false);
});

tools('tags: unique names per tenant, put on and taken off conversations with a live event', async () => {
  const created = await call('POST', '/v1/tags', { token: t.supervisorToken, body: { name: 'vip', color: '#aa0000', description: 'Big accounts' } });
  assert.is(created.status, 201, JSON.stringify(created.body));
  const tag = created.body.tag;
  assert.equal([tag.name, tag.color, tag.description], ['vip', '#aa0000', 'Big accounts']);
  const twice = await call('POST', '/v1/tags', { token: t.supervisorToken, body: { name: 'vip' } });
  assert.is(twice.status, 409);
  const byAgent = await call('POST', '/v1/tags', { token: t.agentToken, body: { name: 'agent-made' } });
  assert.is(byAgent.status, 403);
  const badColor = await call('POST', '/v1/tags', { token: t.supervisorToken, body: { name: 'x', color: 'red' } });
  assert.is(badColor.status, 400);
  const elsewhere = await seedTenant(call, 'Tools Elsewhere');
  assert.is((await call('POST', '/v1/tags', { token: elsewhere.supervisorToken, body: { name: 'vip' } })).status, 201);

  const id = await newConversation(call, t);
  const event = waitFor(agent, 'conversation:tagged', (e: any) => e.conversationId === id && e.tags.length === 1);
  const tagged = await call('POST', `/v1/conversations/${id}/tags`, { token: t.agentToken, body: { tagId: tag.id } });
  assert.equal(tagged.body.tags.map((x: any) => x.name), ['vip']);
  assert.equal((await event).tags.map((x: any) => x.id), [tag.id]);
  const again = await call('POST', `/v1/conversations/${id}/tags`, { token: t.agentToken, body: { tagId: tag.id } });
  assert.equal(again.body.tags.map((x: any) => x.name), ['vip']);
  const foreign = await call('POST', `/v1/conversations/${id}/tags`, { token: elsewhere.agentToken, body: { tagId: tag.id } });
  assert.is(foreign.status, 404);
  const renamed = await call('PATCH', `/v1/tags/${tag.id}`, { token: t.supervisorToken, body: { name: 'VIP customer' } });
  assert.is(renamed.body.tag.name, 'VIP customer');
  const cleared = waitFor(agent, 'conversation:tagged', (e: any) => e.conversationId === id && e.tags.length === 0);
  const untagged = await call('DELETE', `/v1/conversations/${id}/tags/${tag.id}`, { token: t.agentToken });
  assert.equal(untagged.body.tags, []);
  await cleared;
  const list = await call('GET', '/v1/tags', { token: t.agentToken });
  assert.equal(list.body.tags.map((x: any) => x.name), ['VIP customer']);
});

tools('canned responses: shared and own, prefix search, channel filter, usage counted on send', async () => {
  const shared = await call('POST', '/v1/canned-responses', {
    token: t.supervisorToken, body: { shortcut: 'refund', body: 'Your refund is on its way.', category: 'billing', shared: true, channels: ['email'] },
  });
  assert.is(shared.status, 201, JSON.stringify(shared.body));
  assert.is(shared.body.cannedResponse.ownerId, null);
  const own = await call('POST', '/v1/canned-responses', { token: t.agentToken, body: { shortcut: 'ref_mine', body: 'My own refund words' } });
  assert.is(own.body.cannedResponse.ownerId, t.agentId);
  const sharedByAgent = await call('POST', '/v1/canned-responses', { token: t.agentToken, body: { shortcut: 'nope', body: 'x', shared: true } });
  assert.is(sharedByAgent.status, 403);
  const supervisorOwn = await call('POST', '/v1/canned-responses', { token: t.supervisorToken, body: { shortcut: 'refer', body: 'supervisor only' } });
  assert.is(supervisorOwn.status, 201);
  await call('POST', '/v1/canned-responses', { token: t.supervisorToken, body: { shortcut: 'greet', body: 'Hello!', shared: true } });

  const search = await call('GET', '/v1/canned-responses?prefix=ref', { token: t.agentToken });
  assert.equal(search.body.cannedResponses.map((c: any) => c.shortcut), ['ref_mine', 'refund']);
  // `_` is a literal, not a wildcard.
  const literal = await call('GET', '/v1/canned-responses?prefix=ref_', { token: t.agentToken });
  assert.equal(literal.body.cannedResponses.map((c: any) => c.shortcut), ['ref_mine']);
  const chat = await call('GET', '/v1/canned-responses?channel=chat', { token: t.agentToken });
  assert.equal(chat.body.cannedResponses.map((c: any) => c.shortcut), ['greet', 'ref_mine']);

  const id = await newConversation(call, t);
  const used = await send(id, { body: 'Your refund is on its way.', cannedResponseId: shared.body.cannedResponse.id });
  assert.is(used.status, 201);
  await send(id, { body: 'Again: refund coming.', cannedResponseId: shared.body.cannedResponse.id });
  const after = await call('GET', `/v1/canned-responses/${shared.body.cannedResponse.id}`, { token: t.agentToken });
  assert.is(after.body.cannedResponse.usageCount, 2);
  assert.type(after.body.cannedResponse.lastUsedAt, 'string');

  // Someone else's canned response: the send fails and nothing is written.
  const before = await rowCounts(server.app.orm);
  const hidden = await send(id, { body: 'x', cannedResponseId: supervisorOwn.body.cannedResponse.id });
  assert.is(hidden.status, 404);
  assert.equal(await rowCounts(server.app.orm), before);
  const notMine = await call('PATCH', `/v1/canned-responses/${shared.body.cannedResponse.id}`, { token: t.agentToken, body: { body: 'changed' } });
  assert.is(notMine.status, 403);
  const deleted = await call('DELETE', `/v1/canned-responses/${own.body.cannedResponse.id}`, { token: t.agentToken });
  assert.is(deleted.status, 204);
  const taken = await call('POST', '/v1/canned-responses', { token: t.agentToken, body: { shortcut: 'refund', body: 'dup' } });
  assert.is(taken.status, 409);
});

tools('attachment metadata is validated and returned in the message shape', async () => {
  const id = await newConversation(call, t);
  const attachment = {
    type: 'image', url: 'https://cdn.example/a.png', mime: 'image/png', filename: 'a.png', size: 2048,
    width: 640, height: 480, duration: null, thumbnailUrl: 'https://cdn.example/a-thumb.png',
    platformUrl: 'https://graph.platform.example/media/77', metadata: { caption: 'the receipt', providerId: 'm-77' },
  };
  const sent = await send(id, { body: 'see picture', attachments: [attachment, { type: 'audio', url: 'https://cdn.example/v.ogg', duration: 12.5 }] });
  assert.is(sent.status, 201, JSON.stringify(sent.body));
  assert.equal(sent.body.message.attachments[0], { ...attachment, archivedAt: null });
  assert.is(sent.body.message.attachments[1].duration, 12.5);
  const read = await call('GET', `/v1/conversations/${id}/messages`, { token: t.agentToken });
  assert.equal(read.body.messages[0].attachments, sent.body.message.attachments);
  for (const bad of [{ url: 'ftp://x/y' }, { url: 'https://x/y', size: -1 }, { url: 'https://x/y', type: 'hologram' }, { url: 'https://x/y', extra: 1 }]) {
    const res = await send(id, { body: 'bad', attachments: [bad] });
    assert.is(res.status, 400, JSON.stringify(bad));
  }
});

tools('inbound to and cc become recipients matched to contacts and users', async () => {
  const user = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Sam Sales', email: 'sam@tools.example', role: 'agent' } });
  const raw = {
    externalId: 'tools-rcpt-1', from: { handle: 'carla@tools.example', name: 'Carla' }, body: 'to the team',
    to: [{ handle: 'support@tools.example' }], cc: [{ address: 'SAM@tools.example', alias: 'Sam' }],
  };
  const res = await signedInbound(call, t.inboxId, t.webhookSecret, raw);
  assert.is(res.status, 202, JSON.stringify(res.body));
  const read = await call('GET', `/v1/conversations/${res.body.conversationId}/messages`, { token: t.agentToken });
  const message = read.body.messages.find((m: any) => m.id === res.body.messageId);
  assert.equal(message.recipients, [
    { role: 'from', address: 'carla@tools.example', alias: 'Carla', contactId: t.contactId, userId: null },
    { role: 'to', address: 'support@tools.example', alias: null, contactId: null, userId: null },
    { role: 'cc', address: 'SAM@tools.example', alias: 'Sam', contactId: null, userId: user.body.user.id },
  ]);
  const bad = await signedInbound(call, t.inboxId, t.webhookSecret, { ...raw, externalId: 'tools-rcpt-2', cc: [{ nothing: 1 }] });
  assert.is(bad.status, 400);
});

tools.run();
