// Another tenant's ids get NOT_FOUND on every socket event and conversation endpoint, change nothing and
// leak nothing to the victim's sockets; malformed payloads get VALIDATION and write nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, request, waitFor, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let victim: SeededTenant;
let intruder: SeededTenant;
let victimConversation: string;
let victimMessage: string;
let spy: ClientSocket;
const spied: string[] = [];
const sockets: ClientSocket[] = [];

const EVENTS = ['message:new', 'message:status', 'typing', 'conversation:updated', 'conversations:changed', 'unread', 'assignment', 'presence'];

const isolation = suite('realtime isolation');

isolation.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  victim = await seedTenant(call, 'Victim');
  intruder = await seedTenant(call, 'Intruder');
  victimConversation = await newConversation(call, victim);
  spy = await connect(server.url, victim.supervisorToken);
  sockets.push(spy);
  await ok(spy, 'conversation:join', { conversationId: victimConversation });
  victimMessage = (await ok(spy, 'message:send', { conversationId: victimConversation, clientMessageId: 'v1', body: 'victim secret' })).message.id;
  for (const e of EVENTS) spy.on(e as any, () => spied.push(e));
});
isolation.after(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

isolation('every event with another tenant\'s conversation id is NOT_FOUND, as agent, supervisor and bot', async () => {
  const before = await rowCounts(server.app.orm);
  spied.length = 0;
  const id = victimConversation;
  const payloads: [string, unknown][] = [
    ['conversation:join', { conversationId: id }],
    ['conversation:leave', { conversationId: id }],
    ['conversation:sync', { conversationId: id, afterSeq: 0 }],
    ['conversation:read', { conversationId: id, seq: 1 }],
    ['conversation:status', { conversationId: id, status: 'resolved' }],
    ['typing', { conversationId: id, isTyping: true }],
    ['message:send', { conversationId: id, clientMessageId: 'attack', body: 'injected' }],
  ];
  for (const token of [intruder.agentToken, intruder.supervisorToken, intruder.botKey]) {
    const s = await connect(server.url, token);
    sockets.push(s);
    for (const [event, payload] of payloads) {
      const answer = await request(s, event, payload);
      assert.is(answer.ok, false, `${event} succeeded`);
      assert.is((answer as any).error.code, 'NOT_FOUND', `${event}: ${JSON.stringify(answer)}`);
    }
  }
  assert.equal(await rowCounts(server.app.orm), before);
  // Something the victim does now is seen, proving the spy listens; nothing of the attack was.
  const proof = waitFor(spy, 'message:new', (e: any) => e.message.clientMessageId === 'v2');
  await call('POST', `/v1/conversations/${victimConversation}/messages`, { token: victim.adminToken, body: { clientMessageId: 'v2', body: 'after' } });
  await proof;
  assert.not.ok(spied.includes('typing'));
  assert.ok(spied.every((e) => e === 'message:new' || e === 'conversation:updated' || e === 'conversations:changed' || e === 'unread'), spied.join(','));
});

isolation('every conversation endpoint with another tenant\'s ids is NOT_FOUND and changes nothing', async () => {
  const before = await rowCounts(server.app.orm);
  const requests: [string, string, unknown?][] = [
    ['GET', `/v1/conversations/${victimConversation}`],
    ['GET', `/v1/conversations/${victimConversation}/messages`],
    ['POST', `/v1/conversations/${victimConversation}/messages`, { clientMessageId: 'x', body: 'x' }],
    ['POST', `/v1/conversations/${victimConversation}/status`, { status: 'closed' }],
    ['POST', '/v1/conversations', { inboxId: victim.inboxId }],
    ['POST', '/v1/conversations', { inboxId: intruder.inboxId, contactId: victim.contactId }],
    ['POST', `/v1/messages/${victimMessage}/status`, { status: 'read' }],
  ];
  for (const token of [intruder.agentToken, intruder.botKey]) {
    for (const [method, path, body] of requests) {
      const res = await call(method, path, { token, body });
      assert.is(res.status, 404, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.is(res.body.error.code, 'NOT_FOUND');
    }
  }
  const list = await call('GET', '/v1/conversations', { token: intruder.agentToken });
  assert.not.ok(JSON.stringify(list.body).includes(victimConversation));
  const inbound = await signedInbound(call, victim.inboxId, intruder.webhookSecret, { externalId: 'x', from: { handle: 'h' }, body: 'b' });
  assert.is(inbound.status, 401);
  assert.equal(await rowCounts(server.app.orm), before);
});

isolation('a malformed payload for every event is VALIDATION and writes nothing', async () => {
  const s = await connect(server.url, victim.agentToken);
  sockets.push(s);
  const cid = victimConversation;
  const bad: Record<string, unknown[]> = {
    'conversation:join': [undefined, null, 'x', 42, [], {}, { conversationId: 'nope' }, { conversationId: cid, extra: 1 }],
    'conversation:leave': [null, {}, { conversationId: 7 }],
    'conversation:sync': [{}, { conversationId: cid }, { conversationId: cid, afterSeq: -1 }, { conversationId: cid, afterSeq: 0, limit: 0 }],
    'conversation:read': [{}, { conversationId: cid, seq: 'one' }, { conversationId: cid, seq: -5 }],
    'conversation:status': [{}, { conversationId: cid, status: 'done' }, { conversationId: cid, status: 'snoozed' },
      { conversationId: cid, status: 'open', snoozedUntil: '2030-01-01T00:00:00Z' }],
    'typing': [{}, { conversationId: cid }, { conversationId: cid, isTyping: 'yes' }],
    'message:send': [{}, { conversationId: cid, body: 'no client id' }, { conversationId: cid, clientMessageId: 'c', body: 5 },
      { conversationId: cid, clientMessageId: 'c', body: 'x', direction: 'inbound' },
      { conversationId: cid, clientMessageId: 'c', body: 'x', authorId: victim.adminId },
      { conversationId: cid, clientMessageId: 'c', body: 'x', attachments: [{ url: 'javascript:alert(1)' }] },
      { conversationId: cid, clientMessageId: 'c', body: '   ' }],
    'presence:set': [{}, { status: 'invisible' }],
  };
  const before = await rowCounts(server.app.orm);
  for (const [event, payloads] of Object.entries(bad)) {
    for (const payload of payloads) {
      const answer = await request(s, event, payload);
      assert.is(answer.ok, false, `${event} ${JSON.stringify(payload)} succeeded`);
      assert.is((answer as any).error.code, 'VALIDATION', `${event} ${JSON.stringify(payload)}: ${JSON.stringify(answer)}`);
    }
  }
  assert.equal(await rowCounts(server.app.orm), before);
  // The socket still works afterwards.
  assert.ok((await request(s, 'conversation:join', { conversationId: cid })).ok);
});

isolation('keys naming a tenant, owner or author are refused on every event and body, whatever they name', async () => {
  const s = await connect(server.url, victim.agentToken);
  sockets.push(s);
  const cid = victimConversation;
  const forged = { tenantId: intruder.tenantId, authorId: victim.adminId, userId: victim.adminId, ownerId: victim.adminId, senderType: 'system', createdBy: victim.adminId };
  const valid: Record<string, Record<string, unknown>> = {
    'conversation:join': { conversationId: cid }, 'conversation:leave': { conversationId: cid },
    'conversation:sync': { conversationId: cid, afterSeq: 0 }, 'conversation:read': { conversationId: cid, seq: 1 },
    'conversation:status': { conversationId: cid, status: 'open' }, 'typing': { conversationId: cid, isTyping: false },
    'message:send': { conversationId: cid, clientMessageId: 'forged', body: 'x' }, 'conversation:assign': { conversationId: cid, assigneeId: null },
    'presence:set': { status: 'online' },
  };
  const http: [string, string, Record<string, unknown>][] = [
    ['POST', '/v1/conversations', { inboxId: victim.inboxId }],
    ['POST', `/v1/conversations/${cid}/messages`, { clientMessageId: 'forged-http', body: 'x' }],
    ['POST', '/v1/contacts', { name: 'Forged', identities: [] }],
    ['POST', '/v1/tags', { name: 'forged' }],
    ['POST', '/v1/canned-responses', { shortcut: 'forged', body: 'x' }],
  ];
  const call = httpClient(server.url);
  const before = await rowCounts(server.app.orm);
  for (const [key, value] of Object.entries(forged)) {
    for (const [event, payload] of Object.entries(valid)) {
      const answer = await request(s, event, { ...payload, [key]: value });
      assert.is((answer as any).error?.code, 'VALIDATION', `${event} with ${key}: ${JSON.stringify(answer)}`);
    }
    for (const [method, path, body] of http) {
      const res = await call(method, path, { token: victim.adminToken, body: { ...body, [key]: value } });
      assert.is(res.status, 400, `${method} ${path} with ${key}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.is(res.body.error.code, 'VALIDATION');
    }
  }
  assert.equal(await rowCounts(server.app.orm), before);
});

isolation.run();
