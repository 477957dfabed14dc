// Connect storm: 5,000 sockets opening at once from two client processes, until every one is ready
// (Switchboard: token checked, rooms joined, presence set), next to plain Socket.IO doing the same
// authentication work (bench/lib/auth-server.ts: JWT verified, user row read), rounds alternated. Time to all
// connected, and CPU per connection (server and PostgreSQL) from /proc; the median ratios are the figures.
// Env: BENCH_SOCKETS (5000), BENCH_ROUNDS (3).
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { benchTenant } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { cpuDelta, median, readCpu } from './lib/cpu.ts';
import { BENCH_JWT_SECRET, startServerProcess } from './lib/server-process.ts';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USERS = 100;
const PROCESSES = 2;

interface Storm { ms: number; serverCpuPerSocketMs: number; postgresCpuPerSocketMs: number }

/** Both client processes start together; the storm lasts until the slower one has all its sockets; then all close. */
async function storm(url: string, pid: number, tokens: string[]): Promise<Storm> {
  const children = Array.from({ length: PROCESSES }, () => fork(join(import.meta.dirname, 'lib', 'connect-client.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const before = await readCpu([pid]);
  try {
    const times = await Promise.all(children.map((child) => new Promise<number>((resolve, reject) => {
      child.once('message', (answer: any) => (answer.error ? reject(new Error(answer.error)) : resolve(answer.ms)));
      child.send({ cmd: 'start', url, tokens, count: SOCKETS / PROCESSES });
    })));
    const cpu = cpuDelta(before, await readCpu([pid]));
    return { ms: Math.round(Math.max(...times)), serverCpuPerSocketMs: Number((cpu.serverMs / SOCKETS).toFixed(3)), postgresCpuPerSocketMs: Number((cpu.postgresMs / SOCKETS).toFixed(3)) };
  } finally {
    for (const child of children) child.send({ cmd: 'stop' });
    await new Promise((resolve) => setTimeout(resolve, 2000)); // let the disconnects settle before the next storm
  }
}

const db = await benchDatabase('connect');
const server = await startServerProcess({ DATABASE_URL: db.url });
const plain = await startServerProcess({ DATABASE_URL: db.url, JWT_SECRET: BENCH_JWT_SECRET }, join(import.meta.dirname, 'lib', 'auth-server.ts'));
try {
  const t = await benchTenant(server.url, USERS);
  const tokens = t.agents.map((a) => a.token);
  const ours: Storm[] = [];
  const theirs: Storm[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    theirs.push(await storm(plain.url, plain.pid, tokens));
    ours.push(await storm(server.url, server.pid, tokens));
  }
  const ratio = (k: keyof Storm) => Number(median(ours.map((o, i) => o[k] / theirs[i][k])).toFixed(2));
  const med = (list: Storm[], k: keyof Storm) => median(list.map((x) => x[k]));
  const result = {
    bench: 'connect', sockets: SOCKETS, clientProcesses: PROCESSES, rounds: ROUNDS, switchboard: ours, plainWithAuth: theirs,
    ratios: { time: ratio('ms'), serverCpu: ratio('serverCpuPerSocketMs') },
  };
  console.log(JSON.stringify(result));
  console.log(`connect: ${SOCKETS} sockets at once (medians of ${ROUNDS} alternated rounds): Switchboard ready in ${med(ours, 'ms')} ms, `
    + `${med(ours, 'serverCpuPerSocketMs')} ms server CPU per socket (+ PostgreSQL ${med(ours, 'postgresCpuPerSocketMs')}); plain Socket.IO with the same auth `
    + `${med(theirs, 'ms')} ms, ${med(theirs, 'serverCpuPerSocketMs')} ms (+ ${med(theirs, 'postgresCpuPerSocketMs')}); ratio ×${result.ratios.time} time, ×${result.ratios.serverCpu} server CPU`);
} finally {
  server.stop();
  plain.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
