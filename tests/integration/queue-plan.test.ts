// The live queue is recomputed up to four times a second per node in a busy tenant: its waiting list must reach
// the few unassigned working conversations through an index, not read every conversation the tenant ever had.
// The plan is read with EXPLAIN over a tenant with 20,000 resolved conversations and 20 waiting.
import * as assert from 'uvu/assert';
import type { MikroORM } from '@mikro-orm/core';
import { migrate, openOrm } from '../../src/platform/db/orm.ts';
import { WAITING } from '../../src/routing/queue.ts';
import { valuesFor } from '../../src/platform/db/statement.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { planNodes, showPlan } from '../helpers/plans.ts';
import { requiring } from '../helpers/requires.ts';

const plan = requiring('live queue plan over 20,000 resolved conversations', ['DATABASE_URL']);

let db: TestDatabase;
let orm: MikroORM;
const ids = { tenant: crypto.randomUUID(), inbox: crypto.randomUUID(), user: crypto.randomUUID() };
const run = (query: string, params: unknown[] = []) => orm.em.fork().getConnection().execute(query, params);

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
  await run('set session_replication_role = origin');
  await run('analyze');
});

plan.after(async () => {
  await orm?.close();
  await db?.drop();
});

plan('the waiting list reads only unassigned working conversations, through their index', async () => {
  const nodes = await planNodes(run, WAITING.positionalText, valuesFor(WAITING.positionalNames, { tenant_id: ids.tenant }));
  const onConversations = nodes.filter((n) => n['Relation Name'] === 'conversations');
  const shown = showPlan(nodes);
  assert.ok(onConversations.length > 0, `no read of conversations? ${shown}`);
  assert.ok(onConversations.every((n) => n['Index Name'] === 'conversations_unassigned_index'), shown);
  // And it lists exactly the waiting ones.
  const listed = await run(WAITING.positionalText, valuesFor(WAITING.positionalNames, { tenant_id: ids.tenant }));
  assert.is(listed.length, 20);
});

plan.run();
