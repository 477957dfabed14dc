// Flood: what a refused send costs next to an accepted one. One node; a client keeps 64 message:send in
// flight on each of 10 sockets for BENCH_SECONDS. Accepted: the sockets' rate is unlimited and every send
// commits. Refused: a node held to SOCKET_SEND_RATE=1 answers nearly all of them RATE_LIMITED. CPU per
// answer (server, and PostgreSQL for the accepted ones) from /proc; rounds alternate, and the median ratio
// refused/accepted is the figure: a flooder held to its bucket must not tax the node (target ≤ 5 %). The floor under a
// refusal is measured beside them: a plain Socket.IO server (bench/lib/echo-server.ts) answering every send with the
// same prebuilt refusal, and the median ratio refused/plain.
// Env: BENCH_SECONDS (5), BENCH_ROUNDS (3).
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { cpuDelta, median, readCpu } from './lib/cpu.ts';
import { startServerProcess } from './lib/server-process.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SOCKETS = 10;
const IN_FLIGHT = 64;

interface FloodRound { answers: number; accepted: number; refused: number; serverCpuUs: number; postgresCpuUs: number }

async function setUp(extraEnv: Record<string, string>) {
  const server = await startServerProcess(extraEnv);
  const t = await benchTenant(server.url, SOCKETS);
  const inbox = await t.post('/v1/inboxes', { name: 'Flood', channel: 'chat', memberIds: t.agents.map((a) => a.id) });
  const conversations: string[] = [];
  for (let i = 0; i < SOCKETS; i++) conversations.push((await t.post('/v1/conversations', { inboxId: inbox.inbox.id })).conversation.id);
  const sockets = await Promise.all(t.agents.map((a) => connectSocket(server.url, a.token)));
  return { server, sockets, conversations };
}

/** The plain server: no tenant, no conversations (it answers every send alike). */
async function setUpPlain() {
  const server = await startServerProcess({}, join(import.meta.dirname, 'lib', 'echo-server.ts'));
  const sockets = await Promise.all(Array.from({ length: SOCKETS }, () => connectSocket(server.url)));
  return { server, sockets, conversations: sockets.map(() => crypto.randomUUID()) };
}

async function flood(target: Awaited<ReturnType<typeof setUp>>, tag: string): Promise<FloodRound> {
  let accepted = 0;
  let refused = 0;
  const before = await readCpu([target.server.pid]);
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(target.sockets.flatMap((socket: Socket, s) => Array.from({ length: IN_FLIGHT }, async (_, k) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const answer = await socket.timeout(30_000).emitWithAck('message:send', { conversationId: target.conversations[s], clientMessageId: `${tag}-${s}-${k}-${i}`, body: 'flood' });
      if (answer.ok) accepted++;
      else if (answer.error.code === 'RATE_LIMITED') refused++;
      else throw new Error(JSON.stringify(answer));
    }
  })));
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cpu = cpuDelta(before, await readCpu([target.server.pid]));
  const answers = accepted + refused;
  return { answers, accepted, refused, serverCpuUs: Number((1000 * cpu.serverMs / answers).toFixed(1)), postgresCpuUs: Number((1000 * cpu.postgresMs / answers).toFixed(1)) };
}

const db = await benchDatabase('flood');
const refusing = await setUp({ DATABASE_URL: db.url, SOCKET_SEND_RATE: '1' });
const accepting = await setUp({ DATABASE_URL: db.url, SOCKET_SEND_RATE: '1000000' });
const plain = await setUpPlain();
try {
  const refusals: FloodRound[] = [];
  const sends: FloodRound[] = [];
  const floors: FloodRound[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    sends.push(await flood(accepting, `a${r}`));
    refusals.push(await flood(refusing, `r${r}`));
    floors.push(await flood(plain, `p${r}`));
  }
  const cost = (x: FloodRound) => x.serverCpuUs + x.postgresCpuUs;
  const ratios = refusals.map((x, i) => cost(x) / cost(sends[i]));
  const floorRatios = refusals.map((x, i) => cost(x) / cost(floors[i]));
  const med = (list: FloodRound[], k: keyof FloodRound) => median(list.map((x) => x[k]));
  const result = {
    bench: 'flood', secondsPerRound: SECONDS, rounds: ROUNDS, sockets: SOCKETS, inFlight: IN_FLIGHT, accepted: sends, refused: refusals, plain: floors,
    ratio: Number(median(ratios).toFixed(3)), ratioToPlain: Number(median(floorRatios).toFixed(3)),
  };
  console.log(JSON.stringify(result));
  console.log(`flood (medians of ${ROUNDS} alternated rounds): a refused send costs ${med(refusals, 'serverCpuUs')} µs server + ${med(refusals, 'postgresCpuUs')} µs PostgreSQL `
    + `(${med(refusals, 'answers') / SECONDS}/s answered), an accepted one ${med(sends, 'serverCpuUs')} + ${med(sends, 'postgresCpuUs')} µs (${med(sends, 'answers') / SECONDS}/s); ratio ${(result.ratio * 100).toFixed(1)} %; `
    + `plain Socket.IO answering the same refusal ${med(floors, 'serverCpuUs')} µs (${med(floors, 'answers') / SECONDS}/s): refusal ×${result.ratioToPlain} of that floor`);
} finally {
  for (const s of [...refusing.sockets, ...accepting.sockets, ...plain.sockets]) s.close();
  refusing.server.stop();
  accepting.server.stop();
  plain.server.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
