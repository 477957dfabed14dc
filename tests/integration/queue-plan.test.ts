// The live queue is recomputed up to four times a second per node in a busy tenant: its waiting list must reach
// the few unassigned working conversations through an index, not read every conversation the tenant ever had.
// The plan is read with EXPLAIN over a tenant with 20,000 resolved conversations and 20 waiting, and a triage inbox
// without round robin with 300 unassigned, of which the list shows the first 200 in its order.
import * as assert from 'uvu/assert';
import type { MikroORM } from '@mikro-orm/core';
import { migrate, openOrm } from '../../src/platform/db/orm.ts';
import { WAITING } from '../../src/routing/queue.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { planNodes, positional, showPlan } from '../helpers/plans.ts';
import { requiring } from '../helpers/requires.ts';

const plan = requiring('live queue plan over 20,000 resolved conversations', ['DATABASE_URL']);

let db: TestDatabase;
let orm: MikroORM;
const ids = { tenant: crypto.randomUUID(), inbox: crypto.randomUUID(), triage: crypto.randomUUID(), user: crypto.randomUUID() };
const run = (query: string, params: unknown[] = []): Promise<Record<string, unknown>[]> => orm.em.fork().getConnection().execute(query, params);

plan.before(async () => {
  db = await createTestDatabase();
  orm = await openOrm({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  await migrate(orm);
  await run('set session_replication_role = replica'); // seeding only: no outbox triggers or key checks
  await run(`insert into tenants (id, name, created_at) values (?, 'queue', now())`, [ids.tenant]);
  await run(`insert into inboxes (id, tenant_id, name, channel, webhook_secret, created_at, updated_at) values (?, ?, 'chat', 'chat', 'x', now(), now())`, [ids.inbox, ids.tenant]);
  await run(`insert into users (id, tenant_id, name, role, created_at, updated_at) values (?, ?, 'Agent', 'agent', now(), now())`, [ids.user, ids.tenant]);
  await run(`insert into conversations (id, tenant_id, inbox_id, channel, status, assignee_id, resolved_at, created_at, updated_at)
    select gen_random_uuid(), ?, ?, 'chat', 'resolved', ?, now(), now() - g * interval '1 minute', now() from generate_series(1, 20000) g`,
  [ids.tenant, ids.inbox, ids.user]);
  await run(`insert into conversations (id, tenant_id, inbox_id, channel, status, waiting_since, created_at, updated_at)
    select gen_random_uuid(), ?, ?, 'chat', 'open', now(), now(), now() from generate_series(1, 20)`, [ids.tenant, ids.inbox]);
  await run(`insert into inboxes (id, tenant_id, name, channel, webhook_secret, created_at, updated_at) values (?, ?, 'triage', 'email', 'x', now(), now())`, [ids.triage, ids.tenant]);
  await run(`insert into conversations (id, tenant_id, inbox_id, channel, status, created_at, updated_at)
    select gen_random_uuid(), ?, ?, 'email', 'open', now() - g * interval '1 second', now() from generate_series(1, 300) g`, [ids.tenant, ids.triage]);
  await run('set session_replication_role = origin');
  await run('analyze');
});

plan.after(async () => {
  await orm?.close();
  await db?.drop();
});

plan('the waiting list reads only unassigned working conversations, through their index', async () => {
  const waiting = positional(WAITING, { tenant_id: ids.tenant });
  const nodes = await planNodes(run, waiting.query, waiting.values);
  const onConversations = nodes.filter((n) => n['Relation Name'] === 'conversations');
  const shown = showPlan(nodes);
  assert.ok(onConversations.length > 0, `no read of conversations? ${shown}`);
  assert.ok(onConversations.every((n) => n['Index Name'] === 'conversations_unassigned_index'), shown);
  // Each inbox's first rows come in the index's order: nothing sorts or numbers all of them.
  assert.ok(!nodes.some((n) => n['Node Type'] === 'WindowAgg'), shown);
  assert.is(nodes.filter((n) => n['Node Type'] === 'Sort').length, 1, `only the list's own order is sorted: ${shown}`);
  // And it lists exactly the waiting ones: the 20, and the triage inbox's 200 that have waited longest, oldest first.
  const listed = await run(waiting.query, waiting.values);
  const triage = listed.filter((w) => w.inbox_id === ids.triage);
  assert.is(listed.length - triage.length, 20);
  assert.is(triage.length, 200);
  const since = triage.map((w) => new Date(w.since as string).getTime());
  assert.equal(since, [...since].sort((a, b) => a - b));
  const [{ newest }] = await run(`select max(created_at) as newest from (select created_at from conversations where inbox_id = ? order by created_at limit 200) f`, [ids.triage]);
  assert.is(Math.max(...since), new Date(newest as string).getTime());
});

plan.run();
