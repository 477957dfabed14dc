// Flood: on three nodes, one socket per node tries 100 message:send/s (a flooding client) while another
// tenant's 9 agents (3 per node) send 5/s each and time their acks. Each flooder must be held to the
// configured rate (SOCKET_SEND_RATE: BENCH_RATE, default 20/s) on every node, and the other tenant's p99 ack latency
// should move by less than 10 % against the same run without the flood. Quiet and flooded phases alternate
// (BENCH_ROUNDS of each, BENCH_SECONDS long) and each side's latencies are pooled, so that the machine's drift
// over a run lands on both sides rather than on one.
import type { Socket } from 'socket.io-client';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { percentile, startServerProcess } from './lib/server-process.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RATE = Number(process.env.BENCH_RATE ?? 20);
const FLOOD_RATE = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const VICTIMS_PER_NODE = 3;
const VICTIM_RATE = 5;

const db = await benchDatabase('flood');
const nodes = await Promise.all([0, 1, 2].map(() => startServerProcess({ DATABASE_URL: db.url, REDIS_URL, SOCKET_SEND_RATE: String(RATE) })));
const open: Socket[] = [];

/** Victims send at a steady rate for SECONDS; answers their ack latencies. */
async function victimTraffic(victims: { socket: Socket; conversationId: string }[], tag: string): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(victims.map(async ({ socket, conversationId }, v) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const t0 = performance.now();
      const answer = await socket.timeout(10_000).emitWithAck('message:send', { conversationId, clientMessageId: `${tag}-${v}-${i}`, body: 'steady' });
      if (!answer.ok) throw new Error(JSON.stringify(answer));
      latencies.push(performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / VICTIM_RATE - (performance.now() - t0))));
    }
  }));
  return latencies.sort((a, b) => a - b);
}

try {
  const victimTenant = await benchTenant(nodes[0].url, VICTIMS_PER_NODE * 3);
  const floodTenant = await benchTenant(nodes[0].url, 3);
  const victimInbox = await victimTenant.post('/v1/inboxes', { name: 'Quiet', channel: 'chat' });
  const floodInbox = await floodTenant.post('/v1/inboxes', { name: 'Loud', channel: 'chat' });
  const victims = await Promise.all(victimTenant.agents.map(async (a, i) => {
    const socket = await connectSocket(nodes[i % 3].url, a.token);
    open.push(socket);
    return { socket, conversationId: (await victimTenant.post('/v1/conversations', { inboxId: victimInbox.inbox.id })).conversation.id as string };
  }));
  const flooders = await Promise.all(floodTenant.agents.map(async (a, node) => {
    const socket = await connectSocket(nodes[node].url, a.token);
    open.push(socket);
    return { socket, conversationId: (await floodTenant.post('/v1/conversations', { inboxId: floodInbox.inbox.id })).conversation.id as string };
  }));

  const quiet: number[] = [];
  const loud: number[] = [];
  const floodCounts = flooders.map(() => ({ ok: 0, limited: 0, other: 0 }));
  let floodSeconds = 0;
  for (let round = 0; round < ROUNDS; round++) {
    quiet.push(...await victimTraffic(victims, `quiet-${round}`));
    // The flood: sends fired on a 100/s clock without waiting for their answers.
    let flooding = true;
    const floodStarted = performance.now();
    const floods = flooders.map(async ({ socket, conversationId }, f) => {
      const pending: Promise<void>[] = [];
      for (let i = 0; flooding; i++) {
        pending.push(socket.timeout(10_000).emitWithAck('message:send', { conversationId, clientMessageId: `flood-${round}-${f}-${i}`, body: 'flood' })
          .then((answer: any) => {
            if (answer.ok) floodCounts[f].ok++;
            else if (answer.error.code === 'RATE_LIMITED') floodCounts[f].limited++;
            else floodCounts[f].other++;
          }, () => { floodCounts[f].other++; }));
        await new Promise((resolve) => setTimeout(resolve, 1000 / FLOOD_RATE));
      }
      await Promise.all(pending);
    });
    loud.push(...await victimTraffic(victims, `loud-${round}`));
    flooding = false;
    floodSeconds += (performance.now() - floodStarted) / 1000;
    await Promise.all(floods);
  }
  quiet.sort((a, b) => a - b);
  loud.sort((a, b) => a - b);

  const perNode = floodCounts.map((c, node) => ({ node, attemptedPerSecond: Number(((c.ok + c.limited + c.other) / floodSeconds).toFixed(1)), acceptedPerSecond: Number((c.ok / floodSeconds).toFixed(1)), rateLimited: c.limited, otherErrors: c.other }));
  const quietP99 = percentile(quiet, 0.99);
  const loudP99 = percentile(loud, 0.99);
  const result = {
    bench: 'flood', nodes: 3, configuredRate: RATE, floodRate: FLOOD_RATE, seconds: SECONDS, rounds: ROUNDS, flooders: perNode,
    otherTenant: { quietP50Ms: percentile(quiet, 0.5), quietP99Ms: quietP99, floodedP50Ms: percentile(loud, 0.5), floodedP99Ms: loudP99, p99ChangePercent: Number((((loudP99 - quietP99) / quietP99) * 100).toFixed(1)) },
  };
  console.log(JSON.stringify(result));
  console.log(`flood: flooders accepted ${perNode.map((n) => `${n.acceptedPerSecond}/s`).join(', ')} of ~${FLOOD_RATE}/s tried (limit ${RATE}/s, burst ${RATE * 3}, ${ROUNDS} rounds of ${SECONDS} s), the rest RATE_LIMITED; other tenant's ack p99 ${quietP99} ms -> ${loudP99} ms (${result.otherTenant.p99ChangePercent} %)`);
} finally {
  for (const s of open) s.close();
  for (const n of nodes) n.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
