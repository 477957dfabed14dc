// The five thread reports are one statement each, and on PostgreSQL each reaches messages through an index:
// their plans are read with EXPLAIN over a database of 100,000 messages (two years of them), and no plan may
// read the messages table from end to end.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { MikroORM } from '@mikro-orm/core';
import { migrate, openOrm } from '../../src/platform/db/orm.ts';
import { messageVolumeSql } from '../../src/features/reports/performance-reports.ts';
import { awaitingReplySql, contactHistorySql, openByEntityTypeSql, recentInboundSql } from '../../src/features/reports/thread-reports.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { planNodes, showPlan } from '../helpers/plans.ts';
import { requiring } from '../helpers/requires.ts';

const plans = requiring('report plans over 100,000 messages', ['DATABASE_URL']);

const MESSAGES = 100_000;
const CONVERSATIONS = 2_000;
const PER_CONVERSATION = MESSAGES / CONVERSATIONS;

let db: TestDatabase;
let orm: MikroORM;
const ids = { tenant: crypto.randomUUID(), inbox: crypto.randomUUID(), user: crypto.randomUUID() };
let contactId: string;

const run = (query: string, params: unknown[] = []) => orm.em.fork().getConnection().execute(query, params);

plans.before(async () => {
  db = await createTestDatabase();
  orm = await openOrm({ databaseUrl: db.databaseUrl, dataDir: db.dataDir });
  await migrate(orm);
  // Seeding only: no outbox triggers or foreign-key checks for rows written straight into the tables.
  await run('set session_replication_role = replica');
  await run(`insert into tenants (id, name, created_at) values (?, 'plans', now())`, [ids.tenant]);
  await run(`insert into inboxes (id, tenant_id, name, channel, webhook_secret, created_at, updated_at) values (?, ?, 'mail', 'email', 'x', now(), now())`, [ids.inbox, ids.tenant]);
  await run(`insert into users (id, tenant_id, name, role, created_at, updated_at) values (?, ?, 'Agent', 'agent', now(), now())`, [ids.user, ids.tenant]);
  await run(`insert into contacts (id, tenant_id, name, created_at, updated_at)
    select gen_random_uuid(), ?, 'Contact ' || g, now(), now() from generate_series(1, 1000) g`, [ids.tenant]);
  // Conversations: a contact each (one in ten hangs off its contact's record instead), every status.
  await run(`insert into conversations (id, tenant_id, inbox_id, channel, status, contact_id, entity_type, entity_id, message_count,
      last_message_at, last_inbound_at, created_at, updated_at)
    select gen_random_uuid(), ?, ?, 'email',
      (array['open', 'pending', 'snoozed', 'resolved', 'closed'])[1 + g % 5],
      case when g % 10 = 0 then null else c.id end, case when g % 10 = 0 then 'contact' end, case when g % 10 = 0 then c.id::text end,
      ?, now() - interval '2 years' + (g * ?) * interval '1 minute', now() - interval '2 years' + (g * ?) * interval '1 minute', now(), now()
    from generate_series(1, ?) g
    join (select id, row_number() over () as n from contacts) c on c.n = 1 + g % 1000`,
  [ids.tenant, ids.inbox, PER_CONVERSATION, PER_CONVERSATION * 10, PER_CONVERSATION * 10, CONVERSATIONS]);
  // Messages in time order (as they would be written), over two years: inbound, a person's reply, a note.
  await run(`insert into messages (id, tenant_id, conversation_id, inbox_id, seq, direction, sender_type, author_id, contact_id, body, sent_at, created_at)
    select gen_random_uuid(), c.tenant_id, c.id, c.inbox_id, s,
      (array['inbound', 'outbound', 'internal'])[1 + s % 3], case when s % 3 = 0 then 'contact' else 'user' end,
      case when s % 3 = 0 then null else ?::uuid end, case when s % 3 = 0 then coalesce(c.contact_id, c.entity_id::uuid) end,
      'message ' || s, t.at, t.at
    from (select *, row_number() over (order by created_at, id) as n from conversations) c
    cross join generate_series(1, ?) s
    cross join lateral (select now() - interval '730 days' + ((c.n - 1) * ? + s) * (interval '730 days' / ?) as at) t
    order by t.at`, [ids.user, PER_CONVERSATION, PER_CONVERSATION, MESSAGES]);
  await run('set session_replication_role = origin');
  await run('analyze');
  const [row] = await run(`select coalesce(contact_id, entity_id::uuid) as id from conversations where entity_type = 'contact' limit 1`);
  contactId = row.id;
  const [count] = await run('select count(*)::int as n from messages');
  assert.is(count.n, MESSAGES);
});

plans.after(async () => {
  await orm?.close();
  await db?.drop();
});

/** No sequential scan of messages; where the report reads messages, an index brings them. */
async function assertIndexed(name: string, query: string, params: unknown[], readsMessages = true): Promise<void> {
  const nodes = await planNodes(run, query, params);
  const onMessages = nodes.filter((n) => n['Relation Name'] === 'messages');
  const shown = showPlan(nodes);
  assert.not.ok(onMessages.some((n) => n['Node Type'] === 'Seq Scan'), `${name} scans messages end to end: ${shown}`);
  if (readsMessages) {
    assert.ok(onMessages.length > 0, `${name} reads no messages? ${shown}`);
    assert.ok(onMessages.every((n) => /Index|Bitmap Heap/.test(n['Node Type'])), `${name}: ${shown}`);
  } else {
    assert.is(onMessages.length, 0, `${name} has no business with messages: ${shown}`);
  }
}

plans('a contact\'s full history', async () => {
  await assertIndexed('history', contactHistorySql(false), [ids.tenant, contactId, contactId, 101]);
  const cursor = new Date().toISOString();
  await assertIndexed('history, a later page', contactHistorySql(true), [ids.tenant, contactId, contactId, cursor, cursor, crypto.randomUUID(), 101]);
});

plans('recent inbound', async () => {
  await assertIndexed('recent inbound', recentInboundSql, [ids.tenant, 50]);
});

plans('threads awaiting a reply', async () => {
  await assertIndexed('awaiting reply', awaitingReplySql(false), [ids.tenant, 50]);
  await assertIndexed('awaiting reply in an inbox', awaitingReplySql(true), [ids.tenant, ids.inbox, 50]);
});

plans('volume by channel and direction over the last 30 days', async () => {
  await assertIndexed('volume', messageVolumeSql, [ids.tenant, new Date(Date.now() - 30 * 86_400_000)]);
});

plans('open threads per entity type (from the conversations alone)', async () => {
  await assertIndexed('open by entity type', openByEntityTypeSql, [ids.tenant], false);
});

plans.run();
