// The committed migrations build the whole schema on an empty database, and match the entities.
import { readdir } from 'node:fs/promises';
import { suite } from 'uvu';
import { requiring } from '../helpers/requires.ts';
import * as assert from 'uvu/assert';
import { migrate, MIGRATIONS_PATH, openOrm } from '../../src/platform/db/orm.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import type { MikroORM } from '@mikro-orm/core';

let db: TestDatabase;
let orm: MikroORM;

const migrations = suite('migrations');
// The embedded database belongs to one process: several nodes need PostgreSQL.
const concurrent = requiring('migrations of nodes starting together', ['DATABASE_URL']);

migrations.before(async () => {
  db = await createTestDatabase();
  orm = await openOrm({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
});
migrations.after(async () => {
  await orm.close();
  await db.drop();
});

const TABLES = [
  'activities', 'agent_loads', 'api_keys', 'attachments', 'attribute_definitions', 'audit_entries', 'automated_replies',
  'automation_rules', 'automation_runs', 'campaign_recipients', 'campaigns', 'canned_responses', 'contacts',
  'conversation_assignments', 'conversation_grants', 'conversation_tags', 'conversations', 'csat_surveys',
  'identities', 'inbox_members', 'inboxes', 'macros', 'message_recipients', 'message_status_updates', 'messages',
  'notification_counts', 'notifications', 'read_cursors', 'sla_events', 'sla_policies', 'tags', 'team_members', 'teams', 'tenants', 'users',
  'webhook_deliveries', 'webhooks',
];

migrations('they apply to an empty database and create every table', async () => {
  const applied = await migrate(orm);
  assert.ok(applied.length >= 1);
  const rows = await orm.em.fork().getConnection().execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_name <> 'mikro_orm_migrations' order by table_name`,
  );
  assert.equal(rows.map((r: { table_name: string }) => r.table_name), TABLES);
});

concurrent('nodes starting together on an empty PostgreSQL database take turns: one migrates, the others find it done', async () => {
  const fresh = await createTestDatabase();
  const orms = await Promise.all([0, 1, 2].map(() => openOrm({ databaseUrl: fresh.databaseUrl, dataDir: fresh.dataDir })));
  try {
    const applied = await Promise.all(orms.map((o) => migrate(o)));
    const committed = (await readdir(MIGRATIONS_PATH)).filter((f) => f.endsWith('.ts')).length;
    assert.equal(applied.map((names) => names.length).sort(), [0, 0, committed]);
  } finally {
    await Promise.all(orms.map((o) => o.close()));
    await fresh.drop();
  }
});

migrations('a second run applies nothing', async () => {
  assert.equal(await migrate(orm), []);
});

migrations('the schema they build is the schema of the entities', async () => {
  const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
  assert.is(diff.trim(), '', `entities and migrations differ:\n${diff}`);
});

migrations('the hot-path and SLA indexes exist', async () => {
  const rows = await orm.em.fork().getConnection().execute<{ indexname: string }[]>(
    `select indexname from pg_indexes where schemaname = current_schema()`,
  );
  const names = new Set(rows.map((r: { indexname: string }) => r.indexname));
  for (const index of ['conversations_tenant_last_message_index', 'conversations_tenant_assignee_status_index',
    'conversations_tenant_entity_index', 'messages_conversation_seq_unique', 'messages_tenant_inbound_sent_index', 'messages_sent_brin', 'messages_conversation_client_message_unique',
    'conversations_sla_next_check_index', 'conversation_assignments_one_open', 'sla_events_once']) {
    assert.ok(names.has(index), `missing index ${index}`);
  }
});

migrations('entity types outside the allowed list are refused by the database', async () => {
  const conn = orm.em.fork().getConnection();
  const tenant = crypto.randomUUID();
  await conn.execute(`insert into tenants (id, name, created_at) values ('${tenant}', 'T', now())`);
  const inbox = crypto.randomUUID();
  await conn.execute(`insert into inboxes (id, tenant_id, name, channel, webhook_secret, created_at, updated_at) values ('${inbox}', '${tenant}', 'I', 'chat', 's', now(), now())`);
  try {
    await conn.execute(`insert into conversations (id, tenant_id, inbox_id, channel, entity_type, entity_id, created_at, updated_at)
      values ('${crypto.randomUUID()}', '${tenant}', '${inbox}', 'chat', 'invoice', 'x', now(), now())`);
    assert.unreachable('the check constraint should refuse it');
  } catch (err) {
    assert.match(String((err as Error).message), /check constraint/);
  }
});

migrations.run();
concurrent.run();
