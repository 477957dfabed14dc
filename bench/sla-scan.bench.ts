// One SLA tick over 1,000,000 open conversations with 1,000 (then 10,000) due, on PostgreSQL; prints the
// tick's duration, the due-query alone, and the plan's index use. Uses its own database, dropped after.
import pg from 'pg';
import { migrate, openOrm } from '../src/db/orm.ts';
import { EventBus } from '../src/events/domain-events.ts';
import { tick } from '../sla/engine.ts';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TOTAL = Number(process.env.SLA_BENCH_TOTAL ?? 1_000_000);
const DUE_COUNTS = [1000, 10_000];
const NAME = `sb_bench_sla_${process.pid}`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>, url = SERVER): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

const url = new URL(SERVER);
url.pathname = `/${NAME}`;
await admin((c) => c.query(`create database "${NAME}"`));
const orm = await openOrm({ databaseUrl: url.toString(), dataDir: ':memory:' });
try {
  await migrate(orm);
  const seedStart = performance.now();
  await admin(async (c) => {
    const tenant = crypto.randomUUID();
    const inbox = crypto.randomUUID();
    await c.query(`insert into tenants (id, name, created_at) values ($1, 'bench', now())`, [tenant]);
    await c.query(`insert into inboxes (id, tenant_id, name, channel, webhook_secret, created_at, updated_at) values ($1, $2, 'bench', 'chat', 'x', now(), now())`, [inbox, tenant]);
    // Open conversations whose next SLA check is in the future (the common case).
    await c.query(`insert into conversations (id, tenant_id, inbox_id, channel, status, created_at, updated_at,
        resolution_due_at, resolution_warn_at, sla_next_check_at)
      select gen_random_uuid(), $1, $2, 'chat', 'open', now(), now(), now() + interval '10 days', now() + interval '8 days',
        now() + interval '8 days' + (g || ' seconds')::interval
      from generate_series(1, $3) g`, [tenant, inbox, TOTAL]);
    await c.query('analyze conversations');
  }, url.toString());
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const results: Record<string, unknown>[] = [];
  for (const due of DUE_COUNTS) {
    // Make `due` of them breach now (warning and breach both come due).
    await admin((c) => c.query(`update conversations set resolution_due_at = now() - interval '1 minute',
        resolution_warn_at = now() - interval '2 minutes', sla_next_check_at = now() - interval '2 minutes'
      where id in (select id from conversations where resolution_breached_at is null order by sla_next_check_at desc limit $1)`, [due]), url.toString());
    const plan = await admin((c) => c.query(`explain (analyze, buffers) select id from conversations where sla_next_check_at <= now() order by sla_next_check_at limit 1000`), url.toString());
    const planText = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    const queryMs = Number(/Execution Time: ([\d.]+) ms/.exec(planText)?.[1]);
    const started = performance.now();
    const alerts = await tick(orm, new EventBus());
    const tickMs = performance.now() - started;
    results.push({
      due, alerts, tickMs: Math.round(tickMs), dueQueryMs: queryMs,
      usesIndex: /Index (Only )?Scan using conversations_sla_next_check_index/.test(planText),
    });
  }
  const summary = { bench: 'sla-scan', conversations: TOTAL, seedSeconds: Number(seedSeconds.toFixed(1)), results };
  console.log(JSON.stringify(summary));
  console.log(results.map((r) => `${r.due} due of ${TOTAL}: one tick ${r.tickMs} ms (${r.alerts} alerts), due query alone ${r.dueQueryMs} ms, index ${r.usesIndex ? 'used' : 'NOT used'}`).join('; '));
} finally {
  await orm.close();
  await admin((c) => c.query(`drop database if exists "${NAME}" with (force)`));
}
