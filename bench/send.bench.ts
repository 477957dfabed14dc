// message:send through Switchboard next to its raw parts in the same run: the same update + insert as a
// plain pg transaction, and a plain Socket.IO ack echo. 50 senders over 1,000 conversations for a fixed
// time each. Server in a child process, clients here, loopback only, PostgreSQL (DATABASE_URL or local).
import { join } from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { BENCH_ADMIN_KEY, percentile, startServerProcess } from './lib/server-process.ts';

const SERVER_DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SENDERS = 50;
const CONVERSATIONS = 1000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const NAME = `sb_bench_send_${process.pid}`;

async function onServer<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return await fn(c); } finally { await c.end(); }
}

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

function connect(url: string, token?: string): Promise<Socket> {
  const s = io(url, { auth: token ? { token } : {}, transports: ['websocket'], forceNew: true });
  return new Promise((resolve, reject) => { s.once('connect', () => resolve(s)); s.once('connect_error', reject); });
}

const dbUrl = new URL(SERVER_DB);
dbUrl.pathname = `/${NAME}`;
await onServer(SERVER_DB, (c) => c.query(`create database "${NAME}"`));
const server = await startServerProcess({ DATABASE_URL: dbUrl.toString(), LOG_LEVEL: 'info' });
const echo = await startServerProcess({}, join(import.meta.dirname, 'lib', 'echo-server.ts'));
const sockets: Socket[] = [];
try {
  const post = async (path: string, body: unknown, headers: Record<string, string>) => {
    const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const tenant = await post('/v1/tenants', { name: 'Bench' }, { 'x-admin-key': BENCH_ADMIN_KEY });
  const auth = { authorization: `Bearer ${tenant.admin.token}` };
  const inbox = await post('/v1/inboxes', { name: 'Bench', channel: 'chat' }, auth);
  const conversations: string[] = [];
  for (let i = 0; i < CONVERSATIONS; i += 50) {
    conversations.push(...(await Promise.all(Array.from({ length: 50 }, () => post('/v1/conversations', { inboxId: inbox.inbox.id }, auth)))).map((r) => r.conversation.id));
  }
  const agents = await Promise.all(Array.from({ length: SENDERS }, (_, i) => post('/v1/users', { name: `Agent ${i}`, role: 'agent' }, auth)));
  for (const a of agents) sockets.push(await connect(server.url, a.token));

  // Switchboard: message:send, ack latency (commit included).
  const send = await drive(SENDERS, async (w, i) => {
    const answer = await sockets[w].timeout(10_000).emitWithAck('message:send', {
      conversationId: conversations[(w * 7919 + i) % CONVERSATIONS], clientMessageId: `${w}-${i}`, body: `bench message ${i}`,
    });
    if (!answer.ok) throw new Error(JSON.stringify(answer));
  });
  const hot = await drive(SENDERS, async (w, i) => {
    const answer = await sockets[w].timeout(10_000).emitWithAck('message:send', { conversationId: conversations[0], clientMessageId: `hot-${w}-${i}`, body: 'hot' });
    if (!answer.ok) throw new Error(JSON.stringify(answer));
  });

  // Raw: the same row lock + seq + insert in a plain pg transaction, same concurrency, same database.
  const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 20 });
  const tenantId = tenant.tenant.id;
  const raw = await drive(SENDERS, async (w, i) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const id = conversations[(w * 7919 + i) % CONVERSATIONS];
      const { rows } = await client.query('update conversations set last_seq = last_seq + 1, message_count = message_count + 1, last_message_at = now() where id = $1 returning last_seq, inbox_id', [id]);
      await client.query(`insert into messages (id, tenant_id, conversation_id, inbox_id, seq, direction, sender_type, body, status, client_message_id, sent_at, created_at)
        values (gen_random_uuid(), $1, $2, $3, $4, 'outbound', 'user', 'raw', 'sent', $5, now(), now())`, [tenantId, id, rows[0].inbox_id, rows[0].last_seq, `raw-${w}-${i}`]);
      await client.query('commit');
    } finally {
      client.release();
    }
  });
  await pool.end();

  // Raw: a plain Socket.IO ack round trip.
  const echoSockets = await Promise.all(Array.from({ length: SENDERS }, () => connect(echo.url)));
  const echoed = await drive(SENDERS, async (w, i) => { await echoSockets[w].timeout(10_000).emitWithAck('echo', { i }); });
  for (const s of echoSockets) s.close();

  const result = {
    bench: 'send', seconds: SECONDS, senders: SENDERS, conversations: CONVERSATIONS,
    switchboard: { spread: send, hotConversation: hot }, raw: { pgTransaction: raw, socketIoEcho: echoed },
    ratioToRawTx: Number((send.perSecond / raw.perSecond).toFixed(2)),
    p99BudgetMs: Number((raw.p99Ms + echoed.p99Ms + 5).toFixed(2)),
  };
  console.log(JSON.stringify(result));
  console.log(`send: ${send.perSecond}/s p50 ${send.p50Ms} ms p99 ${send.p99Ms} ms (hot conversation ${hot.perSecond}/s p99 ${hot.p99Ms} ms); raw pg tx ${raw.perSecond}/s p99 ${raw.p99Ms} ms; raw echo ${echoed.perSecond}/s p99 ${echoed.p99Ms} ms; ratio ${result.ratioToRawTx} of raw tx, p99 budget ${result.p99BudgetMs} ms`);
} finally {
  for (const s of sockets) s.close();
  server.stop();
  echo.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await onServer(SERVER_DB, (c) => c.query(`drop database if exists "${NAME}" with (force)`));
}
