// Row-level security under the ORM filter: tenant-scoped statements that forget `tenant_id = ?` (raw SQL,
// `filters: false`) still see and change only their own tenant's rows, and a statement run as the tenant
// role with no tenant set sees nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MikroORM } from '@mikro-orm/core';
import { Contact } from '../../entities/contact.entity.ts';
import type { PoolClient } from 'pg';
import { TENANT_ROLE, TENANT_SETTING } from '../../entities/rls.ts';
import { migrate, openOrm } from '../../src/platform/db/orm.ts';
import { sql } from '../../src/platform/db/sql.ts';
import { createTransactions, nativePool } from '../../src/platform/db/tenant-transaction.ts';
import { statement } from '../../src/platform/db/statement.ts';
import { systemEm, tenantEm } from '../../src/platform/db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let db: TestDatabase;
let orm: MikroORM;
const A = crypto.randomUUID();
const B = crypto.randomUUID();

const rls = suite('row-level security');

rls.before(async () => {
  db = await createTestDatabase();
  orm = await openOrm({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  await migrate(orm);
  const system = systemEm(orm);
  for (const [tenant, names] of [[A, ['a1', 'a2']], [B, ['b1', 'b2', 'b3']]] as const) {
    await sql(system, 'insert into tenants (id, name, created_at) values (?, ?, now())', [tenant, `tenant ${tenant}`]);
    for (const name of names) {
      await sql(system, 'insert into contacts (id, tenant_id, name, created_at, updated_at) values (?, ?, ?, now(), now())', [crypto.randomUUID(), tenant, name]);
    }
  }
});
rls.after(async () => {
  await orm.close();
  await db.drop();
});

const contactNames = async (tenantId: string) =>
  (await sql<{ name: string }>(systemEm(orm), 'select name from contacts where tenant_id = ? order by name', [tenantId])).map((r) => r.name);

rls('every table holding tenant rows has row-level security on and a tenant policy', async () => {
  const tables = await sql<{ relname: string; relrowsecurity: boolean; policies: number }>(systemEm(orm), `
    select c.relname, c.relrowsecurity, (select count(*)::int from pg_policies p where p.tablename = c.relname and p.schemaname = current_schema()) as policies
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind = 'r' and c.relname <> 'mikro_orm_migrations' order by c.relname`);
  assert.ok(tables.length >= 24, `found ${tables.length} tables`);
  // Conversations and messages add a restrictive policy: only an admin's statements delete them.
  const withAdminDeletes = new Set(['conversations', 'messages']);
  for (const t of tables) {
    assert.ok(t.relrowsecurity, `${t.relname} has row-level security off`);
    assert.is(t.policies, withAdminDeletes.has(t.relname) ? 2 : 1, `${t.relname} has ${t.policies} policies`);
  }
});

rls('a raw query without a tenant condition returns only the tenant of its transaction', async () => {
  const rows = await sql<{ tenant_id: string; name: string }>(tenantEm(orm, A), 'select tenant_id, name from contacts order by name');
  assert.equal(rows.map((r) => r.name), ['a1', 'a2']);
  const tenants = await sql<{ id: string }>(tenantEm(orm, B), 'select id from tenants');
  assert.equal(tenants.map((r) => r.id), [B]);
});

rls('an ORM read with the tenant filter switched off still sees only its own tenant', async () => {
  const contacts = await tenantEm(orm, B).find(Contact, {}, { filters: false, orderBy: { name: 'asc' } });
  assert.equal(contacts.map((c) => c.name), ['b1', 'b2', 'b3']);
});

rls('an update and a delete without a tenant condition touch only their own tenant', async () => {
  await sql(tenantEm(orm, A), `update contacts set name = name || '!'`);
  assert.equal(await contactNames(A), ['a1!', 'a2!']);
  assert.equal(await contactNames(B), ['b1', 'b2', 'b3']);
  await sql(tenantEm(orm, A), `delete from contacts where name like 'b%'`);
  assert.equal(await contactNames(B), ['b1', 'b2', 'b3']);
});

rls("a write naming another tenant's id fails and stores nothing", async () => {
  const err = await sql(tenantEm(orm, A), 'insert into contacts (id, tenant_id, name, created_at, updated_at) values (?, ?, ?, now(), now())', [crypto.randomUUID(), B, 'intruder'])
    .then(() => null, (e: Error) => e);
  assert.ok(err, 'the insert was accepted');
  assert.match(err.message, /row-level security/);
  assert.equal(await contactNames(B), ['b1', 'b2', 'b3']);
  const moved = await sql(tenantEm(orm, A), 'update contacts set tenant_id = ?', [B]).then(() => null, (e: Error) => e);
  assert.ok(moved, 'rows were moved to another tenant');
  assert.equal(await contactNames(B), ['b1', 'b2', 'b3']);
});

rls('the tenant role with no tenant set sees nothing', async () => {
  const counts = await systemEm(orm).transactional(async (tx) => {
    await sql(tx, `set local role ${TENANT_ROLE}`);
    return sql<{ n: number }>(tx, 'select count(*)::int as n from contacts');
  });
  assert.is(counts[0].n, 0);
  assert.is((await sql<{ n: number }>(systemEm(orm), 'select count(*)::int as n from contacts'))[0].n, 5);
});

rls('only a statement run for an admin deletes a conversation or a message; others delete nothing', async () => {
  const system = systemEm(orm);
  const inbox = crypto.randomUUID();
  await sql(system, `insert into inboxes (id, tenant_id, name, channel, webhook_secret, created_at, updated_at) values (?, ?, 'i', 'chat', 'x', now(), now())`, [inbox, A]);
  const conversation = crypto.randomUUID();
  await sql(system, `insert into conversations (id, tenant_id, inbox_id, channel, created_at, updated_at) values (?, ?, ?, 'chat', now(), now())`, [conversation, A, inbox]);
  await sql(system, `insert into messages (id, tenant_id, conversation_id, inbox_id, seq, direction, sender_type, body, sent_at, created_at)
    values (?, ?, ?, ?, 1, 'internal', 'system', 'x', now(), now())`, [crypto.randomUUID(), A, conversation, inbox]);
  const count = async (table: string) => (await sql<{ n: number }>(system, `select count(*)::int as n from ${table} where conversation_id = ?`.replace('conversation_id', table === 'conversations' ? 'id' : 'conversation_id'), [conversation]))[0].n;
  for (const role of ['agent', 'supervisor', '']) {
    const em = tenantEm(orm, A, role);
    await em.transactional(async (tx) => {
      await sql(tx, 'delete from messages where conversation_id = ?', [conversation]);
      await sql(tx, 'delete from conversations where id = ?', [conversation]);
    });
    assert.equal([await count('messages'), await count('conversations')], [1, 1], `deleted as ${role || 'no role'}`);
  }
  await tenantEm(orm, A, 'admin').transactional(async (tx) => {
    await sql(tx, 'delete from messages where conversation_id = ?', [conversation]);
    await sql(tx, 'delete from conversations where id = ?', [conversation]);
  });
  assert.equal([await count('messages'), await count('conversations')], [0, 0]);
});

// The hot paths' transactions (db/tenant-transaction.ts) send their opening together with the first statement: that
// statement must still run inside the transaction, as the tenant role, for the tenant. PGlite has no pool: PostgreSQL only.
if (process.env.DATABASE_URL) rls('a tenant transaction\'s first statement runs as the tenant, and a failure after it keeps nothing', async () => {
  const { tenant } = await createTransactions(orm, { postgres: true, preparedStatements: true });
  const before = await contactNames(A);
  const [first] = await tenant(A, (tx) => tx.query<{ tenant: string; role: string; names: string }>(
    `select current_setting('${TENANT_SETTING}') as tenant, current_user as role, (select string_agg(name, ',' order by name) from contacts) as names`));
  assert.equal(first, { tenant: A, role: TENANT_ROLE, names: before.join(',') });
  const failure = await tenant(A, async (tx) => {
    await tx.query('insert into contacts (id, tenant_id, name, created_at, updated_at) values (?, ?, ?, now(), now())', [crypto.randomUUID(), A, 'a3']);
    await tx.query('select 1 / 0');
  }).then(() => null, (err: Error) => err.message);
  assert.match(failure ?? '', /division by zero/);
  assert.equal(await contactNames(A), before);
  // The connections go back to the pool as they were lent: one query at a time, as the ORM expects.
  const pool = await nativePool(orm);
  const client = await pool.connect();
  try {
    assert.is((client as PoolClient & { pipeline: boolean }).pipeline, false);
  } finally {
    client.release();
  }
});

// A transaction's last statement can carry the commit in the same round trip (Tx.runLast): it runs as the tenant,
// inside the transaction; what it writes is kept once it answers, and a failure keeps nothing of the transaction.
if (process.env.DATABASE_URL) rls('a last statement sent with the commit runs as the tenant, and a failure in it keeps nothing', async () => {
  const { tenant } = await createTransactions(orm, { postgres: true, preparedStatements: true });
  const before = await contactNames(A);
  const insert = statement('test_rls_insert_contact_v1', `insert into contacts (id, tenant_id, name, created_at, updated_at)
    values (:id, :tenant_id, :name, now(), now()) returning name, current_setting('${TENANT_SETTING}') as tenant, current_user as role`);
  const [written] = await tenant(A, async (tx) => {
    await tx.query('insert into contacts (id, tenant_id, name, created_at, updated_at) values (?, ?, ?, now(), now())', [crypto.randomUUID(), A, 'a4']);
    return tx.runLast<{ name: string; tenant: string; role: string }>(insert, { id: crypto.randomUUID(), tenant_id: A, name: 'a5' });
  });
  assert.equal(written, { name: 'a5', tenant: A, role: TENANT_ROLE });
  assert.equal(await contactNames(A), [...before, 'a4', 'a5'].sort());
  // Another tenant's row refused by row-level security in the last statement: the whole transaction is rolled back.
  const refused = await tenant(A, async (tx) => {
    await tx.query('insert into contacts (id, tenant_id, name, created_at, updated_at) values (?, ?, ?, now(), now())', [crypto.randomUUID(), A, 'a6']);
    return tx.runLast(insert, { id: crypto.randomUUID(), tenant_id: B, name: 'b9' });
  }).then(() => null, (err: Error) => err.message);
  assert.match(refused ?? '', /row-level security/);
  assert.equal(await contactNames(A), [...before, 'a4', 'a5'].sort());
  // Nothing runs after the last statement.
  const after = await tenant(A, async (tx) => {
    await tx.runLast(insert, { id: crypto.randomUUID(), tenant_id: A, name: 'a7' });
    await tx.query('select 1');
  }).then(() => null, (err: Error) => err.message);
  assert.match(after ?? '', /runLast was its last statement/);
  // And the connections still work, one query at a time.
  const [row] = await tenant(A, (tx) => tx.query<{ n: number }>('select count(*)::int as n from contacts'));
  assert.is(row.n, before.length + 3);
});

rls.run();
