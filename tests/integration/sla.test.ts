// SLA alerts over real sockets: on time, warning before breach, once, quiet when met, paused when pending.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openOrm } from '../../src/platform/db/orm.ts';
import { EventBus } from '../../src/platform/events/domain-events.ts';
import { tick } from '../../sla/engine.ts';
import { createTransactions } from '../../src/platform/db/tenant-transaction.ts';
import { addBusinessMinutes, type BusinessHours } from '../../sla/business-hours.ts';
import { startServer, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { collect, connect, ok, waitFor, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let supervisor: ClientSocket;
let agent: ClientSocket;
let inboxId: string;
let secret: string;
let policyId: string;
let handles = 0;

/** A conversation opened by an inbound message, so its first-response clock runs from now. */
async function inbound(body = 'help'): Promise<string> {
  handles++;
  const res = await signedInbound(call, inboxId, secret, { externalId: `sla-${handles}`, from: { handle: `sla${handles}@example.com` }, body });
  assert.is(res.status, 202, JSON.stringify(res.body));
  return res.body.conversationId;
}

async function conversation(id: string) {
  return (await call('GET', `/v1/conversations/${id}`, { token: t.adminToken })).body.conversation;
}

const sla = suite('sla');

sla.before(async () => {
  server = await startServer({ SLA_TICK_SECONDS: 1 });
  call = httpClient(server.url);
  t = await seedTenant(call, 'Sla');
  // First response in 3 s (warning at 50 %: 1.5 s), resolution in 6 s.
  const policy = await call('POST', '/v1/sla-policies', { token: t.adminToken, body: { name: 'Fast', firstResponseMinutes: 0.05, nextResponseMinutes: 0.05, resolutionMinutes: 0.1, warnAtPercent: 50 } });
  policyId = policy.body.policy.id;
  const inbox = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Fast lane', channel: 'sms', slaPolicyId: policyId, memberIds: [t.agentId] } });
  inboxId = inbox.body.inbox.id;
  secret = inbox.body.webhookSecret;
  supervisor = await connect(server.url, t.supervisorToken);
  agent = await connect(server.url, t.agentToken);
});
sla.after(async () => {
  supervisor.close();
  agent.close();
  await server.stop();
});

sla('the policy and due times are on the conversation from the start', async () => {
  const id = await inbound();
  const c = await conversation(id);
  assert.is(c.sla.policyId, policyId);
  const created = Date.parse(c.createdAt);
  assert.ok(Math.abs(Date.parse(c.sla.resolutionDueAt) - (created + 6000)) < 1000);
  assert.ok(Math.abs(Date.parse(c.sla.firstResponseDueAt) - (created + 3000)) < 1000);
  assert.is(c.sla.nextResponseDueAt, null);
});

sla('a breach is alerted within one tick plus a second of its due time, after its warning, once', async () => {
  const warnings = collect(supervisor, 'sla:warning');
  const breaches = collect(supervisor, 'sla:breach');
  const id = await inbound();
  const breach = await waitFor(supervisor, 'sla:breach', (e: any) => e.conversationId === id && e.kind === 'first_response', 8000);
  const lateMs = Date.now() - Date.parse(breach.dueAt);
  assert.ok(lateMs <= 2000, `alerted ${lateMs} ms after due`);
  assert.equal(Object.keys(breach).sort(), ['assigneeId', 'breachedAt', 'conversationId', 'dueAt', 'kind', 'policyId']);
  assert.is(breach.policyId, policyId);
  assert.is(breach.breachedAt, breach.dueAt);
  const warning = warnings.items.find((e: any) => e.conversationId === id && e.kind === 'first_response');
  assert.ok(warning, 'the warning came first');
  assert.not.ok('breachedAt' in warning);
  const c = await conversation(id);
  assert.is(c.sla.firstResponseBreachedAt, breach.dueAt);
  // Resolution breaches later; waiting for it also lets several more ticks pass over the first breach.
  await waitFor(supervisor, 'sla:breach', (e: any) => e.conversationId === id && e.kind === 'resolution', 10_000);
  warnings.stop();
  breaches.stop();
  assert.is(breaches.items.filter((e: any) => e.conversationId === id && e.kind === 'first_response').length, 1);
  assert.is(warnings.items.filter((e: any) => e.conversationId === id && e.kind === 'first_response').length, 1);
  const [row] = await server.app.orm.em.fork().getConnection().execute<{ n: string }[]>(
    `select count(*) as n from sla_events where conversation_id = ?`, [id]);
  assert.is(Number(row.n), 4, 'warning and breach for first response and for resolution');
});

sla('the assignee hears their conversation\'s alerts too', async () => {
  const id = await inbound();
  await call('POST', `/v1/conversations/${id}/assign`, { token: t.adminToken, body: { assigneeId: t.agentId } });
  const alert = await waitFor(agent, 'sla:breach', (e: any) => e.conversationId === id, 8000);
  assert.is(alert.assigneeId, t.agentId);
});

sla('a met clock stays quiet; pending pauses resolution', async () => {
  const met = await inbound();
  await ok(agent, 'message:send', { conversationId: met, clientMessageId: 'reply', body: 'on it' });
  const paused = await inbound();
  await call('POST', `/v1/conversations/${paused}/status`, { token: t.adminToken, body: { status: 'pending' } });
  const before = await conversation(paused);
  const alerts = collect(supervisor, 'sla:breach');
  // A later conversation's breach marks the time: by then both clocks above were due and ticks have run.
  const marker = await inbound();
  await waitFor(supervisor, 'sla:breach', (e: any) => e.conversationId === marker && e.kind === 'resolution', 12_000);
  alerts.stop();
  assert.not.ok(alerts.items.some((e: any) => e.conversationId === met && e.kind === 'first_response'), 'met first response');
  assert.not.ok(alerts.items.some((e: any) => e.conversationId === paused && e.kind === 'resolution'), 'paused resolution');
  const m = await conversation(met);
  assert.is(m.sla.firstResponseBreachedAt, null);
  assert.type(m.firstResponseAt, 'string');
  // Resuming moves the resolution deadline by the time spent pending.
  await call('POST', `/v1/conversations/${paused}/status`, { token: t.adminToken, body: { status: 'open' } });
  const after = await conversation(paused);
  assert.ok(Date.parse(after.sla.resolutionDueAt) > Date.parse(before.sla.resolutionDueAt) + 3000);
});

sla('an inbound message after the first reply starts next response', async () => {
  const id = await inbound();
  await ok(agent, 'message:send', { conversationId: id, clientMessageId: 'r1', body: 'hello' });
  const conversationRow = await conversation(id);
  assert.is(conversationRow.sla.nextResponseDueAt, null);
  const contact = conversationRow.contactId;
  const handle = (await call('GET', `/v1/contacts/${contact}`, { token: t.adminToken })).body.contact.identities[0].handle;
  await signedInbound(call, inboxId, secret, { externalId: `nr-${id}`, from: { handle }, body: 'and another thing' });
  const owed = await conversation(id);
  assert.type(owed.sla.nextResponseDueAt, 'string');
  const breach = await waitFor(supervisor, 'sla:breach', (e: any) => e.conversationId === id && e.kind === 'next_response', 8000);
  assert.is(breach.dueAt, owed.sla.nextResponseDueAt);
});

sla('GET /v1/sla/breaches?active=true lists breaches until they are met', async () => {
  const id = await inbound();
  await waitFor(supervisor, 'sla:breach', (e: any) => e.conversationId === id && e.kind === 'first_response', 8000);
  const active = await call('GET', '/v1/sla/breaches?active=true', { token: t.supervisorToken });
  assert.is(active.status, 200);
  assert.ok(active.body.breaches.some((b: any) => b.conversationId === id && b.kind === 'first_response'));
  await ok(agent, 'message:send', { conversationId: id, clientMessageId: 'late', body: 'sorry for the wait' });
  const after = await call('GET', '/v1/sla/breaches?active=true', { token: t.supervisorToken });
  assert.not.ok(after.body.breaches.some((b: any) => b.conversationId === id && b.kind === 'first_response'));
  const all = await call('GET', '/v1/sla/breaches', { token: t.supervisorToken });
  assert.ok(all.body.breaches.some((b: any) => b.conversationId === id && b.kind === 'first_response'));
});

sla('due times count business hours only', async () => {
  const businessHours: BusinessHours = { timezone: 'America/New_York', weekly: { mon: [['09:00', '17:00']], wed: [['22:00', '02:00']] }, holidays: ['2026-12-28'] };
  const policy = await call('POST', '/v1/sla-policies', { token: t.adminToken, body: { name: 'Office', firstResponseMinutes: 90, resolutionMinutes: 600, businessHours } });
  const inbox = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Office', channel: 'email', slaPolicyId: policy.body.policy.id } });
  const created = await call('POST', '/v1/conversations', { token: t.adminToken, body: { inboxId: inbox.body.inbox.id } });
  const c = created.body.conversation;
  const expected = addBusinessMinutes(new Date(c.createdAt), 600, businessHours);
  assert.ok(Math.abs(Date.parse(c.sla.resolutionDueAt) - expected.getTime()) < 1000, `${c.sla.resolutionDueAt} vs ${expected.toISOString()}`);
});

sla('three engines ticking at once on one database alert each warning and breach exactly once', async () => {
  const id = await inbound();
  const buses = [new EventBus(), new EventBus(), new EventBus()];
  const seen: any[] = [];
  for (const bus of buses) bus.subscribe((e) => { if (e.type === 'sla.alert' && e.conversationId === id) seen.push(e); });
  // Separate connection pools on PostgreSQL; PGlite lives in this process, so its engines share it.
  const extra = server.db.databaseUrl ? await Promise.all([1, 2].map(() => openOrm({ databaseUrl: server.db.databaseUrl, dataDir: ':memory:' }))) : [];
  const orms = [server.app.orm, ...extra];
  const postgres = Boolean(server.db.databaseUrl);
  const engines = await Promise.all(orms.map((orm) => createTransactions(orm, { postgres, preparedStatements: true })));
  try {
    // Ticks from "later", when every clock of the new conversation is past due.
    const later = new Date(Date.now() + 20_000);
    await Promise.all(buses.map((bus, i) => tick(engines[i % engines.length].system, bus, later)));
    await Promise.all(buses.map((bus, i) => tick(engines[i % engines.length].system, bus, later)));
  } finally {
    for (const orm of extra) await orm.close();
  }
  assert.equal(seen.map((e) => `${e.kind}:${e.alert}`).sort(), [
    'first_response:breach', 'first_response:warning', 'resolution:breach', 'resolution:warning',
  ]);
  const c = await conversation(id);
  assert.type(c.sla.firstResponseBreachedAt, 'string');
  assert.type(c.sla.resolutionBreachedAt, 'string');
});

sla('a tick publishes each conversation it changed as the row now is: breach times and the tick\'s update time', async () => {
  const id = await inbound();
  const bus = new EventBus();
  const updates: any[] = [];
  bus.subscribe((e) => { if (e.type === 'conversation.updated' && e.conversation.id === id) updates.push(e.conversation); });
  const { system } = await createTransactions(server.app.orm, { postgres: Boolean(server.db.databaseUrl), preparedStatements: true });
  // From "later", when every clock of the new conversation is past due: one tick flags them all.
  const later = new Date(Date.now() + 20_000);
  await tick(system, bus, later);
  assert.is(updates.length, 1);
  const c = await conversation(id);
  assert.is(c.updatedAt, later.toISOString(), 'the row was stamped by the tick');
  assert.is(updates[0].updatedAt, c.updatedAt);
  assert.equal(updates[0].sla, c.sla);
});

// PGlite prepares nothing by name: PostgreSQL only.
if (process.env.DATABASE_URL) sla('the tick\'s and the tenants\' transactions run named statements on their generic plan, planned once per connection', async () => {
  const { system, tenant } = await createTransactions(server.app.orm, { postgres: true, preparedStatements: true });
  const mode = async (run: typeof system) => (await run((tx) => tx.query('show plan_cache_mode')))[0].plan_cache_mode;
  assert.is(await mode(system), 'force_generic_plan');
  assert.is(await mode((work) => tenant(t.tenantId, work)), 'force_generic_plan');
  // Local to the transaction: the pool's connections keep PostgreSQL's default for everything else.
  assert.is((await server.app.orm.em.fork().getConnection().execute('show plan_cache_mode'))[0].plan_cache_mode, 'auto');
});

sla.run();
