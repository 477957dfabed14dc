// Cost of an authenticated API call (JWT verify + user lookup + tenant-scoped query) next to /health.
// Server in a child process, client here; loopback only; bounded by request count.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REQUESTS = 4000;
const CONCURRENCY = 32;
const ADMIN_KEY = 'bench-admin-key-0123456789';

async function startServer(): Promise<{ url: string; stop(): void }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ADMIN_KEY,
    JWT_SECRET: 'bench-jwt-secret-0123456789-0123456789', DATA_DIR: await mkdtemp(join(tmpdir(), 'sb-bench-')),
  };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'src', 'main.ts')], { env: { ...env, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (c: Buffer) => {
      text += c.toString();
      const m = text.match(/"url":"(http:\/\/[^"]+)"/);
      if (m) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error(`server exited:\n${text}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
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

const server = await startServer();
try {
  const tenant = await fetch(`${server.url}/v1/tenants`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-key': ADMIN_KEY }, body: JSON.stringify({ name: 'Bench' }),
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
}
