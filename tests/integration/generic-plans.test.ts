// Transactions run their named statements on generic plans, and a connection keeps a plan until a table it reads gets
// new statistics. Planned over the empty tables of a new deployment, the drain's stamp read every conversation of the
// tenant, and every open history row, on each drain. The plan-freshness job analyzes a table that has outgrown its
// statistics; the test holds a connection that prepared the stamp over empty tables and reads its generic plan again
// once the tables have grown and the job has run. On the embedded database too, whose one session is held the same
// way: its statements run on generic plans as well, and it has no autovacuum to analyze anything.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/core';
import { nativePglite } from '../../src/platform/db/embedded-statements.ts';
import { migrate, openOrm } from '../../src/platform/db/orm.ts';
import { MIN_ROWS, refreshOutgrownStatistics } from '../../src/platform/db/plan-freshness.ts';
import { createTransactions } from '../../src/platform/db/tenant-transaction.ts';
import { STAMP } from '../../src/routing/drain-statements.ts';
import { valuesFor } from '../../src/platform/db/statement.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { planNodes, showPlan, type PlanNode } from '../helpers/plans.ts';
import { until } from '../helpers/wait.ts';

const plans = suite('generic plans as tables grow');

let db: TestDatabase;
let orm: MikroORM;
/** The held session: a connection of its own on PostgreSQL, the one session of the embedded database. */
let session: { query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>; end(): Promise<void> };
const ids = { tenant: crypto.randomUUID(), inbox: crypto.randomUUID(), user: crypto.randomUUID() };
const GROWN = 4 * MIN_ROWS;

plans.before(async () => {
  db = await createTestDatabase();
  orm = await openOrm({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  await migrate(orm);
  if (db.databaseUrl) {
    const held = new pg.Client({ connectionString: db.databaseUrl });
    await held.connect();
    session = { query: (text, params) => held.query(text, params), end: () => held.end() };
  } else {
    const pglite = await nativePglite(orm);
    session = { query: (text, params) => pglite.query(text, params), end: async () => {} };
  }
  // As a tenant transaction runs it: a generic plan, made now, over empty tables.
  await session.query('set plan_cache_mode = force_generic_plan');
  await session.query(`prepare stamp as ${STAMP.text}`);
  await stampPlan();
});

plans.after(async () => {
  await session?.end();
  await orm?.close();
  await db?.drop();
});

/** The stamp's generic plan on the held connection, flattened. EXECUTE takes literals (an EXPLAIN cannot be bound). */
async function stampPlan(): Promise<PlanNode[]> {
  const params = {
    tenant_id: ids.tenant, inbox_id: ids.inbox, now: new Date().toISOString(),
    pairs: JSON.stringify([{ conversation_id: crypto.randomUUID(), assignee_id: ids.user, turn: 0, history_id: crypto.randomUUID() }]),
  };
  const args = valuesFor(STAMP.names, params).map((v) => `'${String(v).replaceAll("'", "''")}'`);
  return planNodes(async (query) => (await session.query(query)).rows, `execute stamp(${args.join(', ')})`, []);
}

/** Reads of `relation` that do not go through an index condition on `key`. */
const unkeyed = (nodes: PlanNode[], relation: string, key: string) =>
  nodes.filter((n) => n['Relation Name'] === relation && n['Node Type'] !== 'ModifyTable' && !new RegExp(`\\(${key} = `).test(n['Index Cond'] ?? ''));

const liveRows = async (table: string) =>
  Number((await session.query('select n_live_tup from pg_stat_user_tables where relname = $1', [table])).rows[0]?.n_live_tup ?? 0);

plans('a table that outgrows its statistics is analyzed, and the stamp planned over empty tables reaches its rows by key', async () => {
  const system = (await createTransactions(orm, { postgres: Boolean(db.databaseUrl), preparedStatements: true })).system;
  assert.equal(await refreshOutgrownStatistics(system), [], 'nothing has grown yet');
  const seed = db.databaseUrl ? new pg.Client({ connectionString: db.databaseUrl }) : null;
  await seed?.connect();
  const seeding = seed ?? session;
  try {
    await seeding.query('set session_replication_role = replica'); // seeding only: no triggers or key checks
    await seeding.query(`insert into conversations (id, tenant_id, inbox_id, channel, status, assignee_id, created_at, updated_at)
      select gen_random_uuid(), $1, $2, 'chat', 'open', $3, now(), now() from generate_series(1, $4)`, [ids.tenant, ids.inbox, ids.user, GROWN]);
    await seeding.query(`insert into conversation_assignments (id, tenant_id, conversation_id, assignee_id, type, assigned_at)
      select gen_random_uuid(), tenant_id, id, assignee_id, 'manual', now() from conversations`);
  } finally {
    await seeding.query('reset session_replication_role');
    await seed?.end();
  }
  // The cumulative statistics reach the job's query within a second or so of the seeding's commit.
  await until(async () => await liveRows('conversations') >= GROWN && await liveRows('conversation_assignments') >= GROWN, 10_000, 'the seeded rows in the statistics');
  const stale = await stampPlan();
  const refreshed = await refreshOutgrownStatistics(system);
  assert.ok(refreshed.includes('conversations') && refreshed.includes('conversation_assignments'), `analyzed: ${refreshed.join(', ')}`);
  const fresh = await stampPlan();
  assert.equal(unkeyed(fresh, 'conversations', 'id'), [], `the stamp reads conversations beyond its keys: ${showPlan(fresh)} (before the job: ${showPlan(stale)})`);
  assert.equal(unkeyed(fresh, 'conversation_assignments', 'conversation_id'), [], `the stamp reads history rows beyond its keys: ${showPlan(fresh)}`);
  // Analyzed now: the same sizes are not outgrown again.
  assert.equal(await refreshOutgrownStatistics(system), []);
});

plans.run();
