// The access matrix: every endpoint and event, called with ids of another tenant, of an inbox the caller is
// not in, and of an unassigned conversation, as agent, supervisor, admin, bot and channel. Refusals carry the
// right code, reveal nothing, change no row, and the victim's sockets hear nothing of them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sign, signRequest } from '../../src/features/inbound/signature.ts';
import { startServer, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { tableDigests } from '../helpers/row-counts.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { collect, connect, ok, request, waitFor, waitForConversation, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let victim: SeededTenant;
let intruder: SeededTenant;
const sockets: ClientSocket[] = [];
// Words only the victim tenant holds; the private ones only in the thread of its masked inbox.
const TENANT_SECRET = 'victim tenant secret';
const SECRET_BODY = 'private secret body';
const SECRET_SUBJECT = 'private secret subject';

/** The victim's ids, one of each kind. */
const v: Record<string, string> = {};
let spies: { items: unknown[]; stop(): void }[] = [];

const matrix = suite('access matrix');

const as = (token: string) => (method: string, path: string, body?: unknown) => call(method, path, { token, body });

matrix.before(async () => { try { await setup(); } catch (e) { console.error('access matrix setup failed:', e); throw e; } });
async function setup() {
  server = await startServer();
  call = httpClient(server.url);
  victim = await seedTenant(call, 'Victim');
  intruder = await seedTenant(call, 'Intruder');
  const admin = as(victim.adminToken);
  const privateInbox = (await admin('POST', '/v1/inboxes', { name: 'Private', channel: 'chat', visibility: 'metadata', memberIds: [] })).body;
  v.privateInbox = privateInbox.inbox.id;
  v.privateSecret = privateInbox.webhookSecret;
  v.privateConversation = (await admin('POST', '/v1/conversations', { inboxId: v.privateInbox, subject: SECRET_SUBJECT, contactId: victim.contactId })).body.conversation.id;
  v.privateMessage = (await admin('POST', `/v1/conversations/${v.privateConversation}/messages`, { clientMessageId: 'p1', body: SECRET_BODY })).body.message.id;
  v.conversation = (await admin('POST', '/v1/conversations', { inboxId: victim.inboxId, contactId: victim.contactId, subject: TENANT_SECRET })).body.conversation.id;
  v.message = (await admin('POST', `/v1/conversations/${v.conversation}/messages`, { clientMessageId: 'm1', body: TENANT_SECRET, direction: 'internal' })).body.message.id;
  v.tag = (await admin('POST', '/v1/tags', { name: 'victim-tag' })).body.tag.id;
  await admin('POST', `/v1/conversations/${v.conversation}/tags`, { tagId: v.tag });
  v.canned = (await admin('POST', '/v1/canned-responses', { shortcut: 'victim', body: TENANT_SECRET, shared: true })).body.cannedResponse.id;
  v.reply = (await admin('POST', '/v1/automated-replies', { name: 'Victim reply', kind: 'keyword', keywords: ['zzz-never'], body: TENANT_SECRET })).body.automatedReply.id;
  v.key = (await admin('GET', `/v1/users/${victim.botId}/keys`)).body.keys[0].id;
  v.team = (await admin('POST', '/v1/teams', { name: 'Victim team', description: TENANT_SECRET, memberIds: [victim.agentId] })).body.team.id;
  v.attribute = (await admin('POST', '/v1/custom-attributes', { appliesTo: 'conversation', key: 'secret_plan', label: TENANT_SECRET, type: 'text' })).body.attribute.id;
  v.macro = (await admin('POST', '/v1/macros', { name: TENANT_SECRET, shared: true, actions: [{ type: 'add_note', body: TENANT_SECRET }] })).body.macro.id;
  v.rule = (await admin('POST', '/v1/automation-rules', { name: TENANT_SECRET, event: 'sla.breach', actions: [{ type: 'add_note', body: TENANT_SECRET }] })).body.rule.id;
  // The campaign sends in the background: let it finish, and its (coalesced) update reach the spy, so that
  // the digests and the spies below only see the attacks.
  const spy = await connect(server.url, victim.supervisorToken);
  sockets.push(spy);
  await ok(spy, 'conversation:join', { conversationId: v.conversation });
  const campaignSent = waitForConversation(spy, (c: { id: string; messageCount: number }) => c.id === v.conversation && c.messageCount === 2);
  v.campaign = (await admin('POST', '/v1/campaigns', { name: 'Victim campaign', inboxId: victim.inboxId, template: TENANT_SECRET, contactIds: [victim.contactId] })).body.campaign.id;
  for (const [what, id] of Object.entries(v)) assert.type(id, 'string', `the victim's ${what} was created`);
  await campaignSent;
  while ((await admin('GET', `/v1/campaigns/${v.campaign}`)).body.campaign.status !== 'done') {
    await waitForConversation(spy, () => true, 1_000).catch(() => undefined);
  }
  const agentSpy = await connect(server.url, victim.agentToken);
  sockets.push(agentSpy);
  await ok(agentSpy, 'conversation:join', { conversationId: v.conversation });
  // A barrier for the events emitted at once: they reach a node in the order they were published, so once the
  // supervisor hears the agent stop typing, every such event of the setup has arrived too.
  const stopped = waitFor(spy, 'typing', (t: { isTyping: boolean }) => !t.isTyping);
  await ok(agentSpy, 'typing', { conversationId: v.conversation, isTyping: true });
  await ok(agentSpy, 'typing', { conversationId: v.conversation, isTyping: false });
  await stopped;
}
matrix.after(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

const EVENTS = ['message:new', 'message:status', 'message:updated', 'typing', 'conversation:updated', 'conversations:changed', 'conversation:tagged', 'unread', 'assignment', 'presence', 'sla:warning', 'sla:breach'];

function listenOnVictim() {
  spies = sockets.slice(0, 2).flatMap((s) => EVENTS.map((e) => collect(s, e)));
}
function victimHeard(): unknown[] {
  for (const s of spies) s.stop();
  return spies.flatMap((s) => s.items);
}

const noSecret = (what: string, payload: unknown, secrets = [TENANT_SECRET, SECRET_BODY, SECRET_SUBJECT]) => {
  const text = JSON.stringify(payload);
  for (const secret of secrets) assert.not.ok(text.includes(secret), `${what} revealed "${secret}": ${text}`);
};
const noPrivateSecret = (what: string, payload: unknown) => noSecret(what, payload, [SECRET_BODY, SECRET_SUBJECT]);

matrix("every id-taking endpoint, as another tenant's agent, supervisor, admin and bot: 403 or 404, nothing revealed or changed", async () => {
  const before = await tableDigests(server.app.orm);
  listenOnVictim();
  const requests: [string, string, unknown?][] = [
    ['GET', `/v1/users/${victim.agentId}`], ['PATCH', `/v1/users/${victim.agentId}`, { name: 'x' }],
    ['POST', `/v1/users/${victim.agentId}/token`], ['POST', `/v1/users/${victim.agentId}/revoke`],
    ['GET', `/v1/users/${victim.botId}/keys`], ['DELETE', `/v1/users/${victim.botId}/keys/${v.key}`],
    ['GET', `/v1/inboxes/${victim.inboxId}`], ['PUT', `/v1/inboxes/${victim.inboxId}/members`, { memberIds: [] }],
    ['GET', `/v1/contacts/${victim.contactId}`], ['GET', `/v1/contacts/${victim.contactId}/history`],
    ['GET', `/v1/contacts/${victim.contactId}/identities`], ['POST', `/v1/contacts/${victim.contactId}/identities`, { channel: 'sms', handle: '+14155550100' }],
    ['POST', `/v1/contacts/${victim.contactId}/merge`, { sourceContactId: intruder.contactId }],
    ['POST', `/v1/contacts/${intruder.contactId}/merge`, { sourceContactId: victim.contactId }],
    ['GET', `/v1/conversations/${v.conversation}`], ['GET', `/v1/conversations/${v.conversation}/messages`],
    ['POST', `/v1/conversations/${v.conversation}/messages`, { clientMessageId: 'attack', body: 'x' }],
    ['POST', `/v1/conversations/${v.conversation}/assign`, { assigneeId: null }],
    ['POST', `/v1/conversations/${v.conversation}/status`, { status: 'closed' }],
    ['GET', `/v1/conversations/${v.conversation}/assignments`],
    ['GET', `/v1/conversations/${v.conversation}/grants`], ['POST', `/v1/conversations/${v.privateConversation}/grants`, { userId: victim.agentId }],
    ['DELETE', `/v1/conversations/${v.privateConversation}/grants/${victim.adminId}`],
    ['GET', `/v1/conversations/${v.conversation}/pins`], ['POST', `/v1/messages/${v.message}/pin`], ['DELETE', `/v1/messages/${v.message}/pin`],
    ['GET', `/v1/conversations/${v.conversation}/tags`], ['POST', `/v1/conversations/${v.conversation}/tags`, { tagId: v.tag }],
    ['DELETE', `/v1/conversations/${v.conversation}/tags/${v.tag}`],
    ['PATCH', `/v1/tags/${v.tag}`, { name: 'stolen' }], ['DELETE', `/v1/tags/${v.tag}`],
    ['GET', `/v1/canned-responses/${v.canned}`], ['PATCH', `/v1/canned-responses/${v.canned}`, { body: 'x' }], ['DELETE', `/v1/canned-responses/${v.canned}`],
    ['PATCH', `/v1/automated-replies/${v.reply}`, { body: 'x' }], ['DELETE', `/v1/automated-replies/${v.reply}`],
    ['GET', `/v1/campaigns/${v.campaign}`], ['GET', `/v1/campaigns/${v.campaign}/recipients`],
    ['POST', `/v1/messages/${v.message}/status`, { status: 'read' }],
    ['POST', '/v1/conversations', { inboxId: victim.inboxId }],
    ['POST', '/v1/conversations', { inboxId: intruder.inboxId, contactId: victim.contactId }],
    ['POST', '/v1/campaigns', { name: 'c', inboxId: intruder.inboxId, template: 'x', contactIds: [victim.contactId] }],
    ['POST', '/v1/automated-replies', { name: 'r', kind: 'greeting', inboxId: victim.inboxId, body: 'x' }],
    ['POST', '/v1/inboxes', { name: 'i', channel: 'chat', memberIds: [victim.agentId] }],
    ['PUT', `/v1/inboxes/${intruder.inboxId}/members`, { memberIds: [victim.agentId] }],
    ['GET', `/v1/conversations/${v.conversation}/transcript`], ['GET', `/v1/conversations/${v.conversation}/transcript.txt`],
    ['POST', `/v1/conversations/${v.conversation}/transcript/send`, {}],
    ['PATCH', `/v1/conversations/${v.conversation}`, { priority: 'low' }], ['POST', `/v1/conversations/${v.conversation}/team`, { teamId: null }],
    ['POST', `/v1/conversations/${v.conversation}/team`, { teamId: v.team }], ['GET', `/v1/conversations/${v.conversation}/csat`],
    ['PATCH', `/v1/contacts/${victim.contactId}`, { customAttributes: {} }],
    ['GET', `/v1/teams/${v.team}`], ['PATCH', `/v1/teams/${v.team}`, { name: 'stolen' }], ['PUT', `/v1/teams/${v.team}/members`, { memberIds: [] }],
    ['DELETE', `/v1/teams/${v.team}`],
    ['PATCH', `/v1/custom-attributes/${v.attribute}`, { label: 'stolen' }], ['DELETE', `/v1/custom-attributes/${v.attribute}`],
    ['GET', `/v1/macros/${v.macro}`], ['PATCH', `/v1/macros/${v.macro}`, { name: 'stolen' }], ['DELETE', `/v1/macros/${v.macro}`],
    ['POST', `/v1/macros/${v.macro}/run`, { conversationId: v.conversation }],
    ['GET', `/v1/automation-rules/${v.rule}`], ['PATCH', `/v1/automation-rules/${v.rule}`, { active: false }], ['DELETE', `/v1/automation-rules/${v.rule}`],
    ['GET', `/v1/automation-rules/${v.rule}/runs`],
    ['DELETE', `/v1/conversations/${v.conversation}/messages/${v.message}`], ['DELETE', `/v1/conversations/${v.conversation}`],
  ];
  let refusals = 0;
  for (const [role, token] of [['agent', intruder.agentToken], ['supervisor', intruder.supervisorToken], ['admin', intruder.adminToken], ['bot', intruder.botKey]]) {
    for (const [method, path, body] of requests) {
      const res = await call(method, path, { token, body });
      const where = `${role} ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`;
      assert.ok(res.status === 404 || res.status === 403, where);
      assert.is(res.body.error.code, res.status === 404 ? 'NOT_FOUND' : 'FORBIDDEN', where);
      // An admin may call every endpoint, so its refusal can only be "no such thing here".
      if (role === 'admin') assert.is(res.status, 404, where);
      noSecret(where, res.body);
      refusals++;
    }
  }
  assert.is(refusals, requests.length * 4);
  // Lists filtered by the victim's ids answer with nothing of theirs.
  for (const path of [`/v1/conversations?inboxId=${victim.inboxId}`, `/v1/conversations?assigneeId=${victim.agentId}`,
    `/v1/entities/contact/${victim.contactId}/conversations`, `/v1/entities/contact/${victim.contactId}/timeline`,
    `/v1/reports/open-by-entity-type`, `/v1/sla/breaches`, '/v1/tags', '/v1/canned-responses', '/v1/automated-replies', '/v1/campaigns',
    '/v1/teams', '/v1/custom-attributes', '/v1/macros', '/v1/automation-rules', `/v1/conversations?teamId=${v.team}`, '/v1/reports/csat',
    '/v1/search?q=victim', '/v1/audit', '/v1/notifications', '/v1/mentions']) {
    const res = await call('GET', path, { token: intruder.adminToken });
    assert.is(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    const text = JSON.stringify(res.body);
    for (const id of [v.conversation, v.privateConversation, v.tag, v.canned, v.reply, v.campaign, victim.contactId, v.team, v.attribute, v.macro, v.rule]) {
      assert.not.ok(text.includes(id), `${path} leaked ${id}`);
    }
    noSecret(path, res.body);
  }
  assert.equal(await tableDigests(server.app.orm), before, 'a refused request changed a row');
  assert.equal(victimHeard(), [], 'the victim heard something of the attacks');
});

matrix("every event with another tenant's ids, as agent, supervisor and bot: NOT_FOUND, nothing changed or heard", async () => {
  const before = await tableDigests(server.app.orm);
  listenOnVictim();
  const payloads: [string, unknown][] = [
    ['conversation:join', { conversationId: v.conversation }], ['conversation:leave', { conversationId: v.conversation }],
    ['conversation:sync', { conversationId: v.conversation, afterSeq: 0 }], ['conversation:read', { conversationId: v.conversation, seq: 1 }],
    ['conversation:status', { conversationId: v.conversation, status: 'resolved' }], ['typing', { conversationId: v.conversation, isTyping: true }],
    ['message:send', { conversationId: v.conversation, clientMessageId: 'attack', body: 'x' }],
    ['conversation:assign', { conversationId: v.conversation, assigneeId: null }],
    ['conversation:assign', { conversationId: v.privateConversation, assigneeId: victim.agentId }],
  ];
  for (const token of [intruder.agentToken, intruder.supervisorToken, intruder.adminToken, intruder.botKey]) {
    const s = await connect(server.url, token);
    sockets.push(s);
    for (const [event, payload] of payloads) {
      const answer = await request(s, event, payload);
      assert.is(answer.ok, false, `${event} succeeded`);
      const code = (answer as { error: { code: string } }).error.code;
      // A bot may never assign: its refusal is FORBIDDEN whatever the id.
      assert.ok(code === 'NOT_FOUND' || (code === 'FORBIDDEN' && token === intruder.botKey && event === 'conversation:assign'), `${event}: ${JSON.stringify(answer)}`);
      noSecret(event, answer);
    }
  }
  assert.equal(await tableDigests(server.app.orm), before);
  assert.equal(victimHeard(), []);
});

matrix('a thread of a masked inbox the caller is not in: agent, supervisor and bot read it masked over HTTP and sockets', async () => {
  for (const [role, token] of [['agent', victim.agentToken], ['supervisor', victim.supervisorToken], ['bot', victim.botKey]]) {
    const one = await call('GET', `/v1/conversations/${v.privateConversation}`, { token });
    assert.is(one.status, 200, `${role}: ${JSON.stringify(one.body)}`);
    assert.is(one.body.conversation.masked, true, role);
    assert.is(one.body.conversation.subject, null, role);
    const messages = await call('GET', `/v1/conversations/${v.privateConversation}/messages`, { token });
    assert.is(messages.status, 200);
    assert.ok(messages.body.messages.every((m: { body: string }) => m.body === ''), `${role} read a body`);
    const s = await connect(server.url, token);
    sockets.push(s);
    const joined = await ok(s, 'conversation:join', { conversationId: v.privateConversation });
    assert.is(joined.conversation.masked, true);
    const synced = await ok(s, 'conversation:sync', { conversationId: v.privateConversation, afterSeq: 0 });
    assert.ok(synced.messages.length >= 1);
    for (const [what, payload] of [['GET one', one.body], ['GET messages', messages.body], ['join', joined], ['sync', synced]] as const) noPrivateSecret(`${role} ${what}`, payload);
    if (role !== 'bot') {
      const list = await call('GET', `/v1/conversations?inboxId=${v.privateInbox}`, { token });
      assert.ok(list.body.conversations.some((c: { id: string }) => c.id === v.privateConversation));
      noPrivateSecret(`${role} list`, list.body);
      noPrivateSecret(`${role} timeline`, (await call('GET', `/v1/entities/contact/${victim.contactId}/timeline`, { token })).body);
    }
  }
});

matrix('on an unassigned conversation, what a role may not do is FORBIDDEN and changes nothing', async () => {
  const before = await tableDigests(server.app.orm);
  const agentSocket = await connect(server.url, victim.agentToken);
  const botSocket = await connect(server.url, victim.botKey);
  sockets.push(agentSocket, botSocket);
  const supervisorId = (await call('GET', '/v1/users', { token: victim.adminToken })).body.users.find((u: { role: string }) => u.role === 'supervisor').id;
  const refused: [string, () => Promise<{ status: number; code: string }>][] = [
    ['agent assigns someone else (HTTP)', async () => http(victim.agentToken, 'POST', `/v1/conversations/${v.conversation}/assign`, { assigneeId: supervisorId })],
    ['agent assigns someone else (socket)', async () => ack(agentSocket, 'conversation:assign', { conversationId: v.conversation, assigneeId: supervisorId })],
    ['bot assigns itself (socket)', async () => ack(botSocket, 'conversation:assign', { conversationId: v.conversation, assigneeId: victim.botId })],
    ['bot assigns (HTTP)', async () => http(victim.botKey, 'POST', `/v1/conversations/${v.conversation}/assign`, { assigneeId: victim.agentId })],
    ['bot reads assignment history', async () => http(victim.botKey, 'GET', `/v1/conversations/${v.conversation}/assignments`)],
    ['bot lists conversations', async () => http(victim.botKey, 'GET', '/v1/conversations')],
    ['agent sets inbox members', async () => http(victim.agentToken, 'PUT', `/v1/inboxes/${v.privateInbox}/members`, { memberIds: [victim.agentId] })],
    ['supervisor creates a user', async () => http(victim.supervisorToken, 'POST', '/v1/users', { name: 'x', role: 'admin' })],
    ['agent grants itself the masked thread', async () => http(victim.agentToken, 'POST', `/v1/conversations/${v.privateConversation}/grants`, { userId: victim.agentId })],
  ];
  for (const [what, attempt] of refused) {
    const { status, code } = await attempt();
    assert.is(code, 'FORBIDDEN', `${what}: ${status} ${code}`);
  }
  assert.equal(await tableDigests(server.app.orm), before);
});

matrix("a channel signs only for its own inbox: another inbox's inbound or message status is UNAUTHORIZED", async () => {
  const before = await tableDigests(server.app.orm);
  const inbound = JSON.stringify({ externalId: 'forged-1', from: { handle: 'mallory@example.com' }, body: 'x' });
  for (const [inboxId, secret] of [[v.privateInbox, victim.webhookSecret], [victim.inboxId, intruder.webhookSecret], [intruder.inboxId, victim.webhookSecret]]) {
    const res = await call('POST', `/v1/inboxes/${inboxId}/inbound`, { raw: inbound, headers: { 'x-switchboard-signature': sign(secret, inbound, Math.floor(Date.now() / 1000)) } });
    assert.is(res.status, 401, JSON.stringify(res.body));
    assert.is(res.body.error.code, 'UNAUTHORIZED');
  }
  const status = JSON.stringify({ status: 'read' });
  for (const [messageId, secret] of [[v.privateMessage, victim.webhookSecret], [v.message, intruder.webhookSecret], [v.message, v.privateSecret]]) {
    const path = `/v1/messages/${messageId}/status`;
    const res = await call('POST', path, { raw: status, headers: { 'x-switchboard-signature': signRequest(secret, 'POST', path, status, Math.floor(Date.now() / 1000)) } });
    assert.is(res.status, 401, JSON.stringify(res.body));
    assert.is(res.body.error.code, 'UNAUTHORIZED');
  }
  assert.equal(await tableDigests(server.app.orm), before);
});

async function http(token: string, method: string, path: string, body?: unknown) {
  const res = await call(method, path, { token, body });
  return { status: res.status, code: res.body?.error?.code };
}
async function ack(socket: ClientSocket, event: string, payload: unknown) {
  const answer = await request(socket, event, payload) as { ok: boolean; error?: { code: string } };
  return { status: answer.ok ? 200 : 0, code: answer.error?.code ?? 'OK' };
}

matrix.run();
