// Cross-node delivery: three Switchboard nodes on one PostgreSQL and one Redis; message:new latency to
// members on the sender's node and on another node. The added p99 (other node minus same node) next to
// plain Socket.IO servers with the same Redis adapter, in the same run.
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { percentile, startServerProcess } from './lib/server-process.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MEMBERS_PER_NODE = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const IN_FLIGHT = 4;
const now = () => performance.timeOrigin + performance.now();

interface Side { same: number[]; other: number[] }

/** Members on the sender's node and on another join the room; the sender keeps IN_FLIGHT sends going. */
async function measure(
  join: (socket: Socket) => Promise<void>, event: string, sentAtOf: (payload: any) => number,
  connectTo: (node: number, i: number) => Promise<Socket>, send: (sender: Socket, i: number) => Promise<void>, senderSocket: Socket,
) {
  const latencies: Side = { same: [], other: [] };
  const sockets: Socket[] = [];
  for (const [node, side] of [[0, 'same'], [1, 'other']] as const) {
    for (let i = 0; i < MEMBERS_PER_NODE; i++) {
      const s = await connectTo(node, i);
      await join(s);
      s.on(event, (payload: unknown) => latencies[side].push(now() - sentAtOf(payload)));
      sockets.push(s);
    }
  }
  const deadline = performance.now() + SECONDS * 1000;
  let n = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => { while (performance.now() < deadline) await send(senderSocket, n++); }));
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the last deliveries
  for (const s of sockets) s.close();
  const stats = (l: number[]) => { l.sort((a, b) => a - b); return { deliveries: l.length, p50Ms: percentile(l, 0.5), p99Ms: percentile(l, 0.99) }; };
  const same = stats(latencies.same);
  const other = stats(latencies.other);
  return { sends: n, sameNode: same, otherNode: other, addedP50Ms: Number((other.p50Ms - same.p50Ms).toFixed(2)), addedP99Ms: Number((other.p99Ms - same.p99Ms).toFixed(2)) };
}

const db = await benchDatabase('cross_node');
const nodes = await Promise.all([0, 1, 2].map(() => startServerProcess({ DATABASE_URL: db.url, REDIS_URL })));
const plain = await Promise.all([0, 1, 2].map(() => startServerProcess({ REDIS_URL }, join(import.meta.dirname, 'lib', 'echo-server.ts'))));
const open: Socket[] = [];
try {
  const t = await benchTenant(nodes[0].url, MEMBERS_PER_NODE * 2);
  const inbox = await t.post('/v1/inboxes', { name: 'Cross', channel: 'chat' });
  const conversationId: string = (await t.post('/v1/conversations', { inboxId: inbox.inbox.id })).conversation.id;
  const sender = await connectSocket(nodes[0].url, t.admin);
  open.push(sender);
  const sb = await measure(
    async (s) => { const a = await s.timeout(10_000).emitWithAck('conversation:join', { conversationId }); if (!a.ok) throw new Error(JSON.stringify(a)); },
    'message:new', (p) => Number(p.message.body),
    (node, i) => connectSocket(nodes[node].url, t.agents[node * MEMBERS_PER_NODE + i].token),
    async (s, i) => { const a = await s.timeout(10_000).emitWithAck('message:send', { conversationId, clientMessageId: `x-${i}`, body: String(now()) }); if (!a.ok) throw new Error(JSON.stringify(a)); },
    sender,
  );
  const plainSender = await connectSocket(plain[0].url);
  open.push(plainSender);
  const raw = await measure(
    async (s) => { await s.timeout(10_000).emitWithAck('join', { conversationId }); },
    'fan', (p) => p.sentAt,
    (node) => connectSocket(plain[node].url),
    async (s) => { await s.timeout(10_000).emitWithAck('fan', { conversationId, sentAt: now() }); },
    plainSender,
  );
  const result = { bench: 'cross-node', nodes: 3, membersPerNode: MEMBERS_PER_NODE, seconds: SECONDS, switchboard: sb, raw, overRawMs: Number((sb.addedP99Ms - raw.addedP99Ms).toFixed(2)) };
  console.log(JSON.stringify(result));
  console.log(`cross-node: Switchboard adds p50 ${sb.addedP50Ms} ms, p99 ${sb.addedP99Ms} ms on another node; plain Socket.IO + Redis adapter adds p50 ${raw.addedP50Ms} ms, p99 ${raw.addedP99Ms} ms; difference ${result.overRawMs} ms`);
} finally {
  for (const s of open) s.close();
  for (const n of [...nodes, ...plain]) n.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
