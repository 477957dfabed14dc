// Dead rows vacuumed by the node (src/platform/db/embedded-vacuum.ts): the embedded database has no autovacuum, so a
// table whose dead rows pass autovacuum's default threshold is vacuumed by the job, and one below it is left alone. The
// job is scheduled on the embedded database only; the statements work on either, and the test runs on both.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MikroORM } from '@mikro-orm/core';
import { vacuumDeadRows } from '../../src/platform/db/embedded-vacuum.ts';
import { migrate, openOrm } from '../../src/platform/db/orm.ts';
import { createTransactions, type Transactions } from '../../src/platform/db/tenant-transaction.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { until } from '../helpers/wait.ts';

const test = suite('vacuum of dead rows');
let db: TestDatabase;
let orm: MikroORM;
let transactions: Transactions;
const tenant = crypto.randomUUID();

test.before(async () => {
  db = await createTestDatabase();
  orm = await openOrm({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  await migrate(orm);
  transactions = await createTransactions(orm, { postgres: Boolean(db.databaseUrl), preparedStatements: true });
  // On PostgreSQL autovacuum could get there first (this database is the test's own).
  await transactions.system(async (tx) => {
    for (const table of ['contacts', 'tenants']) await tx.query(`alter table ${table} set (autovacuum_enabled = false)`);
  });
});
test.after(async () => {
  await orm?.close();
  await db?.drop();
});

const deadRows = async (table: string) => Number((await transactions.system((tx) =>
  tx.query<{ n: string }>('select n_dead_tup as n from pg_stat_user_tables where relname = ?', [table])))[0]?.n ?? 0);

test('a table past the threshold of dead rows is vacuumed, and one below it is not', async () => {
  await transactions.system(async (tx) => {
    await tx.query(`insert into tenants (id, name, created_at) values (?, 'vacuum', now())`, [tenant]);
    await tx.query(`insert into contacts (id, tenant_id, name, created_at, updated_at)
      select gen_random_uuid(), ?, 'contact ' || g, now(), now() from generate_series(1, 200) g`, [tenant]);
  });
  // Two updates of every contact: 400 dead rows against 200 live ones (the threshold: 50 + 40). The tenant's one
  // dead row stays under its own (50).
  for (let i = 0; i < 2; i++) await transactions.system((tx) => tx.query(`update contacts set name = name || '.' where tenant_id = ?`, [tenant]));
  await transactions.system((tx) => tx.query(`update tenants set name = 'vacuumed' where id = ?`, [tenant]));
  // The cumulative statistics reach the job's query within a second or so of the commits.
  await until(async () => await deadRows('contacts') >= 400, 10_000, 'the dead contacts in the statistics');
  const vacuumed = await vacuumDeadRows(transactions.single);
  assert.ok(vacuumed.includes('contacts'), `vacuumed: ${vacuumed.join(', ')}`);
  assert.not.ok(vacuumed.includes('tenants'), 'a table under the threshold is left alone');
  await until(async () => await deadRows('contacts') === 0, 10_000, 'no dead contacts after the vacuum');
  assert.not.ok((await vacuumDeadRows(transactions.single)).includes('contacts'), 'vacuumed once');
});

test.run();
