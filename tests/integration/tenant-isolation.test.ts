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
