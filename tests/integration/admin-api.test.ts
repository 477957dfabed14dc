// The admin API over real HTTP against the real app and database.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;

const admin = suite('admin API');

admin.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Acme');
});
admin.after(async () => server.stop());

admin('health answers ok once the database answers', async () => {
  const res = await call('GET', '/health');
  assert.is(res.status, 200);
  assert.equal(res.body, { status: 'ok' });
});

admin('metrics are Prometheus text with process and HTTP series', async () => {
  const res = await call('GET', '/metrics');
  assert.is(res.status, 200);
  assert.match(res.body, /process_cpu_user_seconds_total/);
  assert.match(res.body, /switchboard_http_request_duration_seconds_bucket\{.*route="\/v1\/users"/);
});

admin('POST /v1/tenants needs the exact admin key', async () => {
  const missing = await call('POST', '/v1/tenants', { body: { name: 'X' } });
  assert.is(missing.status, 401);
  assert.is(missing.body.error.code, 'UNAUTHORIZED');
  const wrong = await call('POST', '/v1/tenants', { headers: { 'x-admin-key': TEST_ADMIN_KEY + 'x' }, body: { name: 'X' } });
  assert.is(wrong.status, 401);
});

admin('POST /v1/tenants answers the tenant and an admin with a working token', async () => {
  const res = await call('POST', '/v1/tenants', { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { name: 'Globex' } });
  assert.is(res.status, 201);
  assert.is(res.body.tenant.name, 'Globex');
  assert.is(res.body.admin.user.role, 'admin');
  assert.is(res.body.admin.user.tenantId, res.body.tenant.id);
  const users = await call('GET', '/v1/users', { token: res.body.admin.token });
  assert.is(users.status, 200);
  assert.equal(users.body.users.map((u: { id: string }) => u.id), [res.body.admin.user.id]);
});

admin('POST /v1/users creates people with a JWT and bots with an API key', async () => {
  const person = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Sam', email: 'Sam@Example.com', role: 'supervisor', capacity: 4 } });
  assert.is(person.status, 201);
  assert.is(person.body.user.email, 'sam@example.com');
  assert.is(person.body.user.capacity, 4);
  assert.is(person.body.token.split('.').length, 3);
  const bot = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Helper', role: 'bot' } });
  assert.is(bot.status, 201);
  assert.match(bot.body.token, /^sbk_/);
  // The bot key authenticates like a token, with the bot's own limits.
  const inbox = await call('GET', `/v1/inboxes/${t.inboxId}`, { token: bot.body.token });
  assert.is(inbox.status, 200);
  const list = await call('GET', '/v1/users', { token: bot.body.token });
  assert.is(list.status, 403);
});

admin('GET /v1/users lists the tenant with presence', async () => {
  const res = await call('GET', '/v1/users', { token: t.agentToken });
  assert.is(res.status, 200);
  const agent = res.body.users.find((u: { id: string }) => u.id === t.agentId);
  assert.is(agent.role, 'agent');
  assert.ok(['online', 'away', 'busy', 'offline'].includes(agent.presence));
  assert.ok(res.body.users.every((u: { tenantId: string }) => u.tenantId === t.tenantId));
});

admin('a duplicate email in the tenant is a CONFLICT', async () => {
  const body = { name: 'Dup', email: 'dup@example.com', role: 'agent' };
  assert.is((await call('POST', '/v1/users', { token: t.adminToken, body })).status, 201);
  const again = await call('POST', '/v1/users', { token: t.adminToken, body });
  assert.is(again.status, 409);
  assert.is(again.body.error.code, 'CONFLICT');
});

admin('roles are enforced: agents and supervisors cannot administer', async () => {
  for (const token of [t.agentToken, t.supervisorToken]) {
    const res = await call('POST', '/v1/users', { token, body: { name: 'Nope', role: 'agent' } });
    assert.is(res.status, 403);
    assert.is(res.body.error.code, 'FORBIDDEN');
  }
  const bad = await call('GET', '/v1/users', { token: 'not-a-token' });
  assert.is(bad.status, 401);
  assert.is((await call('GET', '/v1/users')).status, 401);
});

admin('a deactivated user is refused at once', async () => {
  const user = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Leaver', role: 'agent' } });
  assert.is((await call('GET', '/v1/users', { token: user.body.token })).status, 200);
  const off = await call('PATCH', `/v1/users/${user.body.user.id}`, { token: t.adminToken, body: { active: false } });
  assert.is(off.status, 200);
  assert.is(off.body.user.active, false);
  assert.is((await call('GET', '/v1/users', { token: user.body.token })).status, 401);
});

admin('POST /v1/inboxes answers the inbox with its members in order and the webhook secret', async () => {
  const second = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Second', role: 'agent' } });
  const res = await call('POST', '/v1/inboxes', { token: t.adminToken, body: {
    name: 'Chat', channel: 'chat', autoAssign: true, visibility: 'metadata', memberIds: [second.body.user.id, t.agentId],
  } });
  assert.is(res.status, 201);
  assert.equal(res.body.inbox.memberIds, [second.body.user.id, t.agentId]);
  assert.is(res.body.inbox.autoAssign, true);
  assert.is(res.body.inbox.visibility, 'metadata');
  assert.is(res.body.inbox.slaPolicyId, null);
  assert.match(res.body.webhookSecret, /^whsec_/);
  assert.not.ok('webhookSecret' in res.body.inbox);
});

admin('PUT /v1/inboxes/:id/members replaces the members in the given order', async () => {
  const extra = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Extra', role: 'agent' } });
  const res = await call('PUT', `/v1/inboxes/${t.inboxId}/members`, { token: t.adminToken, body: { memberIds: [extra.body.user.id, t.agentId] } });
  assert.is(res.status, 200);
  assert.equal(res.body.inbox.memberIds, [extra.body.user.id, t.agentId]);
  const again = await call('PUT', `/v1/inboxes/${t.inboxId}/members`, { token: t.adminToken, body: { memberIds: [t.agentId] } });
  assert.equal(again.body.inbox.memberIds, [t.agentId]);
  const read = await call('GET', `/v1/inboxes/${t.inboxId}`, { token: t.agentToken });
  assert.equal(read.body.inbox.memberIds, [t.agentId]);
});

admin('an admin reads an inbox\'s webhook secret again, or rotates it: the old one stops signing at once', async () => {
  const read = await call('GET', `/v1/inboxes/${t.inboxId}/secret`, { token: t.adminToken });
  assert.is(read.status, 200);
  assert.is(read.body.webhookSecret, t.webhookSecret);
  for (const token of [t.supervisorToken, t.agentToken, t.botKey]) {
    assert.is((await call('GET', `/v1/inboxes/${t.inboxId}/secret`, { token })).status, 403);
    assert.is((await call('POST', `/v1/inboxes/${t.inboxId}/secret`, { token })).status, 403);
  }
  const rotated = await call('POST', `/v1/inboxes/${t.inboxId}/secret`, { token: t.adminToken });
  assert.is(rotated.status, 200);
  assert.match(rotated.body.webhookSecret, /^whsec_/);
  assert.is.not(rotated.body.webhookSecret, t.webhookSecret);
  const message = { externalId: 'rotation-1', from: { handle: 'rotation@example.com' }, body: 'after the rotation' };
  assert.is((await signedInbound(call, t.inboxId, t.webhookSecret, message)).status, 401);
  assert.is((await signedInbound(call, t.inboxId, rotated.body.webhookSecret, message)).status, 202);
  t.webhookSecret = rotated.body.webhookSecret;
});

admin('members must be users of the tenant', async () => {
  const res = await call('PUT', `/v1/inboxes/${t.inboxId}/members`, { token: t.adminToken, body: { memberIds: [crypto.randomUUID()] } });
  assert.is(res.status, 404);
  assert.is(res.body.error.code, 'NOT_FOUND');
});

admin('POST /v1/sla-policies accepts business hours and fractional minutes', async () => {
  const res = await call('POST', '/v1/sla-policies', { token: t.adminToken, body: {
    name: 'Business', firstResponseMinutes: 0.05, nextResponseMinutes: 60, resolutionMinutes: 1440, warnAtPercent: 75,
    businessHours: { timezone: 'Europe/Paris', weekly: { mon: [['09:00', '17:30']], fri: [['22:00', '06:00']], sun: [] }, holidays: ['2026-12-25'] },
  } });
  assert.is(res.status, 201);
  assert.is(res.body.policy.firstResponseMinutes, 0.05);
  assert.is(res.body.policy.warnAtPercent, 75);
  assert.is(res.body.policy.businessHours.timezone, 'Europe/Paris');
  assert.is(res.body.policy.isDefault, false);
});

admin('SLA policy business hours are validated', async () => {
  const bad = [
    { timezone: 'Mars/Olympus', weekly: { mon: [['09:00', '17:00']] } },
    { timezone: 'Europe/Paris', weekly: { mon: [['9am', '17:00']] } },
    { timezone: 'Europe/Paris', weekly: { funday: [['09:00', '17:00']] } },
    { timezone: 'Europe/Paris', weekly: {} },
    { timezone: 'Europe/Paris', weekly: { mon: [['09:00', '17:00']] }, holidays: ['25/12/2026'] },
  ];
  for (const businessHours of bad) {
    const res = await call('POST', '/v1/sla-policies', { token: t.adminToken, body: { name: 'X', firstResponseMinutes: 1, resolutionMinutes: 2, businessHours } });
    assert.is(res.status, 400, JSON.stringify(businessHours));
    assert.is(res.body.error.code, 'VALIDATION');
  }
});

admin('a new default SLA policy replaces the old default', async () => {
  const first = await call('POST', '/v1/sla-policies', { token: t.adminToken, body: { name: 'D1', firstResponseMinutes: 5, resolutionMinutes: 50, isDefault: true } });
  const second = await call('POST', '/v1/sla-policies', { token: t.adminToken, body: { name: 'D2', firstResponseMinutes: 5, resolutionMinutes: 50, isDefault: true } });
  assert.is(first.status, 201);
  assert.is(second.status, 201);
  const list = await call('GET', '/v1/sla-policies', { token: t.agentToken });
  const defaults = list.body.policies.filter((p: { isDefault: boolean }) => p.isDefault);
  assert.equal(defaults.map((p: { id: string }) => p.id), [second.body.policy.id]);
});

admin('POST /v1/contacts creates a contact with identities; a taken handle is a CONFLICT', async () => {
  const body = { name: 'Dana', email: 'dana@example.com', phone: '+33 1 23 45 67 89', identities: [{ channel: 'sms', handle: '+33123456789' }] };
  const res = await call('POST', '/v1/contacts', { token: t.agentToken, body });
  assert.is(res.status, 201);
  assert.equal(res.body.contact.identities, [{ channel: 'sms', handle: '+33123456789' }]);
  const read = await call('GET', `/v1/contacts/${res.body.contact.id}`, { token: t.agentToken });
  assert.equal(read.body.contact, res.body.contact);
  const taken = await call('POST', '/v1/contacts', { token: t.agentToken, body: { name: 'Other', identities: [{ channel: 'sms', handle: '+33123456789' }] } });
  assert.is(taken.status, 409);
  assert.is(taken.body.error.code, 'CONFLICT');
});

admin('unknown routes and non-UUID ids answer NOT_FOUND in the error shape', async () => {
  const route = await call('GET', '/v1/nothing-here', { token: t.agentToken });
  assert.is(route.status, 404);
  assert.is(route.body.error.code, 'NOT_FOUND');
  const id = await call('GET', '/v1/contacts/not-a-uuid', { token: t.agentToken });
  assert.is(id.status, 404);
  assert.is(id.body.error.code, 'NOT_FOUND');
});

admin('a body over the limit is PAYLOAD_TOO_LARGE', async () => {
  const res = await call('POST', '/v1/contacts', { token: t.agentToken, raw: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }) });
  assert.is(res.status, 413);
  assert.is(res.body.error.code, 'PAYLOAD_TOO_LARGE');
});

admin.run();

// ---

const health = suite('health');

health('answers 503 with the reason while Redis does not answer', async () => {
  // Port 1 on loopback: nothing listens there.
  const server = await startServer({ REDIS_URL: 'redis://127.0.0.1:1' });
  try {
    const res = await httpClient(server.url)('GET', '/health');
    assert.is(res.status, 503);
    assert.match(res.body.reason, /redis/);
  } finally {
    await server.stop();
  }
});

health.run();

// ---

const cors = suite('cors');

cors('CORS headers are given to allowed origins only', async () => {
  const server = await startServer({ ALLOWED_ORIGINS: ['https://app.example.com'] });
  try {
    const allowed = await fetch(`${server.url}/health`, { headers: { origin: 'https://app.example.com' } });
    assert.is(allowed.headers.get('access-control-allow-origin'), 'https://app.example.com');
    const forged = await fetch(`${server.url}/health`, { headers: { origin: 'https://evil.example.com' } });
    assert.is(forged.headers.get('access-control-allow-origin'), null);
  } finally {
    await server.stop();
  }
});

cors.run();
