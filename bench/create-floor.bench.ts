// The floor under a routed creation's PostgreSQL cost: the two writes no routed creation can do without, each
// alone on one connection, next to the naive insert of the create bench (a one-column row). The writes are:
// - the conversation row as a creation writes it;
// - its assignment: the row's new version (assignee, open, no longer waiting) and the history row.
// Each is measured one per statement, and batched as the create bench batches them (about 4 creations per creation
// statement, 5 assignments per drain's stamp). No timeline entries, notifications, triggers' bookkeeping, inbox
// lock, credential check or server work: what is measured is less than a creation can cost.
// PostgreSQL's CPU per operation from /proc, operations alternated in rounds, over a table of BENCH_FLOOR_ROWS
// (200,000) conversations, analyzed.
import pg from 'pg';
import { migrate, openOrm } from '../src/platform/db/orm.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { cpuDelta, median, readCpu } from './lib/cpu.ts';

const N = Number(process.env.BENCH_OPS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROWS = Number(process.env.BENCH_FLOOR_ROWS ?? 200_000);

const db = await benchDatabase('create_floor');
const orm = await openOrm({ databaseUrl: db.url, dataDir: ':memory:' });
const c = new pg.Client(db.url);
try {
  await migrate(orm);
  await c.connect();
  const tenant = crypto.randomUUID();
  const inbox = crypto.randomUUID();
  const user = crypto.randomUUID();
  await c.query(`insert into tenants (id, name, created_at) values ($1, 'floor', now())`, [tenant]);
  await c.query(`insert into inboxes (id, tenant_id, name, channel, webhook_secret, created_at, updated_at) values ($1, $2, 'floor', 'chat', 'x', now(), now())`, [inbox, tenant]);
  await c.query(`insert into users (id, tenant_id, name, role, created_at, updated_at) values ($1, $2, 'floor', 'agent', now(), now())`, [user, tenant]);
  await c.query(`insert into conversations (id, tenant_id, inbox_id, channel, status, assignee_id, resolved_at, created_at, updated_at)
    select gen_random_uuid(), $1, $2, 'chat', 'resolved', $3, now(), now(), now() from generate_series(1, $4)`, [tenant, inbox, user, ROWS]);
  await c.query(`create table naive_conversations (id uuid primary key, last_seq int not null default 0, last_message_at timestamptz, preview text,
    created_at timestamptz not null default now())`);
  await c.query('analyze');

  const COLUMNS = `id, tenant_id, inbox_id, channel, visibility, status, priority, sla_cycle, resolution_due_at, resolution_warn_at, sla_next_check_at,
    waiting_since, created_at, updated_at`;
  const VALUES = `gen_random_uuid(), $1, $2, 'chat', 'share_everything', 'new', 'normal', 1, now() + interval '1 day', now() + interval '20 hours',
    now() + interval '20 hours', now(), now(), now()`;
  const insertConversations = (count: number) => c.query({
    name: `conversations_${count}`, values: [tenant, inbox],
    text: `insert into conversations (${COLUMNS}) select ${VALUES} from generate_series(1, ${count}) returning *`,
  });
  const assign = (ids: string[]) => c.query({
    name: `assign_${ids.length}`, values: [ids, user],
    text: `with u as (update conversations set assignee_id = $2, status = 'open', waiting_since = null, updated_at = now() where id = any($1::uuid[]) returning id, tenant_id)
      insert into conversation_assignments (id, tenant_id, conversation_id, assignee_id, type, assigned_at)
      select gen_random_uuid(), tenant_id, id, $2, 'auto_round_robin', now() from u`,
  });
  /** PostgreSQL's CPU per operation (µs) over `N` operations done `per` at a time; `prepare` is not measured. */
  const perOperation = async (per: number, prepare: () => Promise<string[]>, run: (ids: string[]) => Promise<unknown>) => {
    const ids = await prepare();
    const before = await readCpu([]);
    for (let i = 0; i < N; i += per) await run(ids.slice(i, i + per));
    return Math.round(1000 * cpuDelta(before, await readCpu([])).postgresMs / N);
  };
  const waiting = async () => (await insertConversations(N)).rows.map((r) => r.id as string);
  const none = async () => [];
  const operations: Record<string, () => Promise<number>> = {
    naive: () => perOperation(1, none, () => c.query({ name: 'naive', text: 'insert into naive_conversations (id) values (gen_random_uuid()) returning id, created_at' })),
    conversation: () => perOperation(1, none, () => insertConversations(1)),
    conversation4: () => perOperation(4, none, () => insertConversations(4)),
    assignment: () => perOperation(1, waiting, (ids) => assign(ids)),
    assignment5: () => perOperation(5, waiting, (ids) => assign(ids)),
  };
  const results: Record<string, number[]> = {};
  for (let r = 0; r < ROUNDS; r++) for (const [name, op] of Object.entries(operations)) (results[name] ??= []).push(await op());
  const med = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, median(v)]));
  const ratio = (us: number) => Number((us / med.naive).toFixed(2));
  console.log(JSON.stringify({ bench: 'create-floor', ops: N, rounds: ROUNDS, rows: ROWS, postgresCpuUs: results, medians: med }));
  console.log(`create-floor (PostgreSQL CPU per operation, medians of ${ROUNDS}): naive insert ${med.naive} µs; `
    + `conversation row ${med.conversation} µs (×${ratio(med.conversation)}), 4 per statement ${med.conversation4} µs (×${ratio(med.conversation4)}); `
    + `its assignment ${med.assignment} µs (×${ratio(med.assignment)}), 5 per statement ${med.assignment5} µs (×${ratio(med.assignment5)}); `
    + `the two writes batched ×${ratio(med.conversation4 + med.assignment5)} the naive insert`);
} finally {
  await c.end().catch(() => undefined);
  await orm.close();
  await db.drop();
}
