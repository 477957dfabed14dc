// Fan-out: one conversation with 1,000 members (sockets in two client processes) and a sender keeping 4
// sends in flight; next to a plain Socket.IO room broadcast of the same payload (a message of the same shape)
// to 1,000 members of a plain server, rounds alternated. Deliveries/s and CPU per delivery (server, and
// PostgreSQL for Switchboard's commit) from /proc; the median ratios are the figures. Beside them, where the rest
// of the two cores went: the member clients' CPU per delivery and the share of the machine left idle in the round.
// Env: BENCH_MEMBERS (1000), BENCH_SECONDS per round (5), BENCH_ROUNDS (3), BENCH_PLAIN_DELAY_MS (0).
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { cpuDelta, idlePercent, median, readCpu, readMachine, readProcessesMs } from './lib/cpu.ts';
import { startMembers, type MemberGroup } from './lib/member-processes.ts';
import { percentile, startServerProcess } from './lib/server-process.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1000);
const USERS = 100; // members share users, as agents with several tabs do
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = 4;
const now = () => performance.timeOrigin + performance.now();

interface FanRound {
  sent: number; deliveries: number; deliveriesPerSecond: number; p99Ms: number; serverCpuPerDeliveryUs: number; postgresCpuPerSendMs: number;
  /** The member clients' CPU per delivery: the same client code for both servers. */
  membersCpuPerDeliveryUs: number;
  /** Of the machine's CPU while the round's sends went, the share nobody used. */
  idlePercent: number;
}

async function round(group: MemberGroup, pid: number, send: (i: number) => Promise<void>): Promise<FanRound> {
  await group.reset();
  const before = await readCpu([pid]);
  const membersBefore = await readProcessesMs(group.pids);
  const machineBefore = await readMachine();
  const started = now();
  const deadline = performance.now() + SECONDS * 1000;
  let sent = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (performance.now() < deadline) await send(sent++);
  }));
  const idle = idlePercent(machineBefore, await readMachine());
  const expected = sent * MEMBERS;
  for (const until = performance.now() + 30_000; await group.count() < expected && performance.now() < until;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cpu = cpuDelta(before, await readCpu([pid]));
  const membersMs = await readProcessesMs(group.pids) - membersBefore;
  const report = await group.report();
  const latencies = report.latencies.sort((a, b) => a - b);
  return {
    sent, deliveries: report.received, deliveriesPerSecond: Math.round(report.received / ((report.lastAt - started) / 1000)),
    p99Ms: percentile(latencies, 0.99), serverCpuPerDeliveryUs: Number((1000 * cpu.serverMs / report.received).toFixed(2)),
    postgresCpuPerSendMs: Number((cpu.postgresMs / sent).toFixed(3)),
    membersCpuPerDeliveryUs: Number((1000 * membersMs / report.received).toFixed(2)), idlePercent: idle,
  };
}

const db = await benchDatabase('fanout');
const server = await startServerProcess({ DATABASE_URL: db.url });
// BENCH_PLAIN_DELAY_MS: the plain server waits that long (idle) before each broadcast, as Switchboard waits for its commit.
const PLAIN_DELAY_MS = process.env.BENCH_PLAIN_DELAY_MS ?? '0';
const plain = await startServerProcess({ FAN_DELAY_MS: PLAIN_DELAY_MS }, join(import.meta.dirname, 'lib', 'echo-server.ts'));
const open: Socket[] = [];
const groups: MemberGroup[] = [];
try {
  const t = await benchTenant(server.url, USERS);
  const inbox = await t.post('/v1/inboxes', { name: 'Fanout', channel: 'chat' });
  const conversationId: string = (await t.post('/v1/conversations', { inboxId: inbox.inbox.id })).conversation.id;
  const members = await startMembers(2, { url: server.url, tokens: t.agents.map((a) => a.token), count: MEMBERS, conversationId, event: 'message:new', mode: 'switchboard' });
  const plainMembers = await startMembers(2, { url: plain.url, tokens: [null], count: MEMBERS, conversationId, event: 'fan', mode: 'plain' });
  groups.push(members, plainMembers);
  const sender = await connectSocket(server.url, t.admin);
  const plainSender = await connectSocket(plain.url);
  open.push(sender, plainSender);
  // The plain broadcast carries a message of Switchboard's shape, its body the sender's clock like Switchboard's.
  const shape = (await sender.timeout(30_000).emitWithAck('message:send', { conversationId, clientMessageId: 'shape', body: '0' })).data.message;

  const ours: FanRound[] = [];
  const theirs: FanRound[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    theirs.push(await round(plainMembers, plain.pid, async (i) => {
      await plainSender.timeout(30_000).emitWithAck('fan', { conversationId, message: { ...shape, id: `${r}-${i}`, seq: i, body: String(now()) } });
    }));
    ours.push(await round(members, server.pid, async (i) => {
      const answer = await sender.timeout(30_000).emitWithAck('message:send', { conversationId, clientMessageId: `f-${r}-${i}`, body: String(now()) });
      if (!answer.ok) throw new Error(JSON.stringify(answer));
    }));
  }
  const ratio = (k: keyof FanRound) => Number(median(ours.map((o, i) => o[k] / theirs[i][k])).toFixed(2));
  const med = (list: FanRound[], k: keyof FanRound) => median(list.map((x) => x[k]));
  const result = {
    bench: 'fanout', members: MEMBERS, secondsPerRound: SECONDS, rounds: ROUNDS, inFlight: IN_FLIGHT, plainDelayMs: Number(PLAIN_DELAY_MS),
    switchboard: ours, plain: theirs,
    ratios: { deliveriesPerSecond: ratio('deliveriesPerSecond'), serverCpuPerDelivery: ratio('serverCpuPerDeliveryUs') },
  };
  console.log(JSON.stringify(result));
  console.log(`fanout (${MEMBERS} members, medians of ${ROUNDS} alternated rounds): Switchboard ${med(ours, 'deliveriesPerSecond')} deliveries/s, `
    + `server ${med(ours, 'serverCpuPerDeliveryUs')} µs CPU per delivery (+ PostgreSQL ${med(ours, 'postgresCpuPerSendMs')} ms per send), p99 ${med(ours, 'p99Ms')} ms; `
    + `plain Socket.IO ${med(theirs, 'deliveriesPerSecond')}/s, ${med(theirs, 'serverCpuPerDeliveryUs')} µs; ratio ×${result.ratios.deliveriesPerSecond} deliveries/s, ×${result.ratios.serverCpuPerDelivery} CPU per delivery; `
    + `member clients ${med(ours, 'membersCpuPerDeliveryUs')} µs per delivery beside Switchboard, ${med(theirs, 'membersCpuPerDeliveryUs')} µs beside the plain server; `
    + `machine idle ${med(ours, 'idlePercent')} % of Switchboard's rounds, ${med(theirs, 'idlePercent')} % of the plain server's`);
} finally {
  for (const g of groups) g.stop();
  for (const s of open) s.close();
  server.stop();
  plain.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
