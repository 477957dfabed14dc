// Memory over a long run: message:send at a steady rate (100/s from 20 sockets over 200 conversations,
// each delivered to a joined member) for BENCH_MINUTES (default 10), with BENCH_SOCKETS more sockets
// (default 0) held by a client process, each joined to a conversation. Server RSS and open file
// descriptors are sampled every 10 s; growth is the last sample against the one after the first minute
// (warm-up). Issue 8: 10 min, RSS growth under 5 %; issue 9: BENCH_MINUTES=30 BENCH_SOCKETS=2000,
// growth under 10 %, no descriptor leak, error rate under 0.1 %.
import { fork, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { rssOf, startServerProcess } from './lib/server-process.ts';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 10);
const EXTRA_SOCKETS = Number(process.env.BENCH_SOCKETS ?? 0);
const fdsOf = async (pid: number) => (await readdir(`/proc/${pid}/fd`)).length;
const RATE = 100;
const SENDERS = 20;
const CONVERSATIONS = 200;
const SAMPLE_MS = 10_000;

const db = await benchDatabase('soak');
const server = await startServerProcess({ DATABASE_URL: db.url });
const open: Socket[] = [];
let holders: ChildProcess | null = null;
try {
  // With extra sockets the load spreads over tenants (100 sockets each), as on a shared server: a tenant-wide
  // event then reaches that tenant's sockets, not all 2,000.
  const tenantCount = EXTRA_SOCKETS ? Math.max(1, Math.round(EXTRA_SOCKETS / 100)) : 1;
  const tenants = await Promise.all(Array.from({ length: tenantCount }, async () => {
    const t = await benchTenant(server.url, Math.ceil(SENDERS / tenantCount) + 1 + 10);
    const inbox = await t.post('/v1/inboxes', { name: 'Soak', channel: 'chat' });
    const conversations: string[] = [];
    for (let i = 0; i < CONVERSATIONS / tenantCount; i++) conversations.push((await t.post('/v1/conversations', { inboxId: inbox.inbox.id })).conversation.id);
    const member = await connectSocket(server.url, t.agents[0].token);
    open.push(member);
    for (const id of conversations) await member.timeout(10_000).emitWithAck('conversation:join', { conversationId: id });
    return { t, conversations, member };
  }));
  const senders: { socket: Socket; conversations: string[] }[] = [];
  for (let w = 0; w < SENDERS; w++) {
    const { t, conversations } = tenants[w % tenantCount];
    const socket = await connectSocket(server.url, t.agents[1 + Math.floor(w / tenantCount)].token);
    open.push(socket);
    senders.push({ socket, conversations });
  }
  if (EXTRA_SOCKETS) {
    const pairs = Array.from({ length: EXTRA_SOCKETS }, (_, n) => {
      const { t, conversations } = tenants[n % tenantCount];
      return { token: t.agents[t.agents.length - 1 - (n % 10)].token, conversationId: conversations[n % conversations.length] };
    });
    holders = fork(join(import.meta.dirname, 'lib', 'storm-client.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      holders!.on('message', (answer: any) => (answer.error ? reject(new Error(answer.error)) : 'ready' in answer && resolve()));
      holders!.send({ cmd: 'start', cfg: { url: server.url, pairs, count: EXTRA_SOCKETS, offset: 0 } });
    });
  }
  let delivered = 0;
  for (const { member } of tenants) member.on('message:new', () => { delivered++; });

  const samples: { atS: number; rssMb: number; fds: number }[] = [];
  const started = performance.now();
  let sent = 0;
  let failed = 0;
  const deadline = started + MINUTES * 60_000;
  const sampler = setInterval(async () => {
    samples.push({ atS: Math.round((performance.now() - started) / 1000), rssMb: Number(((await rssOf(server.pid)) / 2 ** 20).toFixed(1)), fds: await fdsOf(server.pid) });
  }, SAMPLE_MS);
  // A steady rate: each sender sends every SENDERS / RATE seconds, whatever the previous ack took.
  await Promise.all(senders.map(async ({ socket: s, conversations }, w) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const due = started + (i * SENDERS + w) * (1000 / RATE);
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const answer = await s.timeout(10_000).emitWithAck('message:send', {
        conversationId: conversations[i % conversations.length], clientMessageId: `${w}-${i}`, body: `soak ${i}`,
      }).catch(() => ({ ok: false }));
      if (answer.ok) sent++;
      else failed++;
    }
  }));
  clearInterval(sampler);
  const warm = samples.find((s) => s.atS >= 60) ?? samples[0];
  const last = samples[samples.length - 1];
  const growth = Number((((last.rssMb - warm.rssMb) / warm.rssMb) * 100).toFixed(1));
  const errorRatePercent = Number(((failed / Math.max(1, sent + failed)) * 100).toFixed(3));
  const result = {
    bench: 'soak', minutes: MINUTES, ratePerSecond: RATE, extraSockets: EXTRA_SOCKETS, tenants: tenantCount, sent, failed, errorRatePercent, delivered,
    rssAfterWarmUpMb: warm.rssMb, rssLastMb: last.rssMb, growthPercent: growth, fdsAfterWarmUp: warm.fds, fdsLast: last.fds, samples,
  };
  console.log(JSON.stringify(result));
  console.log(`soak: ${MINUTES} min at ${RATE} sends/s with ${EXTRA_SOCKETS} more sockets over ${tenantCount} tenant(s) (${sent} sent, ${failed} failed: ${errorRatePercent} %, ${delivered} delivered); server RSS ${warm.rssMb} MB after the first minute, ${last.rssMb} MB at the end: ${growth} % growth; open descriptors ${warm.fds} -> ${last.fds}`);
} finally {
  for (const s of open) s.close();
  holders?.send({ cmd: 'stop' });
  server.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
