// Creating conversations. Cost: POST /v1/conversations into an auto-assigning inbox with 10 online agents
// (routing, assignment history and timeline included) next to the naive server's POST /conversations (insert
// a row, answer it), 16 concurrent HTTP clients for BENCH_SECONDS, rounds alternated, CPU per creation from
// /proc (server and PostgreSQL) and PostgreSQL's WAL records per creation. Latency: three nodes on one Redis,
// conversations created steadily at half the rate one node sustained above, spread over the nodes: p99 from each
// creation's commit (its createdAt) to its `assignment` event, and the spread of the load over the agents (most
// minus fewest).
// The tenant has a past: BENCH_HISTORY (20,000) resolved conversations of another inbox, assigned to its agents,
// with their history rows, analyzed as autovacuum would a growing table. Without it the bench would time a table
// that grows from nothing in seconds, where the plans a connection caches early assume it stays tiny (PostgreSQL
// plans again once statistics change, which a 15-second run never sees).
// Env: BENCH_SECONDS (5), BENCH_ROUNDS (3), BENCH_STEADY_SECONDS (10), BENCH_STEADY_WARMUP_SECONDS (3, created at the steady
// rate before the measured ones), BENCH_HISTORY (20000), BENCH_STEADY_RATE (creations/s of the steady phase; default half
// the rate one node sustained), BENCH_SERVER_ENV='{"DATABASE_URL":""}' (Switchboard on its embedded database: the cost
// phase only, without the past, which is seeded through PostgreSQL, and without three nodes, which need a shared database).
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { api, benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase, withClient } from './lib/bench-database.ts';
import { alternate, type RoundResult, timedRound } from './lib/rounds.ts';
import { benchServerEnv, percentile, startServerProcess } from './lib/server-process.ts';
import { walReader } from './lib/wal.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 10);
// Creations at the steady rate before the measured ones: the three nodes have just started (cold pools, statements
// not yet prepared on their connections, code not yet optimized), and a deployment's nodes are warm.
const WARMUP_SECONDS = Number(process.env.BENCH_STEADY_WARMUP_SECONDS ?? 3);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 20_000);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EMBEDDED = benchServerEnv().DATABASE_URL === '';
const CLIENTS = 16;
const AGENTS = 10;

/** A tenant with AGENTS online agents (sockets kept open) and an auto-assigning inbox of them. */
async function routedTenant(urls: string[]) {
  const t = await benchTenant(urls[0], AGENTS, { capacity: 10_000 });
  const inbox = await t.post('/v1/inboxes', { name: 'Routed', channel: 'chat', autoAssign: true, memberIds: t.agents.map((a) => a.id) });
  const watcher = await connectSocket(urls[0], t.admin);
  const online = new Set<string>();
  const allOnline = new Promise<void>((resolve) => watcher.on('presence', (e: { userId: string; status: string }) => {
    if (e.status === 'online') online.add(e.userId);
    if (online.size === AGENTS) resolve();
  }));
  const sockets: Socket[] = [watcher];
  for (const [i, a] of t.agents.entries()) sockets.push(await connectSocket(urls[i % urls.length], a.token));
  await allOnline;
  return { t, inboxId: inbox.inbox.id as string, watcher, sockets };
}

/** The tenant's past (see the top): resolved, assigned conversations with their open history rows, then analyzed. */
async function seedHistory(url: string, tenantId: string, agentIds: string[]): Promise<void> {
  if (!HISTORY) return;
  await withClient(async (c) => {
    const inbox = crypto.randomUUID();
    await c.query(`insert into inboxes (id, tenant_id, name, channel, webhook_secret, created_at, updated_at) values ($1, $2, 'Archive', 'email', 'x', now(), now())`, [inbox, tenantId]);
    await c.query(`insert into conversations (id, tenant_id, inbox_id, channel, status, assignee_id, resolved_at, created_at, updated_at)
      select gen_random_uuid(), $1, $2, 'email', 'resolved', ($3::uuid[])[1 + g % cardinality($3::uuid[])], now() - interval '1 day', now() - interval '2 days', now() - interval '1 day'
      from generate_series(1, $4) g`, [tenantId, inbox, agentIds, HISTORY]);
    await c.query(`insert into conversation_assignments (id, tenant_id, conversation_id, assignee_id, type, assigned_at)
      select gen_random_uuid(), tenant_id, id, assignee_id, 'manual', created_at from conversations where inbox_id = $1`, [inbox]);
    await c.query('analyze');
  }, url);
}

const db = await benchDatabase('create');
const server = await startServerProcess({ DATABASE_URL: db.url });
const naive = await startServerProcess({ DATABASE_URL: db.url }, join(import.meta.dirname, 'lib', 'naive-server.ts'));
const open: Socket[] = [];
let cost: Awaited<ReturnType<typeof alternate>>;
try {
  const routed = await routedTenant([server.url]);
  open.push(...routed.sockets);
  if (!EMBEDDED) await seedHistory(db.url, routed.t.tenantId, routed.t.agents.map((a) => a.id));
  const post = api(server.url);
  const wal = await walReader(db.url);
  const naivePost = async () => {
    const res = await fetch(`${naive.url}/conversations`, { method: 'POST' });
    if (res.status !== 201) throw new Error(`naive: ${res.status}`);
    await res.text();
  };
  cost = await alternate(ROUNDS,
    () => timedRound([naive.pid], CLIENTS, SECONDS, naivePost, wal),
    () => timedRound([server.pid], CLIENTS, SECONDS, async () => { await post('/v1/conversations', { inboxId: routed.inboxId }, routed.t.admin); }, wal));
} finally {
  for (const s of open.splice(0)) s.close();
  server.stop();
  naive.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const fmt = (r: RoundResult) => `${r.perSecond}/s, ${r.serverCpuMs} + ${r.postgresCpuMs} ms CPU` + (r.walRecords === null ? '' : `, ${r.walRecords} WAL records`);
/** Which writes a creation makes: its WAL records by relation, most first. */
const walLine = (r: RoundResult) => r.walByRelation && `WAL records per creation by relation: ${Object.entries(r.walByRelation)
  .filter(([, n]) => n >= 0.05).sort((a, b) => b[1] - a[1]).map(([relation, n]) => `${relation} ${n}`).join(', ')}`;
if (EMBEDDED) {
  console.log(JSON.stringify({ bench: 'create', embedded: true, clients: CLIENTS, secondsPerRound: SECONDS, rounds: ROUNDS, naive: cost.baseline, switchboard: cost.subject, ratios: cost.ratios }));
  console.log(`create (medians of ${ROUNDS} alternated rounds, Switchboard on its embedded database): Switchboard ${fmt(cost.subject)} (routed and assigned); `
    + `naive insert ${fmt(cost.baseline)}; total CPU ×${cost.ratios.totalCpu}`);
  await db.drop();
  process.exit(0);
}

// Three nodes, half the rate one node sustained, spread evenly over time and nodes.
const nodes = await Promise.all([0, 1, 2].map(() => startServerProcess({ DATABASE_URL: db.url, REDIS_URL })));
try {
  const routed = await routedTenant(nodes.map((n) => n.url));
  open.push(...routed.sockets);
  const rate = Number(process.env.BENCH_STEADY_RATE) || Math.max(1, Math.round(cost.subject.perSecond / 2));
  const assignedAt = new Map<string, { at: number; agent: string }>();
  routed.watcher.on('assignment', (e: { type: string; conversationId: string; assigneeId: string }) => {
    if (e.type === 'auto_round_robin' && !assignedAt.has(e.conversationId)) assignedAt.set(e.conversationId, { at: Date.now(), agent: e.assigneeId });
  });
  const posts = nodes.map((n) => api(n.url));
  const created: { id: string; createdAt: number }[] = [];
  const warmup = rate * WARMUP_SECONDS;
  const total = warmup + rate * STEADY_SECONDS;
  const start = performance.now();
  await Promise.all(Array.from({ length: total }, async (_, i) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + (i * 1000) / rate - performance.now())));
    const res = await posts[i % 3]('/v1/conversations', { inboxId: routed.inboxId }, routed.t.admin);
    if (i >= warmup) created.push({ id: res.conversation.id, createdAt: Date.parse(res.conversation.createdAt) });
  }));
  const deadline = Date.now() + 30_000;
  while (created.some((c) => !assignedAt.has(c.id)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const latencies = created.filter((c) => assignedAt.has(c.id)).map((c) => assignedAt.get(c.id)!.at - c.createdAt).sort((a, b) => a - b);
  const perAgent = new Map<string, number>();
  for (const { agent } of assignedAt.values()) perAgent.set(agent, (perAgent.get(agent) ?? 0) + 1);
  // The spread counts every assignment, the warm-up's too: round robin's fairness does not start with the measurement.
  const counts = routed.t.agents.map((a) => perAgent.get(a.id) ?? 0);
  const steady = {
    nodes: 3, ratePerSecond: rate, seconds: STEADY_SECONDS, warmupSeconds: WARMUP_SECONDS, created: created.length, assigned: latencies.length,
    p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), spread: Math.max(...counts) - Math.min(...counts), perAgent: counts,
  };
  const c = cost;
  const result = { bench: 'create', clients: CLIENTS, secondsPerRound: SECONDS, rounds: ROUNDS, naive: c.baseline, switchboard: c.subject, ratios: c.ratios, steady };
  console.log(JSON.stringify(result));
  console.log(`create (medians of ${ROUNDS} alternated rounds): Switchboard ${fmt(c.subject)} (routed and assigned); naive insert ${fmt(c.baseline)}; `
    + `total CPU ×${c.ratios.totalCpu}; steady ${rate}/s over 3 nodes (after ${WARMUP_SECONDS} s of warm-up): commit → assignment p50 ${steady.p50Ms} ms, p99 ${steady.p99Ms} ms, `
    + `${steady.assigned}/${steady.created} assigned, spread ${steady.spread} (${counts.join('/')})`);
  const walByRelation = walLine(c.subject);
  if (walByRelation) console.log(walByRelation);
} finally {
  for (const s of open) s.close();
  for (const n of nodes) n.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
