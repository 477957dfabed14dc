// SLA ticks over 1,000,000 open conversations on PostgreSQL: a tick with nothing due (median of 20, after a
// warm-up tick), with 1,000 due and with 10,000 due (medians of BENCH_ROUNDS), and 10,000 due split by three
// engines ticking at once on their own connection pools, which must raise every alert exactly once. With each due
// level, CPU per due conversation: this process's (the engine runs here, as in a node) and PostgreSQL's (/proc), and
// PostgreSQL's WAL records per due conversation.
// Prints the due query's plan too. Its own database, dropped after (SLA_BENCH_KEEP=1: kept, and used again by the next run).
import { migrate, openOrm } from '../src/platform/db/orm.ts';
import { createTransactions } from '../src/platform/db/tenant-transaction.ts';
import { EventBus } from '../src/platform/events/domain-events.ts';
import { tick } from '../sla/engine.ts';
import { benchDatabase, withClient } from './lib/bench-database.ts';
import { cpuDelta, median, readCpu } from './lib/cpu.ts';
import { perOperation, walReader } from './lib/wal.ts';

const TOTAL = Number(process.env.SLA_BENCH_TOTAL ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const db = await benchDatabase('sla', { keep: Boolean(process.env.SLA_BENCH_KEEP) });
const url = db.url;
const exists = db.existed;
const orms = [await openOrm({ databaseUrl: url, dataDir: ':memory:' })];
try {
  await migrate(orms[0]);
  orms.push(...await Promise.all([1, 2].map(() => openOrm({ databaseUrl: url, dataDir: ':memory:' }))));
  const engines = await Promise.all(orms.map((orm) => createTransactions(orm, { postgres: true, preparedStatements: true })));
  const seedStart = performance.now();
  if (!exists) await withClient(async (c) => {
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
  }, url);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  /** Makes `due` conversations breach now (their warning and breach both come due). */
  const makeDue = (due: number) => withClient((c) => c.query(`update conversations set resolution_due_at = now() - interval '1 minute',
      resolution_warn_at = now() - interval '2 minutes', resolution_breached_at = null, sla_next_check_at = now() - interval '2 minutes', sla_cycle = sla_cycle + 1
    where id in (select id from conversations order by sla_next_check_at desc limit $1)`, [due]), url);
  // Wall time, and CPU: this process's (the engine runs here, as in a node) from process.cpuUsage() inside the window,
  // so that reading PostgreSQL's from /proc (a scan of every process, in this process) is not counted as the engine's.
  const wal = await walReader(url);
  const timed = async (run: () => Promise<number>) => {
    const walStart = await wal?.position();
    const postgres = await readCpu([]);
    const engine = process.cpuUsage();
    const started = performance.now();
    const alerts = await run();
    const ms = performance.now() - started;
    const { user, system } = process.cpuUsage(engine);
    const postgresCpuMs = cpuDelta(postgres, await readCpu([])).postgresMs;
    const written = wal && walStart ? await wal.count(walStart, await wal.position()) : null;
    return { ms, alerts, engineCpuMs: (user + system) / 1000, postgresCpuMs, wal: written };
  };
  const one = engines[0].system;

  await tick(one, new EventBus());
  const idle: number[] = [];
  for (let i = 0; i < 20; i++) idle.push((await timed(() => tick(one, new EventBus()))).ms);

  const results: Record<string, unknown>[] = [];
  for (const due of [1000, 10_000]) {
    const rounds: Awaited<ReturnType<typeof timed>>[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      await makeDue(due);
      rounds.push(await timed(() => tick(one, new EventBus())));
    }
    const last = rounds.at(-1)!.wal;
    results.push({
      due, tickMs: Math.round(median(rounds.map((x) => x.ms))), rounds: rounds.map((x) => Math.round(x.ms)), alerts: rounds[0].alerts,
      // CPU per due conversation, median over the rounds: what the two cores spend, whatever the wall time.
      engineCpuUsPerConversation: Math.round(1000 * median(rounds.map((x) => x.engineCpuMs)) / due),
      postgresCpuUsPerConversation: Math.round(1000 * median(rounds.map((x) => x.postgresCpuMs)) / due),
      walRecordsPerConversation: Number((median(rounds.map((x) => x.wal?.records ?? Number.NaN)) / due).toFixed(1)),
      // Which writes: the last round's records per due conversation, by relation.
      walByRelation: last ? Object.fromEntries(Object.entries(perOperation(last, due).byRelation).filter(([, n]) => n >= 0.05)) : null,
    });
  }
  // Three engines at once: each alert exactly once in all.
  await makeDue(10_000);
  const split = await timed(async () => (await Promise.all(engines.map((e) => tick(e.system, new EventBus())))).reduce((a, b) => a + b, 0));

  const plan = await withClient((c) => c.query(`explain (analyze, buffers) select id from conversations where sla_next_check_at <= now() order by sla_next_check_at limit 1000`), url);
  const planText = plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  const summary = {
    bench: 'sla-scan', conversations: TOTAL, seedSeconds: Number(seedSeconds.toFixed(1)), rounds: ROUNDS,
    nothingDueMs: Number(median(idle).toFixed(2)), results,
    threeEngines: { due: 10_000, ms: Math.round(split.ms), alerts: split.alerts, exactlyOnce: split.alerts === 20_000 },
    dueQueryMs: Number(/Execution Time: ([\d.]+) ms/.exec(planText)?.[1]), usesIndex: /Index (Only )?Scan using conversations_sla_next_check_index/.test(planText),
  };
  console.log(JSON.stringify(summary));
  console.log(`sla-scan over ${TOTAL} open conversations: nothing due ${summary.nothingDueMs} ms; `
    + results.map((r) => `${r.due} due ${r.tickMs} ms (${r.alerts} alerts; CPU per conversation ${r.engineCpuUsPerConversation} µs engine + ${r.postgresCpuUsPerConversation} µs PostgreSQL, ${r.walRecordsPerConversation} WAL records)`).join(', ')
    + `; 10000 due over three engines ${summary.threeEngines.ms} ms, ${split.alerts} alerts (${summary.threeEngines.exactlyOnce ? 'each once' : 'NOT each once'}); due query ${summary.dueQueryMs} ms, index ${summary.usesIndex ? 'used' : 'NOT used'}`);
} finally {
  for (const orm of orms) await orm.close();
  await db.drop();
}
