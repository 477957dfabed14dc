// What a node costs while nothing happens: one node on PostgreSQL with a tenant, its agents online, an
// auto-assigning inbox and open conversations, left alone. Its jobs still run (SLA tick, snooze waker, routing
// sweep, webhook dispatcher, campaigns), each a query or two a second. Prints the server's and PostgreSQL's CPU
// per second over BENCH_SECONDS (60), after BENCH_WARMUP_SECONDS (20) in which every job has run on its
// connections; where pg_stat_statements is installed, also the statements PostgreSQL ran and planned meanwhile.
import type { Socket } from 'socket.io-client';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase, withClient } from './lib/bench-database.ts';
import { cpuDelta, readCpu } from './lib/cpu.ts';
import { startServerProcess } from './lib/server-process.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 20);
const AGENTS = 5;
const CONVERSATIONS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Statements of this database since the last reset; null without pg_stat_statements. */
async function statements(dbName: string, reset: boolean): Promise<{ calls: number; plans: number; planMs: number; execMs: number } | null> {
  return withClient(async (c) => {
    const installed = await c.query(`select 1 from pg_extension where extname = 'pg_stat_statements'`).then((r) => r.rows.length > 0, () => false);
    if (!installed) return null;
    try {
      if (reset) {
        await c.query('select pg_stat_statements_reset()');
        return null;
      }
      const { rows: [r] } = await c.query(`select coalesce(sum(calls), 0)::int as calls, coalesce(sum(plans), 0)::int as plans,
          coalesce(sum(total_plan_time), 0)::float as plan_ms, coalesce(sum(total_exec_time), 0)::float as exec_ms
        from pg_stat_statements s join pg_database d on d.oid = s.dbid where d.datname = $1 and s.toplevel`, [dbName]);
      return { calls: r.calls, plans: r.plans, planMs: Number(r.plan_ms.toFixed(1)), execMs: Number(r.exec_ms.toFixed(1)) };
    } catch {
      return null; // loaded in this database but not in shared_preload_libraries
    }
  });
}

const db = await benchDatabase('quiet');
const dbName = new URL(db.url).pathname.slice(1);
const server = await startServerProcess({ DATABASE_URL: db.url });
const open: Socket[] = [];
try {
  const t = await benchTenant(server.url, AGENTS);
  const inbox = await t.post('/v1/inboxes', { name: 'Quiet', channel: 'chat', autoAssign: true, memberIds: t.agents.map((a) => a.id) });
  for (const a of t.agents) open.push(await connectSocket(server.url, a.token));
  for (let i = 0; i < CONVERSATIONS; i++) await t.post('/v1/conversations', { inboxId: inbox.inbox.id });
  await sleep(WARMUP_SECONDS * 1000);
  await statements(dbName, true);
  const before = await readCpu([server.pid]);
  await sleep(SECONDS * 1000);
  const cpu = cpuDelta(before, await readCpu([server.pid]));
  const planned = await statements(dbName, false);
  const result = {
    bench: 'quiet-node', seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, agentsOnline: AGENTS, openConversations: CONVERSATIONS,
    serverCpuMsPerSecond: Number((cpu.serverMs / SECONDS).toFixed(2)), postgresCpuMsPerSecond: Number((cpu.postgresMs / SECONDS).toFixed(2)),
    statements: planned,
  };
  console.log(JSON.stringify(result));
  console.log(`quiet node over ${SECONDS} s: server ${result.serverCpuMsPerSecond} ms CPU per second, PostgreSQL ${result.postgresCpuMsPerSecond} ms`
    + (planned ? `; PostgreSQL ran ${planned.calls} statements (${planned.execMs} ms) and planned ${planned.plans} (${planned.planMs} ms)` : ' (pg_stat_statements not installed: no statement figures)'));
} finally {
  for (const s of open) s.close();
  server.stop();
  await sleep(500);
  await db.drop();
}
