// The audit log: changes to settings, users, credentials, inboxes, policies, webhooks and deletions are
// recorded with who, what, which target and what was asked (secrets left out); only admins read it, newest
// first and paged; another tenant's entries are never seen; a refused call records nothing; and the database
// refuses to change or remove an entry.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let other: SeededTenant;

const audit = suite('audit log');

audit.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Audited');
  other = await seedTenant(call, 'Elsewhere');
});
audit.after(async () => {
  await server.stop();
});

const entries = async (query = '') => {
  const res = await call('GET', `/v1/audit${query}`, { token: t.adminToken });
  assert.is(res.status, 200, JSON.stringify(res.body));
  return res.body as { entries: { action: string; actorId: string; actorName: string; targetType: string; targetId: string | null; details: Record<string, unknown> | null }[]; nextCursor: string | null };
};

audit('the seeding itself is on record: who created the users, the policy and the inbox', async () => {
  const { entries: all } = await entries('?limit=200');
  const actions = all.map((e) => e.action);
  for (const action of ['user.created', 'sla_policy.created', 'inbox.created']) assert.ok(actions.includes(action), action);
  const inbox = all.find((e) => e.action === 'inbox.created')!;
  assert.is(inbox.targetId, t.inboxId, 'the target is what the creation made');
  assert.is(inbox.actorId, t.adminId);
  assert.is(inbox.details?.name, 'Audited support');
});

audit('a role change, a secret rotation, a webhook and a deletion: who, what, which, with secrets left out', async () => {
  assert.is((await call('PATCH', `/v1/users/${t.agentId}`, { token: t.adminToken, body: { role: 'supervisor' } })).status, 200);
  assert.is((await call('POST', `/v1/inboxes/${t.inboxId}/secret`, { token: t.adminToken })).status, 200);
  const hook = await call('POST', '/v1/webhooks', { token: t.adminToken, body: { url: 'https://crm.example/hooks', events: ['conversation.created'] } });
  assert.is(hook.status, 201, JSON.stringify(hook.body));
  const id = await newConversation(call, t);
  assert.is((await call('DELETE', `/v1/conversations/${id}`, { token: t.adminToken })).status, 204);

  const { entries: latest } = await entries('?limit=4');
  assert.equal(latest.map((e) => e.action), ['conversation.deleted', 'webhook.created', 'inbox.secret_rotated', 'user.updated']);
  const [deleted, webhook, rotated, role] = latest;
  assert.is(deleted.targetId, id);
  assert.is(webhook.targetId, hook.body.webhook.id);
  assert.is(rotated.targetId, t.inboxId);
  assert.equal(role.details, { role: 'supervisor' });
  assert.is(role.targetId, t.agentId);
  assert.not.match(JSON.stringify(latest), /whsec_/, 'no secret in the log');

  const filtered = await entries(`?targetType=inbox&targetId=${t.inboxId}`);
  assert.ok(filtered.entries.every((e) => e.targetId === t.inboxId) && filtered.entries.length >= 2);
});

audit('a refused or failed call records nothing', async () => {
  const before = (await entries('?limit=200')).entries.length;
  assert.is((await call('PATCH', '/v1/tenant', { token: t.agentToken, body: { name: 'Taken over' } })).status, 403);
  assert.is((await call('PATCH', '/v1/tenant', { token: t.adminToken, body: { retentionConversationsDays: -1 } })).status, 400);
  assert.is((await entries('?limit=200')).entries.length, before);
});

audit('only admins read it; each tenant its own; pages by cursor', async () => {
  for (const token of [t.agentToken, t.supervisorToken, t.botKey]) {
    assert.is((await call('GET', '/v1/audit', { token })).status, 403);
  }
  const theirs = await call('GET', '/v1/audit?limit=200', { token: other.adminToken });
  assert.ok(theirs.body.entries.length > 0);
  assert.ok(theirs.body.entries.every((e: { actorName: string }) => !e.actorName.startsWith('Audited')), 'never another tenant\'s');
  const first = await entries('?limit=2');
  assert.type(first.nextCursor, 'string');
  const second = await entries(`?limit=2&cursor=${first.nextCursor}`);
  assert.is(second.entries.length, 2);
  assert.not.ok(second.entries.some((e) => first.entries.some((f) => JSON.stringify(f) === JSON.stringify(e))), 'pages do not overlap');
  assert.is((await call('GET', '/v1/audit?cursor=nonsense', { token: t.adminToken })).status, 400);
});

audit('append-only: the database refuses to change or remove an entry', async () => {
  const connection = server.app.orm.em.fork().getConnection();
  for (const statement of ["update audit_entries set action = 'nothing.happened'", 'delete from audit_entries']) {
    let refused = '';
    await connection.execute(statement).catch((err: Error) => { refused = err.message; });
    assert.match(refused, /never changed or removed/, statement);
  }
});

audit.run();
