// message:send: cost per send next to the naive server (bench/lib/naive-server.ts: Socket.IO + pg, one
// transaction, emit, ack) in the same run, rounds alternated, on the same PostgreSQL. 50 sender sockets;
// "spread": 100 conversations (each sender joined the two it writes to), "hot": all on one. CPU is user +
// system time from /proc of the server process and of every postgres process, divided by sends, and PostgreSQL's
// WAL records per send. Last, the spread phase again with 2,000 other agents' idle sockets in the tenant: per-send
// cost must not grow with them.
// Env: BENCH_SECONDS (per round, default 5), BENCH_ROUNDS (default 3), BENCH_IDLE (default 2000).
// BENCH_SERVER_ENV='{"DATABASE_URL":""}': Switchboard on its embedded database (the naive server stays on PostgreSQL).
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { alternate, medianOf, timedRound, type RoundResult } from './lib/rounds.ts';
import { startServerProcess } from './lib/server-process.ts';
import { walReader } from './lib/wal.ts';

const SENDERS = 50;
const CONVERSATIONS = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IDLE = Number(process.env.BENCH_IDLE ?? 2000);
/** Comma-separated subset of spread,hot,idle (all by default). */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'spread,hot,idle').split(','));

type Ack = { ok: boolean; error?: unknown };
const ack = async (socket: Socket, event: string, payload: unknown) => {
  const answer = await socket.timeout(20_000).emitWithAck(event, payload) as Ack;
  if (!answer.ok) throw new Error(`${event}: ${JSON.stringify(answer)}`);
  return answer as Ack & { data: any };
};

const db = await benchDatabase('send');
const server = await startServerProcess({ DATABASE_URL: db.url });
const naive = await startServerProcess({ DATABASE_URL: db.url }, join(import.meta.dirname, 'lib', 'naive-server.ts'));
const open: Socket[] = [];
try {
  // Switchboard: a tenant, 50 agents, 100 conversations; each sender joins the two it writes to.
  const t = await benchTenant(server.url, SENDERS);
  const inbox = await t.post('/v1/inboxes', { name: 'Bench', channel: 'chat', memberIds: t.agents.map((a) => a.id) });
  const ours: string[] = [];
  for (let i = 0; i < CONVERSATIONS; i += 50) {
    ours.push(...(await Promise.all(Array.from({ length: 50 }, () => t.post('/v1/conversations', { inboxId: inbox.inbox.id })))).map((r) => r.conversation.id));
  }
  const senders = await Promise.all(t.agents.map((a) => connectSocket(server.url, a.token)));
  open.push(...senders);
  // The naive server: the same shape of data, its own tables.
  const naiveSenders = await Promise.all(Array.from({ length: SENDERS }, () => connectSocket(naive.url)));
  open.push(...naiveSenders);
  const theirs: string[] = [];
  for (let i = 0; i < CONVERSATIONS; i++) theirs.push((await ack(naiveSenders[i % SENDERS], 'conversation:create', {})).data.conversation.id);
  const spreadOf = (w: number, i: number) => w + SENDERS * (i % (CONVERSATIONS / SENDERS));
  for (let w = 0; w < SENDERS; w++) {
    for (let k = 0; k < CONVERSATIONS / SENDERS; k++) {
      await ack(senders[w], 'conversation:join', { conversationId: ours[w + SENDERS * k] });
      await ack(naiveSenders[w], 'conversation:join', { conversationId: theirs[w + SENDERS * k] });
    }
  }

  const sendTo = (sockets: Socket[], ids: string[], pick: (w: number, i: number) => number, tag: string) => (w: number, i: number) =>
    ack(sockets[w], 'message:send', { conversationId: ids[pick(w, i)], clientMessageId: `${tag}-${w}-${i}`, body: `message ${i} from ${w}` }).then(() => undefined);
  const wal = await walReader(db.url);
  const round = (pids: number[], op: (w: number, i: number) => Promise<void>) => timedRound(pids, SENDERS, SECONDS, op, wal);

  const spread = await alternate(PHASES.has('spread') ? ROUNDS : 0,
    (r) => round([naive.pid], sendTo(naiveSenders, theirs, spreadOf, `ns${r}`)),
    (r) => round([server.pid], sendTo(senders, ours, spreadOf, `s${r}`)));
  // Hot: every sender joined the one conversation, so each message reaches 50 sockets in both servers.
  for (let w = 0; w < SENDERS; w++) {
    if (w >= 2) await ack(senders[w], 'conversation:join', { conversationId: ours[0] });
    if (w >= 2) await ack(naiveSenders[w], 'conversation:join', { conversationId: theirs[0] });
  }
  const hot = await alternate(PHASES.has('hot') ? ROUNDS : 0,
    (r) => round([naive.pid], sendTo(naiveSenders, theirs, () => 0, `nh${r}`)),
    (r) => round([server.pid], sendTo(senders, ours, () => 0, `h${r}`)));

  // Tenant size: the spread phase again with IDLE more agents connected (they join nothing).
  let crowded: RoundResult | null = null;
  if (IDLE > 0 && PHASES.has('idle')) {
    const more = await benchTenantAgents(t, IDLE);
    for (let i = 0; i < more.length; i += 200) open.push(...await Promise.all(more.slice(i, i + 200).map((a) => connectSocket(server.url, a.token))));
    const rounds: RoundResult[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await round([server.pid], sendTo(senders, ours, spreadOf, `c${r}`)));
    crowded = medianOf(rounds);
  }

  const result = {
    bench: 'send', secondsPerRound: SECONDS, rounds: ROUNDS, senders: SENDERS, conversations: CONVERSATIONS,
    spread: { naive: spread.baseline, switchboard: spread.subject, ratios: spread.ratios },
    hot: { naive: hot.baseline, switchboard: hot.subject, ratios: hot.ratios },
    tenantSize: crowded && { idleSockets: IDLE, switchboard: crowded, serverCpuRatioToEmpty: Number((crowded.serverCpuMs / spread.subject.serverCpuMs).toFixed(2)) },
  };
  console.log(JSON.stringify(result));
  const s = spread.ratios;
  const h = hot.ratios;
  console.log(`send (medians of ${ROUNDS} alternated rounds of ${SECONDS} s): spread ${spread.subject.perSecond}/s vs naive ${spread.baseline.perSecond}/s (rate ×${s.rate}); `
    + `CPU per send server ${spread.subject.serverCpuMs} vs ${spread.baseline.serverCpuMs} ms (×${s.serverCpu}), PostgreSQL ${spread.subject.postgresCpuMs} vs ${spread.baseline.postgresCpuMs} ms (×${s.postgresCpu}), total ×${s.totalCpu}; `
    + `WAL records per send ${spread.subject.walRecords} vs ${spread.baseline.walRecords}; `
    + `hot ${hot.subject.perSecond}/s vs naive ${hot.baseline.perSecond}/s (rate ×${h.rate}, total CPU ×${h.totalCpu}, WAL records per send ${hot.subject.walRecords} vs ${hot.baseline.walRecords})`
    + (crowded ? `; with ${IDLE} idle sockets in the tenant: server CPU per send ${crowded.serverCpuMs} ms (×${result.tenantSize!.serverCpuRatioToEmpty} of none)` : ''));
} finally {
  for (const s of open) s.close();
  server.stop();
  naive.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}

/** More agents for the tenant, through the API. */
async function benchTenantAgents(t: Awaited<ReturnType<typeof benchTenant>>, count: number): Promise<{ id: string; token: string }[]> {
  const out: { id: string; token: string }[] = [];
  for (let i = 0; i < count; i += 50) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => t.post('/v1/users', { name: `Idle ${i + j}`, role: 'agent' }))))
      .map((r) => ({ id: r.user.id as string, token: r.token as string })));
  }
  return out;
}
