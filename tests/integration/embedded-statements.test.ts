// Transactions on the embedded database in PostgreSQL's protocol (src/platform/db/embedded-statements.ts): named
// statements parsed once and then only bound and run, under the transaction's tenant, with the begin and the commit
// sent alongside. They answer what the ORM's own road answers, write parameters as the `pg` driver writes them, keep
// the transaction whole (the ORM's queries wait for it), and a failure leaves the statement usable and nothing kept.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MikroORM } from '@mikro-orm/core';
import { migrate, openOrm } from '../../src/platform/db/orm.ts';
import { sql } from '../../src/platform/db/sql.ts';
import { statement } from '../../src/platform/db/statement.ts';
import { systemEm } from '../../src/platform/db/tenant-scope.ts';
import { createTransactions, type Transactions } from '../../src/platform/db/tenant-transaction.ts';

const test = suite('embedded named statements');
let orm: MikroORM;
let transactions: Transactions;
const A = crypto.randomUUID();
const B = crypto.randomUUID();

test.before(async () => {
  orm = await openOrm({ dataDir: ':memory:' });
  await migrate(orm);
  transactions = await createTransactions(orm, { postgres: false, preparedStatements: true });
  const system = systemEm(orm);
  for (const [tenant, names] of [[A, ['a1', 'a2']], [B, ['b1']]] as const) {
    await sql(system, 'insert into tenants (id, name, created_at) values (?, ?, now())', [tenant, `tenant ${tenant}`]);
    for (const name of names) {
      await sql(system, `insert into contacts (id, tenant_id, name, custom_attributes, created_at, updated_at) values (?, ?, ?, '{"tier": 2}', now(), now())`, [crypto.randomUUID(), tenant, name]);
    }
  }
});
test.after(async () => {
  await orm.close();
});

const prepared = async (name: string) =>
  (await sql<{ generic_plans: number; custom_plans: number }>(systemEm(orm), 'select generic_plans::int, custom_plans::int from pg_prepared_statements where name = ?', [name]))[0];

test('a named statement answers the same rows and types as the ORM, and is parsed once and planned once', async () => {
  const text = `select id, name, custom_attributes, created_at, (select count(*) from contacts) as total, array[name, 'x'] as pair,
    tenant_id = :tenant as own, null::text as nothing from contacts order by name`;
  const read = statement('test_embedded_contacts_v1', text);
  const viaOrm = await sql(systemEm(orm), text.replace(':tenant', '?'), [A]);
  for (let i = 0; i < 3; i++) {
    const rows = await transactions.system((tx) => tx.run(read, { tenant: A }));
    assert.equal(rows, viaOrm);
  }
  // Parsed by column type as the ORM parses them: documents and arrays are values, timestamps the database's text.
  const first = (await transactions.system((tx) => tx.run<{ custom_attributes: unknown; pair: unknown }>(read, { tenant: A })))[0];
  assert.equal(first.custom_attributes, { tier: 2 });
  assert.equal(first.pair, ['a1', 'x']);
  const plans = await prepared(read.name);
  assert.ok(plans, 'the statement is kept by the database');
  assert.is(plans.custom_plans, 0);
  assert.ok(plans.generic_plans >= 4, `generic plans: ${plans.generic_plans}`);
});

test('parameters are written as the pg driver writes them: dates, arrays, documents, booleans, nulls', async () => {
  const echo = statement('test_embedded_echo_v1', `select :at::timestamptz as at, :ids::uuid[] as ids, :doc::jsonb as doc, :flag::boolean as flag,
    :none::text as none, :n::int as n`);
  const at = new Date('2026-03-04T05:06:07.089Z');
  const ids = [crypto.randomUUID(), crypto.randomUUID()];
  const [row] = await transactions.system((tx) => tx.run<{ at: string }>(echo, { at, ids, doc: { a: [1, 'two'] }, flag: false, none: null, n: 42 }));
  assert.is(new Date(row.at).toISOString(), at.toISOString());
  assert.equal({ ...row, at }, { at, ids, doc: { a: [1, 'two'] }, flag: false, none: null, n: 42 });
});

test("runs inside the tenant's transaction: sees its rows only, and a refused write keeps nothing and leaves the statement usable", async () => {
  const names = statement('test_embedded_names_v1', 'select name from contacts order by name');
  const insert = statement('test_embedded_insert_v1', `insert into contacts (id, tenant_id, name, created_at, updated_at)
    values (:id, :tenant_id, :name, now(), now()) returning name`);
  assert.equal((await transactions.tenant(A, (tx) => tx.run(names, {}))).map((r) => r.name), ['a1', 'a2']);
  // The tenant and its role are set before the first statement, whichever road it takes (named, or the ORM's).
  const who = statement('test_embedded_who_v1', `select current_setting('app.tenant_id', true) as tenant, current_user as role`);
  assert.equal(await transactions.tenant(B, (tx) => tx.run(who, {})), [{ tenant: B, role: 'switchboard_tenant' }]);
  assert.equal((await transactions.tenant(B, (tx) => tx.query<{ name: string }>('select name from contacts order by name'))).map((r) => r.name), ['b1']);
  const [system] = await transactions.system((tx) => tx.run<{ tenant: string | null; role: string }>(who, {}));
  assert.not.ok(system.tenant, 'a system transaction names no tenant');
  assert.is.not(system.role, 'switchboard_tenant');
  const refused = await transactions.tenant(A, async (tx) => {
    await tx.run(insert, { id: crypto.randomUUID(), tenant_id: A, name: 'a3' });
    return tx.run(insert, { id: crypto.randomUUID(), tenant_id: B, name: 'b2' });
  }).then(() => null, (err: { code?: string }) => err);
  assert.is(refused?.code, '42501', 'row-level security refuses the other tenant');
  // The whole transaction rolled back, its first insert too; both statements still run.
  assert.equal((await transactions.tenant(A, (tx) => tx.run(names, {}))).map((r) => r.name), ['a1', 'a2']);
  assert.equal(await transactions.tenant(A, (tx) => tx.runLast(insert, { id: crypto.randomUUID(), tenant_id: A, name: 'a4' })), [{ name: 'a4' }]);
  assert.equal((await transactions.tenant(A, (tx) => tx.run(names, {}))).map((r) => r.name), ['a1', 'a2', 'a4']);
  assert.equal((await transactions.tenant(B, (tx) => tx.run(names, {}))).map((r) => r.name), ['b1']);
});

test('a new statement run twice at once inside a transaction is parsed once', async () => {
  const count = statement('test_embedded_twice_v1', 'select count(*)::int as n from contacts');
  const [first, second] = await transactions.tenant(A, (tx) => Promise.all([tx.run(count, {}), tx.run(count, {})]));
  const [{ n }] = await transactions.tenant(A, (tx) => tx.query<{ n: number }>('select count(*)::int as n from contacts'));
  assert.equal(first, [{ n }]);
  assert.equal(second, first);
});

test('a statement that does not parse is reported and not kept', async () => {
  const broken = statement('test_embedded_broken_v1', 'select nonsense from nowhere');
  const err = await transactions.system((tx) => tx.run(broken, {})).then(() => null, (e: { code?: string }) => e);
  assert.is(err?.code, '42P01');
  assert.is(await prepared(broken.name), undefined);
});

test("a transaction is whole: the ORM's queries wait for its end, and never see its writes halfway", async () => {
  const insert = statement('test_embedded_insert_whole_v1', `insert into contacts (id, tenant_id, name, created_at, updated_at)
    values (:id, :tenant_id, :name, now(), now())`);
  const count = () => sql<{ n: number }>(systemEm(orm), "select count(*)::int as n from contacts where name like 'whole-%'");
  const writeAndRead = (commit: boolean) => {
    let read: Promise<{ n: number }[]> | null = null;
    const done = transactions.tenant(A, async (tx) => {
      await tx.run(insert, { id: crypto.randomUUID(), tenant_id: A, name: 'whole-1' });
      read = count();
      // More round trips through the database, in which a query that did not wait would have run.
      for (let i = 2; i <= 5; i++) await tx.run(insert, { id: crypto.randomUUID(), tenant_id: A, name: `whole-${i}` });
      if (!commit) throw new Error('rolled back');
    });
    return done.then(() => null, (e: Error) => e.message).then(async (failure) => ({ failure, read: await read }));
  };
  assert.equal(await writeAndRead(false), { failure: 'rolled back', read: [{ n: 0 }] });
  assert.equal(await writeAndRead(true), { failure: null, read: [{ n: 5 }] });
});

test('runLast commits with its statement; nothing runs after it; a failed last statement or failed work keeps nothing', async () => {
  const insert = statement('test_embedded_insert_last_v1', `insert into contacts (id, tenant_id, name, created_at, updated_at)
    values (:id, :tenant_id, :name, now(), now()) returning name`);
  const names = async () => (await sql<{ name: string }>(systemEm(orm), "select name from contacts where name like 'last-%' order by name")).map((r) => r.name);
  const after = await transactions.tenant(A, async (tx) => {
    await tx.runLast(insert, { id: crypto.randomUUID(), tenant_id: A, name: 'last-1' });
    return tx.run(insert, { id: crypto.randomUUID(), tenant_id: A, name: 'last-2' }).then(() => null, (e: Error) => e.message);
  });
  assert.match(String(after), /ended/);
  assert.equal(await names(), ['last-1']);
  // The last statement fails (another tenant's row): its commit rolls back the first insert too.
  const refused = await transactions.tenant(A, async (tx) => {
    await tx.run(insert, { id: crypto.randomUUID(), tenant_id: A, name: 'last-3' });
    return tx.runLast(insert, { id: crypto.randomUUID(), tenant_id: B, name: 'last-4' });
  }).then(() => null, (e: { code?: string }) => e.code);
  assert.is(refused, '42501');
  // The work fails after writing: rolled back.
  const thrown = await transactions.tenant(A, async (tx) => {
    await tx.run(insert, { id: crypto.randomUUID(), tenant_id: A, name: 'last-5' });
    throw new Error('the work gave up');
  }).then(() => null, (e: Error) => e.message);
  assert.is(thrown, 'the work gave up');
  assert.equal(await names(), ['last-1']);
  // And the database is out of any transaction: the next one commits.
  await transactions.tenant(A, (tx) => tx.run(insert, { id: crypto.randomUUID(), tenant_id: A, name: 'last-6' }));
  assert.equal(await names(), ['last-1', 'last-6']);
});

test('a single statement is parsed once and runs outside any transaction; Tx.query binds as the pg driver does', async () => {
  const byName = statement('test_embedded_single_v1', 'select name from contacts where name = any(:names::text[]) order by name');
  for (let i = 0; i < 2; i++) assert.equal(await transactions.single(byName, { names: ['a1', 'b1'] }), [{ name: 'a1' }, { name: 'b1' }]);
  assert.ok(await prepared(byName.name), 'the single statement is kept by the database');
  const rows = await transactions.tenant(A, (tx) => tx.query<{ name: string }>('select name from contacts where name = any(?) and created_at < ? order by name', [['a1', 'a2', 'b1'], new Date(Date.now() + 60_000)]));
  assert.equal(rows, [{ name: 'a1' }, { name: 'a2' }]);
});

test.run();
