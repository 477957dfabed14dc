// Cost of an authenticated API call (JWT verify + user lookup + tenant-scoped query) next to /health.
// Server in a child process, client here; loopback only; bounded by request count.
import pg from 'pg';
import { BENCH_ADMIN_KEY, startServerProcess } from './lib/server-process.ts';

const REQUESTS = 4000;
const CONCURRENCY = 32;

/** A database of its own on the PostgreSQL server DATABASE_URL names (dropped after), else embedded PGlite. */
async function ownDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (!process.env.DATABASE_URL) return { env: { DATA_DIR: ':memory:' }, drop: async () => {} };
  const name = `sb_bench_auth_${process.pid}`;
  const onServer = async (q: string) => {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    try { await c.query(q); } finally { await c.end(); }
  };
  await onServer(`create database "${name}"`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, drop: () => onServer(`drop database if exists "${name}" with (force)`) };
}

async function measure(label: string, fn: () => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next++ < REQUESTS) {
      const t0 = performance.now();
      await fn();
      latencies.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Number(latencies[Math.floor(p * (latencies.length - 1))].toFixed(2));
  return { label, requests: latencies.length, perSecond: Math.round(latencies.length / seconds), p50Ms: q(0.5), p99Ms: q(0.99) };
}

const database = await ownDatabase();
const server = await startServerProcess({ ...database.env, LOG_LEVEL: 'info' });
try {
  const tenant = await fetch(`${server.url}/v1/tenants`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-key': BENCH_ADMIN_KEY }, body: JSON.stringify({ name: 'Bench' }),
  }).then((r) => r.json()) as { admin: { token: string } };
  const auth = { authorization: `Bearer ${tenant.admin.token}` };
  const ok = (r: Response) => { if (!r.ok) throw new Error(`status ${r.status}`); return r.arrayBuffer(); };
  await measure('warm-up', () => fetch(`${server.url}/v1/users`, { headers: auth }).then(ok).then(() => undefined));
  const health = await measure('GET /health', () => fetch(`${server.url}/health`).then(ok).then(() => undefined));
  const users = await measure('GET /v1/users', () => fetch(`${server.url}/v1/users`, { headers: auth }).then(ok).then(() => undefined));
  const result = { bench: 'authed-request', database: process.env.DATABASE_URL ? 'postgresql' : 'pglite', concurrency: CONCURRENCY, health, users, ratio: Number((users.perSecond / health.perSecond).toFixed(2)) };
  console.log(JSON.stringify(result));
  console.log(`authed-request (${result.database}): GET /v1/users ${users.perSecond}/s p99 ${users.p99Ms} ms; GET /health ${health.perSecond}/s p99 ${health.p99Ms} ms; ratio ${result.ratio}`);
} finally {
  server.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await database.drop();
}
