// Another tenant's token gets NOT_FOUND for every id of the first, on every endpoint, and changes nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let victim: SeededTenant;
let intruder: SeededTenant;

const isolation = suite('tenant isolation');

isolation.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  victim = await seedTenant(call, 'Victim');
  intruder = await seedTenant(call, 'Intruder');
});
isolation.after(async () => server.stop());

isolation('every id-taking endpoint answers NOT_FOUND for the other tenant\'s ids', async () => {
  const requests: [string, string, unknown?][] = [
    ['GET', `/v1/users/${victim.agentId}`],
    ['PATCH', `/v1/users/${victim.agentId}`, { active: false }],
    ['POST', `/v1/users/${victim.agentId}/token`],
    ['GET', `/v1/inboxes/${victim.inboxId}`],
    ['PUT', `/v1/inboxes/${victim.inboxId}/members`, { memberIds: [] }],
    ['PUT', `/v1/inboxes/${victim.inboxId}/members`, { memberIds: [intruder.agentId] }],
    ['PUT', `/v1/inboxes/${intruder.inboxId}/members`, { memberIds: [victim.agentId] }],
    ['POST', '/v1/inboxes', { name: 'Steal', channel: 'chat', memberIds: [victim.agentId] }],
    ['POST', '/v1/inboxes', { name: 'Steal', channel: 'chat', slaPolicyId: victim.policyId }],
    ['GET', `/v1/contacts/${victim.contactId}`],
  ];
  for (const [method, path, body] of requests) {
    const res = await call(method, path, { token: intruder.adminToken, body });
    assert.is(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
    assert.is(res.body.error.code, 'NOT_FOUND');
  }
});

isolation('credential, CRM and agent-tool endpoints answer NOT_FOUND for the other tenant\'s ids and change nothing', async () => {
  const victimCall = (method: string, path: string, body?: unknown) => call(method, path, { token: victim.adminToken, body });
  const conversationId = (await victimCall('POST', '/v1/conversations', { inboxId: victim.inboxId })).body.conversation.id;
  const [key] = (await victimCall('GET', `/v1/users/${victim.botId}/keys`)).body.keys;
  const tag = (await victimCall('POST', '/v1/tags', { name: 'victim-tag' })).body.tag;
  const canned = (await victimCall('POST', '/v1/canned-responses', { shortcut: 'victim', body: 'x', shared: true })).body.cannedResponse;
  const message = (await victimCall('POST', `/v1/conversations/${conversationId}/messages`, { clientMessageId: 'v-note', body: 'note', direction: 'internal' })).body.message;
  for (const [what, value] of [['conversation', conversationId], ['key', key?.id], ['tag', tag?.id], ['canned response', canned?.id], ['message', message?.id]]) {
    assert.type(value, 'string', `the victim's ${what} was created`);
  }
  const requests: [string, string, unknown?][] = [
    ['GET', `/v1/users/${victim.botId}/keys`],
    ['DELETE', `/v1/users/${victim.botId}/keys/${key.id}`],
    ['DELETE', `/v1/users/${intruder.botId}/keys/${key.id}`],
    ['POST', `/v1/users/${victim.agentId}/revoke`],
    ['GET', `/v1/contacts/${victim.contactId}/history`],
    ['GET', `/v1/conversations/${conversationId}/pins`],
    ['POST', `/v1/messages/${message.id}/pin`],
    ['GET', `/v1/conversations/${conversationId}/grants`],
    ['POST', `/v1/conversations/${conversationId}/grants`, { userId: intruder.agentId }],
    ['POST', `/v1/conversations/${conversationId}/tags`, { tagId: intruder.agentId }],
    ['PATCH', `/v1/tags/${tag.id}`, { name: 'stolen' }],
    ['DELETE', `/v1/tags/${tag.id}`],
    ['GET', `/v1/canned-responses/${canned.id}`],
    ['PATCH', `/v1/canned-responses/${canned.id}`, { body: 'stolen' }],
    ['DELETE', `/v1/canned-responses/${canned.id}`],
  ];
  const counts = async () => JSON.stringify((await victimCall('GET', `/v1/users/${victim.botId}/keys`)).body.keys)
    + JSON.stringify((await victimCall('GET', '/v1/tags')).body) + JSON.stringify((await victimCall('GET', `/v1/canned-responses/${canned.id}`)).body);
  const before = await counts();
  for (const [method, path, body] of requests) {
    const res = await call(method, path, { token: intruder.adminToken, body });
    assert.is(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
    assert.is(res.body.error.code, 'NOT_FOUND');
  }
  assert.is(await counts(), before);
  assert.is((await call('GET', '/v1/users', { token: victim.agentToken })).status, 200, 'the victim agent was not revoked');
});

isolation('lists show only the caller\'s tenant', async () => {
  const users = await call('GET', '/v1/users', { token: intruder.agentToken });
  const inboxes = await call('GET', '/v1/inboxes', { token: intruder.agentToken });
  const policies = await call('GET', '/v1/sla-policies', { token: intruder.agentToken });
  const text = JSON.stringify([users.body, inboxes.body, policies.body]);
  for (const id of [victim.tenantId, victim.agentId, victim.adminId, victim.inboxId, victim.policyId, victim.botId]) {
    assert.not.ok(text.includes(id), `leaked ${id}`);
  }
});

isolation('a bot key is bound to its tenant too', async () => {
  const res = await call('GET', `/v1/inboxes/${victim.inboxId}`, { token: intruder.botKey });
  assert.is(res.status, 404);
});

isolation('the victim\'s data is unchanged', async () => {
  const user = await call('GET', `/v1/users/${victim.agentId}`, { token: victim.adminToken });
  assert.is(user.body.user.active, true);
  const inbox = await call('GET', `/v1/inboxes/${victim.inboxId}`, { token: victim.adminToken });
  assert.equal(inbox.body.inbox.memberIds, [victim.agentId]);
  // The victim's own credentials still work (no token was re-issued into the intruder's hands).
  assert.is((await call('GET', '/v1/users', { token: victim.agentToken })).status, 200);
});

isolation('a tenant id in the payload is refused, never trusted', async () => {
  const res = await call('POST', '/v1/contacts', { token: intruder.agentToken, body: { name: 'Planted', tenantId: victim.tenantId } });
  assert.is(res.status, 400);
  assert.is(res.body.error.code, 'VALIDATION');
  const user = await call('POST', '/v1/users', { token: intruder.adminToken, body: { name: 'Planted', role: 'agent', tenantId: victim.tenantId } });
  assert.is(user.status, 400);
});

isolation.run();
