// message:send through Switchboard next to its raw parts in the same run: the same update + insert as a
// plain pg transaction, and a plain Socket.IO ack echo. 50 senders over 1,000 conversations for a fixed
// time each, and 50 on one hot conversation; each sender has a partner member who times the delivery.
// Server in a child process, clients here, loopback only, PostgreSQL (DATABASE_URL or local).
import { join } from 'node:path';
import pg from 'pg';
import type { Socket } from 'socket.io-client';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { percentile, startServerProcess } from './lib/server-process.ts';

const SENDERS = 50;
const CONVERSATIONS = 1000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const now = () => performance.timeOrigin + performance.now();

/** Runs `op` from `workers` concurrent loops for SECONDS; answers rate and latency percentiles. */
async function drive(workers: number, op: (worker: number, i: number) => Promise<void>) {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const t0 = performance.now();
      await op(w, i);
      latencies.push(performance.now() - t0);
    }
  }));
  latencies.sort((a, b) => a - b);
  return { ops: latencies.length, perSecond: Math.round(latencies.length / SECONDS), p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

/** Delivery latencies of message:new bodies that carry the sender's clock, per phase. */
function timeDeliveries(sockets: Socket[]) {
  let latencies: number[] = [];
  for (const s of sockets) s.on('message:new', (e: any) => latencies.push(now() - Number(e.message.body)));
  return {
    take() {
      const taken = latencies.sort((a, b) => a - b);
      latencies = [];
      return { deliveries: taken.length, p50Ms: percentile(taken, 0.5), p99Ms: percentile(taken, 0.99) };
    },
  };
}

const db = await benchDatabase('send');
const server = await startServerProcess({ DATABASE_URL: db.url });
const echo = await startServerProcess({}, join(import.meta.dirname, 'lib', 'echo-server.ts'));
const sockets: Socket[] = [];
try {
  const t = await benchTenant(server.url, SENDERS * 2);
  const inbox = await t.post('/v1/inboxes', { name: 'Bench', channel: 'chat' });
  const conversations: string[] = [];
  for (let i = 0; i < CONVERSATIONS; i += 50) {
    conversations.push(...(await Promise.all(Array.from({ length: 50 }, () => t.post('/v1/conversations', { inboxId: inbox.inbox.id })))).map((r) => r.conversation.id));
  }
  for (const a of t.agents.slice(0, SENDERS)) sockets.push(await connectSocket(server.url, a.token));
  // Sender w writes to conversations w, w + 50, …; its partner member joined those.
  const partners: Socket[] = [];
  for (const [w, a] of t.agents.slice(SENDERS).entries()) {
    const partner = await connectSocket(server.url, a.token);
    for (let c = w; c < CONVERSATIONS; c += SENDERS) await partner.timeout(10_000).emitWithAck('conversation:join', { conversationId: conversations[c] });
    partners.push(partner);
  }
  const delivered = timeDeliveries(partners);
  const conversationOf = (w: number, i: number) => conversations[(w + SENDERS * ((i * 7) % (CONVERSATIONS / SENDERS))) % CONVERSATIONS];

  // Switchboard: message:send, ack latency (commit included).
  const send = await drive(SENDERS, async (w, i) => {
    const answer = await sockets[w].timeout(10_000).emitWithAck('message:send', {
      conversationId: conversationOf(w, i), clientMessageId: `${w}-${i}`, body: String(now()),
    });
    if (!answer.ok) throw new Error(JSON.stringify(answer));
  });
  await new Promise((resolve) => setTimeout(resolve, 500)); // the last deliveries
  const spreadDelivery = delivered.take();
  // The hot conversation: every partner is a member, so each send is delivered 50 times.
  for (const p of partners) await p.timeout(10_000).emitWithAck('conversation:join', { conversationId: conversations[0] });
  delivered.take();
  const hot = await drive(SENDERS, async (w, i) => {
    const answer = await sockets[w].timeout(10_000).emitWithAck('message:send', { conversationId: conversations[0], clientMessageId: `hot-${w}-${i}`, body: String(now()) });
    if (!answer.ok) throw new Error(JSON.stringify(answer));
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const hotDelivery = delivered.take();
  for (const p of partners) p.close();

  // Raw: the same row lock + seq + insert in a plain pg transaction, same concurrency, same database.
  const pool = new pg.Pool({ connectionString: db.url, max: 20 });
  const tenantId = t.tenantId;
  const rawTx = (pick: (w: number, i: number) => string, tag: string) => drive(SENDERS, async (w, i) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const id = pick(w, i);
      const { rows } = await client.query('update conversations set last_seq = last_seq + 1, message_count = message_count + 1, last_message_at = now() where id = $1 returning last_seq, inbox_id', [id]);
      await client.query(`insert into messages (id, tenant_id, conversation_id, inbox_id, seq, direction, sender_type, body, status, client_message_id, sent_at, created_at)
        values (gen_random_uuid(), $1, $2, $3, $4, 'outbound', 'user', 'raw', 'sent', $5, now(), now())`, [tenantId, id, rows[0].inbox_id, rows[0].last_seq, `${tag}-${w}-${i}`]);
      await client.query('commit');
    } finally {
      client.release();
    }
  });
  const raw = await rawTx(conversationOf, 'raw');
  // The same on one hot row: every transaction waits for the row lock.
  const rawHot = await rawTx(() => conversations[1], 'raw-hot');
  await pool.end();

  // Raw: a plain Socket.IO ack round trip.
  const echoSockets = await Promise.all(Array.from({ length: SENDERS }, () => connectSocket(echo.url)));
  const echoed = await drive(SENDERS, async (w, i) => { await echoSockets[w].timeout(10_000).emitWithAck('echo', { i }); });
  for (const s of echoSockets) s.close();

  const result = {
    bench: 'send', seconds: SECONDS, senders: SENDERS, conversations: CONVERSATIONS,
    switchboard: { spread: { ...send, delivery: spreadDelivery }, hotConversation: { ...hot, delivery: hotDelivery } }, raw: { pgTransaction: raw, pgTransactionHotRow: rawHot, socketIoEcho: echoed },
    ratioToRawTx: Number((send.perSecond / raw.perSecond).toFixed(2)),
    hotRatioToRawHotRow: Number((hot.perSecond / rawHot.perSecond).toFixed(2)),
    p99BudgetMs: Number((raw.p99Ms + echoed.p99Ms + 5).toFixed(2)),
  };
  console.log(JSON.stringify(result));
  console.log(`send: ${send.perSecond}/s p50 ${send.p50Ms} ms p99 ${send.p99Ms} ms, delivery p99 ${spreadDelivery.p99Ms} ms (hot conversation ${hot.perSecond}/s p99 ${hot.p99Ms} ms, delivery to 50 members p99 ${hotDelivery.p99Ms} ms); raw pg tx ${raw.perSecond}/s p99 ${raw.p99Ms} ms, on one hot row ${rawHot.perSecond}/s (hot ratio ${result.hotRatioToRawHotRow}); raw echo ${echoed.perSecond}/s p99 ${echoed.p99Ms} ms; ratio ${result.ratioToRawTx} of raw tx, p99 budget ${result.p99BudgetMs} ms`);
} finally {
  for (const s of sockets) s.close();
  server.stop();
  echo.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
