// Starts `node src/main.ts` (or another script) as a child process and answers its URL. BENCH_SWITCHBOARD_DIR
// names another checkout whose server to run instead (a before/after comparison of one change, same bench).
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverNodeFlags } from '../../src/tools/node-flags.mjs';

export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789';
export const BENCH_JWT_SECRET = 'bench-jwt-secret-0123456789-0123456789';

const SWITCHBOARD_MAIN = join(process.env.BENCH_SWITCHBOARD_DIR ?? join(import.meta.dirname, '..', '..'), 'src', 'main.ts');

/** BENCH_SERVER_ENV='{"REDIS_ADAPTER":"sharded"}': settings for every Switchboard server of the bench. */
export function benchServerEnv(): Record<string, string> {
  return process.env.BENCH_SERVER_ENV ? JSON.parse(process.env.BENCH_SERVER_ENV) as Record<string, string> : {};
}

export async function startServerProcess(extraEnv: Record<string, string> = {}, script = SWITCHBOARD_MAIN): Promise<{ url: string; pid: number; stop(): void }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ADMIN_KEY: BENCH_ADMIN_KEY,
    JWT_SECRET: BENCH_JWT_SECRET, DATA_DIR: await mkdtemp(join(tmpdir(), 'sb-bench-')),
    // Load generators send from one address with few credentials: the limits would measure themselves.
    SOCKET_SEND_RATE: '100000', HTTP_WRITE_RATE: '1000000', HTTP_ADDRESS_WRITE_RATE: '1000000', AUTH_FAILURES_PER_MINUTE: '1000000',
    MAX_SOCKETS_PER_USER: '1000000', ...extraEnv,
    ...(script === SWITCHBOARD_MAIN ? benchServerEnv() : {}),
  };
  // Every server runs with the flags `npm start` gives it (BENCH_NODE_DEFAULTS=0: without, to measure what they change).
  // BENCH_CPU_PROF=<dir>: a V8 CPU profile per server; BENCH_NODE_FLAGS: more flags (e.g. --perf-basic-prof for perf).
  const flags = [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : []), ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])];
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_DEFAULTS === '0' ? [] : serverNodeFlags(process.versions.node)), ...flags, script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (c: Buffer) => {
      if (process.env.BENCH_SHOW_LOG && text.length > 5000) process.stderr.write(c);
      text += c.toString();
      const m = text.match(/"url":"(http:\/\/[^"]+)"/);
      if (m) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error(`server exited:\n${text}`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2));
}

/** Resident memory of a process, in bytes (Linux). */
export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}
