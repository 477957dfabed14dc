// Retention: done conversations past their tenant's retention move to the archive, once even when several
// nodes run the job together; the archive is readable, the working lists leave it out, and a tenant may change
// its retention or turn it off.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MikroORM } from '@mikro-orm/core';
import { archiveDue } from '../../src/features/retention/archive.ts';
import { openOrm } from '../../src/platform/db/orm.ts';
import { createTransactions } from '../../src/platform/db/tenant-transaction.ts';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { requiring } from '../helpers/requires.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let keeper: SeededTenant;

const retention = suite('retention');
const DAY = 86_400_000;

retention.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Retention');
  keeper = await seedTenant(call, 'Keeper');
});
// The server stays up for the several-nodes suite below, which stops it (or, when that suite is skipped, this does).
const severalNodes = Boolean(process.env.DATABASE_URL);
retention.after(async () => {
  if (!severalNodes) await server.stop();
});

const systemTransactions = async (orm: MikroORM) =>
  (await createTransactions(orm, { postgres: Boolean(process.env.DATABASE_URL), preparedStatements: true })).system;

/** A conversation resolved `daysAgo` days ago (test-only: the resolution time is set in the past). */
async function resolvedAgo(tenant: SeededTenant, daysAgo: number, extra: Record<string, unknown> = {}): Promise<string> {
  const id = await newConversation(call, tenant, extra);
  const status = await call('POST', `/v1/conversations/${id}/status`, { token: tenant.agentToken, body: { status: 'resolved' } });
  assert.is(status.status, 200, JSON.stringify(status.body));
  await server.app.orm.em.fork().getConnection().execute('update conversations set resolved_at = ? where id = ?', [new Date(Date.now() - daysAgo * DAY), id]);
  return id;
}

const archivedIds = async (token: string) => {
  const ids: string[] = [];
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page: { body: { conversations: { id: string }[]; nextCursor: string | null } } = await call('GET', `/v1/archive/conversations?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token });
    ids.push(...page.body.conversations.map((c) => c.id));
    cursor = page.body.nextCursor;
  }
  return ids;
};

retention('done conversations past 180 days (the default) move to the archive; the rest stay; the archive is read, lists leave it out', async () => {
  const old = await resolvedAgo(t, 200, { entityType: 'deal', entityId: 'deal-old' });
  const recent = await resolvedAgo(t, 10);
  const open = await newConversation(call, t);
  const keepersOld = await resolvedAgo(keeper, 400);
  await call('PATCH', '/v1/tenant', { token: keeper.adminToken, body: { retentionConversationsDays: null } });

  await archiveDue(await systemTransactions(server.app.orm));

  const archived = await call('GET', `/v1/conversations/${old}`, { token: t.agentToken });
  assert.type(archived.body.conversation.archivedAt, 'string');
  assert.is(archived.body.conversation.status, 'archived');
  assert.equal(await archivedIds(t.agentToken), [old]);
  const working = await call('GET', '/v1/conversations?limit=100', { token: t.supervisorToken });
  const ids = working.body.conversations.map((c: any) => c.id);
  assert.not.ok(ids.includes(old), 'out of the working list');
  assert.ok(ids.includes(recent) && ids.includes(open));
  assert.is((await call('GET', `/v1/conversations/${keepersOld}`, { token: keeper.agentToken })).body.conversation.archivedAt, null, 'retention off: kept');
  assert.equal(await archivedIds(keeper.agentToken), []);
  const timeline = await call('GET', '/v1/entities/deal/deal-old/timeline', { token: t.agentToken });
  assert.is(timeline.body.activities.filter((a: any) => a.kind === 'conversation.archived').length, 1);

  // Running again archives nothing more.
  assert.is((await archiveDue(await systemTransactions(server.app.orm))).conversations, 0);
  // An archived conversation's status is retention's to set; a person cannot change it.
  const reopen = await call('POST', `/v1/conversations/${old}/status`, { token: t.supervisorToken, body: { status: 'open' } });
  assert.is(reopen.status, 409, JSON.stringify(reopen.body));
  const reply = await call('POST', `/v1/conversations/${old}/messages`, { token: t.agentToken, body: { clientMessageId: 'late', body: 'late reply' } });
  assert.is(reply.status, 409, JSON.stringify(reply.body));
});

retention('a tenant sets its own retention; a bad value is refused', async () => {
  const tenant = await call('PATCH', '/v1/tenant', { token: t.adminToken, body: { retentionConversationsDays: 5 } });
  assert.is(tenant.status, 200, JSON.stringify(tenant.body));
  assert.is(tenant.body.tenant.retentionConversationsDays, 5);
  const week = await resolvedAgo(t, 7);
  assert.ok((await archiveDue(await systemTransactions(server.app.orm))).conversations >= 1);
  assert.ok((await archivedIds(t.agentToken)).includes(week));
  for (const bad of [0, -1, 1.5, 'ten']) {
    const res = await call('PATCH', '/v1/tenant', { token: t.adminToken, body: { retentionConversationsDays: bad } });
    assert.is(res.status, 400, JSON.stringify(bad));
  }
  const agent = await call('PATCH', '/v1/tenant', { token: t.agentToken, body: { retentionConversationsDays: 1 } });
  assert.is(agent.status, 403);
});

retention('a customer writing again after the archive starts a new conversation', async () => {
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ret-1', from: { handle: 'back@retention.example' }, body: 'hello' });
  const id = first.body.conversationId;
  await call('POST', `/v1/conversations/${id}/status`, { token: t.agentToken, body: { status: 'resolved' } });
  await server.app.orm.em.fork().getConnection().execute('update conversations set resolved_at = ? where id = ?', [new Date(Date.now() - 400 * DAY), id]);
  await archiveDue(await systemTransactions(server.app.orm));
  const again = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ret-2', from: { handle: 'back@retention.example' }, body: 'me again' });
  assert.is(again.status, 202);
  assert.is.not(again.body.conversationId, id);
});

retention('a reply in an archived thread brings the conversation back open', async () => {
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ret-t1', from: { handle: 'thread@retention.example' }, body: 'hi', threadExternalId: 'RT-1' });
  const id = first.body.conversationId;
  await call('POST', `/v1/conversations/${id}/status`, { token: t.agentToken, body: { status: 'closed' } });
  await server.app.orm.em.fork().getConnection().execute('update conversations set resolved_at = ? where id = ?', [new Date(Date.now() - 400 * DAY), id]);
  await archiveDue(await systemTransactions(server.app.orm));
  assert.is((await call('GET', `/v1/conversations/${id}`, { token: t.agentToken })).body.conversation.status, 'archived');
  const again = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'ret-t2', from: { handle: 'thread@retention.example' }, body: 'still there?', threadExternalId: 'RT-1' });
  assert.is(again.status, 202, JSON.stringify(again.body));
  assert.is(again.body.conversationId, id, 'the same thread');
  const back = (await call('GET', `/v1/conversations/${id}`, { token: t.agentToken })).body.conversation;
  assert.is(back.status, 'open');
  assert.is(back.archivedAt, null);
  assert.is(back.resolvedAt, null);
});

retention('attachments are archived after 90 days by default (marked, still readable); a tenant may change it or turn it off', async () => {
  const withFile = async (tenant: SeededTenant, key: string) => {
    const id = await newConversation(call, tenant);
    const sent = await call('POST', `/v1/conversations/${id}/messages`, {
      token: tenant.agentToken,
      body: { clientMessageId: key, body: 'a file', attachments: [{ type: 'file', url: `https://cdn.example/${key}.pdf`, metadata: { pages: 3 } }] },
    });
    assert.is(sent.status, 201, JSON.stringify(sent.body));
    return id;
  };
  const age = (id: string, days: number) => server.app.orm.em.fork().getConnection().execute(
    'update attachments set created_at = ? where message_id in (select id from messages where conversation_id = ?)', [new Date(Date.now() - days * DAY), id]);
  const attachmentOf = async (tenant: SeededTenant, id: string) =>
    (await call('GET', `/v1/conversations/${id}/messages`, { token: tenant.agentToken })).body.messages[0].attachments[0];

  const old = await withFile(t, 'att-old');
  const recent = await withFile(t, 'att-recent');
  const kept = await withFile(keeper, 'att-kept');
  await age(old, 91);
  await age(recent, 89);
  await age(kept, 400);
  assert.is((await call('GET', '/v1/tenant', { token: t.adminToken })).body.tenant.retentionAttachmentsDays, 90, 'the default');
  const off = await call('PATCH', '/v1/tenant', { token: keeper.adminToken, body: { retentionAttachmentsDays: null } });
  assert.is(off.body.tenant.retentionAttachmentsDays, null);

  const { attachments } = await archiveDue(await systemTransactions(server.app.orm));
  assert.ok(attachments >= 1);
  const archived = await attachmentOf(t, old);
  assert.type(archived.archivedAt, 'string');
  assert.equal(archived.metadata, { pages: 3 }, 'nothing is erased');
  assert.is(archived.url, 'https://cdn.example/att-old.pdf');
  assert.is((await attachmentOf(t, recent)).archivedAt, null);
  assert.is((await attachmentOf(keeper, kept)).archivedAt, null, 'retention off: kept');

  await call('PATCH', '/v1/tenant', { token: t.adminToken, body: { retentionAttachmentsDays: 30 } });
  await archiveDue(await systemTransactions(server.app.orm));
  assert.type((await attachmentOf(t, recent)).archivedAt, 'string', 'a shorter retention reaches it');
  const bad = await call('PATCH', '/v1/tenant', { token: t.adminToken, body: { retentionAttachmentsDays: 0 } });
  assert.is(bad.status, 400);
});

// Several nodes need PostgreSQL (the embedded database belongs to one process).
const nodes = requiring('retention on several nodes', ['DATABASE_URL']);

nodes.after(async () => {
  await server.stop();
});

nodes('three nodes running the job at once archive each conversation once', async () => {
  const ids = [];
  for (let i = 0; i < 12; i++) ids.push(await resolvedAgo(keeper, 30));
  await call('PATCH', '/v1/tenant', { token: keeper.adminToken, body: { retentionConversationsDays: 20 } });
  const orms = await Promise.all([0, 1, 2].map(() => openOrm({ databaseUrl: server.app.config.DATABASE_URL, dataDir: ':memory:' })));
  try {
    const counts = await Promise.all(orms.map(async (orm) => (await archiveDue(await systemTransactions(orm))).conversations));
    // The twelve, and the one kept earlier while the tenant's retention was off.
    assert.is(counts.reduce((a, b) => a + b, 0), 13, `archived ${counts.join(' + ')}`);
  } finally {
    await Promise.all(orms.map((orm) => orm.close()));
  }
  const [row] = await server.app.orm.em.fork().getConnection().execute(
    `select count(*)::int as n from activities where kind = 'conversation.archived' and tenant_id = ?`, [keeper.tenantId]);
  assert.is(row.n, 13, 'one timeline entry each');
});

retention.run();
nodes.run();
