// Connect storm: 5,000 sockets opening at once from two client processes, until every one is ready
// (Switchboard: token checked, rooms joined, presence set), next to plain Socket.IO in the same run.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { benchTenant } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { startServerProcess } from './lib/server-process.ts';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 5000);
const USERS = 100;
const PROCESSES = 2;

/** Both client processes start together; the storm lasts until the slower one has all its sockets. */
async function storm(url: string, tokens: (string | null)[]): Promise<number> {
  const children = Array.from({ length: PROCESSES }, () => fork(join(import.meta.dirname, 'lib', 'connect-client.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    const times = await Promise.all(children.map((child) => new Promise<number>((resolve, reject) => {
      child.once('message', (answer: any) => (answer.error ? reject(new Error(answer.error)) : resolve(answer.ms)));
      child.send({ cmd: 'start', url, tokens, count: SOCKETS / PROCESSES });
    })));
    return Math.round(Math.max(...times));
  } finally {
    for (const child of children) child.send({ cmd: 'stop' });
  }
}

const db = await benchDatabase('connect');
const server = await startServerProcess({ DATABASE_URL: db.url });
const plain = await startServerProcess({}, join(import.meta.dirname, 'lib', 'echo-server.ts'));
try {
  const t = await benchTenant(server.url, USERS);
  const raw = await storm(plain.url, [null]);
  const sb = await storm(server.url, t.agents.map((a) => a.token));
  const result = { bench: 'connect', sockets: SOCKETS, clientProcesses: PROCESSES, switchboardMs: sb, rawMs: raw, ratio: Number((sb / raw).toFixed(2)) };
  console.log(JSON.stringify(result));
  console.log(`connect: ${SOCKETS} sockets at once, Switchboard ready in ${sb} ms, plain Socket.IO ${raw} ms; ratio ${result.ratio}`);
} finally {
  server.stop();
  plain.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
