// Memory over a long run: message:send at a steady rate (100/s from 20 sockets over 200 conversations,
// each delivered to a joined member) for BENCH_MINUTES (default 10). Server RSS is sampled every 10 s;
// growth is the last sample against the one after the first minute (warm-up). Target: under 5 %.
import type { Socket } from 'socket.io-client';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { rssOf, startServerProcess } from './lib/server-process.ts';

const MINUTES = Number(process.env.BENCH_MINUTES ?? 10);
const RATE = 100;
const SENDERS = 20;
const CONVERSATIONS = 200;
const SAMPLE_MS = 10_000;

const db = await benchDatabase('soak');
const server = await startServerProcess({ DATABASE_URL: db.url });
const open: Socket[] = [];
try {
  const t = await benchTenant(server.url, SENDERS + 1);
  const inbox = await t.post('/v1/inboxes', { name: 'Soak', channel: 'chat' });
  const conversations: string[] = [];
  for (let i = 0; i < CONVERSATIONS; i++) conversations.push((await t.post('/v1/conversations', { inboxId: inbox.inbox.id })).conversation.id);
  const senders: Socket[] = [];
  for (const a of t.agents.slice(0, SENDERS)) senders.push(await connectSocket(server.url, a.token));
  const member = await connectSocket(server.url, t.agents[SENDERS].token);
  open.push(...senders, member);
  for (const id of conversations) await member.timeout(10_000).emitWithAck('conversation:join', { conversationId: id });
  let delivered = 0;
  member.on('message:new', () => { delivered++; });

  const samples: { atS: number; rssMb: number }[] = [];
  const started = performance.now();
  let sent = 0;
  let failed = 0;
  const deadline = started + MINUTES * 60_000;
  const sampler = setInterval(async () => {
    samples.push({ atS: Math.round((performance.now() - started) / 1000), rssMb: Number(((await rssOf(server.pid)) / 2 ** 20).toFixed(1)) });
  }, SAMPLE_MS);
  // A steady rate: each sender sends every SENDERS / RATE seconds, whatever the previous ack took.
  await Promise.all(senders.map(async (s, w) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const due = started + (i * SENDERS + w) * (1000 / RATE);
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const answer = await s.timeout(10_000).emitWithAck('message:send', {
        conversationId: conversations[(w + i * SENDERS) % CONVERSATIONS], clientMessageId: `${w}-${i}`, body: `soak ${i}`,
      }).catch(() => ({ ok: false }));
      if (answer.ok) sent++;
      else failed++;
    }
  }));
  clearInterval(sampler);
  const warm = samples.find((s) => s.atS >= 60) ?? samples[0];
  const last = samples[samples.length - 1];
  const growth = Number((((last.rssMb - warm.rssMb) / warm.rssMb) * 100).toFixed(1));
  const result = { bench: 'soak', minutes: MINUTES, ratePerSecond: RATE, sent, failed, delivered, rssAfterWarmUpMb: warm.rssMb, rssLastMb: last.rssMb, growthPercent: growth, samples };
  console.log(JSON.stringify(result));
  console.log(`soak: ${MINUTES} min at ${RATE} sends/s (${sent} sent, ${failed} failed, ${delivered} delivered); server RSS ${warm.rssMb} MB after the first minute, ${last.rssMb} MB at the end: ${growth} % growth`);
} finally {
  for (const s of open) s.close();
  server.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
