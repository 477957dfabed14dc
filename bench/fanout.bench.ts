// Fan-out: one conversation with 1,000 members held by two client processes; a sender keeps 4 sends in
// flight for a fixed time. Deliveries/s and delivery latency of message:new, next to a plain Socket.IO
// room broadcast of the same shape in the same run. Server and clients in separate processes, loopback.
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { startMembers } from './lib/member-processes.ts';
import { percentile, startServerProcess } from './lib/server-process.ts';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 1000);
const USERS = 100; // members share users, as agents with several tabs do
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const IN_FLIGHT = 4;
const now = () => performance.timeOrigin + performance.now();

/** Keeps IN_FLIGHT sends going for SECONDS; answers how many were sent and when sending started. */
async function drive(send: (i: number) => Promise<void>) {
  const started = now();
  const deadline = performance.now() + SECONDS * 1000;
  let sent = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (performance.now() < deadline) await send(sent++);
  }));
  return { sent, started };
}

async function measure(label: string, group: Awaited<ReturnType<typeof startMembers>>, send: (i: number) => Promise<void>) {
  await group.reset();
  const { sent, started } = await drive(send);
  const expected = sent * MEMBERS;
  const waitUntil = performance.now() + 30_000;
  let report = await group.report();
  while (report.received < expected && performance.now() < waitUntil) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    report = await group.report();
  }
  const latencies = report.latencies.sort((a, b) => a - b);
  const seconds = (report.lastAt - started) / 1000;
  return {
    label, sent, deliveries: report.received, expected, deliveriesPerSecond: Math.round(report.received / seconds),
    p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99),
  };
}

const db = await benchDatabase('fanout');
const server = await startServerProcess({ DATABASE_URL: db.url });
const plain = await startServerProcess({}, join(import.meta.dirname, 'lib', 'echo-server.ts'));
const open: Socket[] = [];
try {
  const t = await benchTenant(server.url, USERS);
  const inbox = await t.post('/v1/inboxes', { name: 'Fanout', channel: 'chat' });
  const conversationId: string = (await t.post('/v1/conversations', { inboxId: inbox.inbox.id })).conversation.id;

  const members = await startMembers(2, { url: server.url, tokens: t.agents.map((a) => a.token), count: MEMBERS, conversationId, event: 'message:new', mode: 'switchboard' });
  const sender = await connectSocket(server.url, t.admin);
  open.push(sender);
  const sb = await measure('Switchboard message:new', members, async (i) => {
    const answer = await sender.timeout(30_000).emitWithAck('message:send', { conversationId, clientMessageId: `f-${i}`, body: String(now()) });
    if (!answer.ok) throw new Error(JSON.stringify(answer));
  });
  members.stop();

  const plainMembers = await startMembers(2, { url: plain.url, tokens: [null], count: MEMBERS, conversationId, event: 'fan', mode: 'plain' });
  const plainSender = await connectSocket(plain.url);
  open.push(plainSender);
  const raw = await measure('plain Socket.IO room', plainMembers, async () => {
    await plainSender.timeout(30_000).emitWithAck('fan', { conversationId, sentAt: now() });
  });
  plainMembers.stop();

  const result = { bench: 'fanout', members: MEMBERS, seconds: SECONDS, inFlight: IN_FLIGHT, switchboard: sb, raw, ratio: Number((sb.deliveriesPerSecond / raw.deliveriesPerSecond).toFixed(2)) };
  console.log(JSON.stringify(result));
  console.log(`fanout: ${MEMBERS} members, Switchboard ${sb.deliveriesPerSecond} deliveries/s p99 ${sb.p99Ms} ms (${sb.deliveries}/${sb.expected}); plain Socket.IO ${raw.deliveriesPerSecond}/s p99 ${raw.p99Ms} ms; ratio ${result.ratio}`);
} finally {
  for (const s of open) s.close();
  server.stop();
  plain.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
