// Reconnect storm: 5,000 sockets (two client processes), each in a conversation, lose their connections at
// once and 200 messages are written while they are away; Socket.IO's jittered back-off brings them back, each joins again and
// syncs from the last seq it held. Time until 99 % and all are back and resynced, and the server's
// event-loop lag (p99 from its /metrics, reset just before the drop). Target: >= 99 % within 60 s, lag p99 < 200 ms.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { benchTenant, connectSocket } from './lib/api.ts';
import { benchDatabase } from './lib/bench-database.ts';
import { startServerProcess } from './lib/server-process.ts';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 5000);
const PROCESSES = 2;
const USERS = 100;
const CONVERSATIONS = 50;
const LIMIT_MS = 60_000;
const MISSED_MESSAGES = 200;

function ask<T>(child: ChildProcess, msg: unknown, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (answer: any) => {
      if (answer.error) { child.off('message', onMessage); reject(new Error(answer.error)); } else if (key in answer) { child.off('message', onMessage); resolve(answer as T); }
    };
    child.on('message', onMessage);
    child.send(msg as never);
  });
}

async function lagP99Ms(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^nodejs_eventloop_lag_p99_seconds (\S+)/m.exec(text)?.[1] ?? NaN) * 1000;
}

const db = await benchDatabase('storm');
const server = await startServerProcess({ DATABASE_URL: db.url, SOCKET_SEND_RATE: '100000' });
const children: ChildProcess[] = [];
try {
  const t = await benchTenant(server.url, USERS);
  const inbox = await t.post('/v1/inboxes', { name: 'Storm', channel: 'chat' });
  const conversationIds: string[] = [];
  for (let i = 0; i < CONVERSATIONS; i++) conversationIds.push((await t.post('/v1/conversations', { inboxId: inbox.inbox.id })).conversation.id);
  const per = SOCKETS / PROCESSES;
  for (let p = 0; p < PROCESSES; p++) children.push(fork(join(import.meta.dirname, 'lib', 'storm-client.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  await Promise.all(children.map((c, p) => ask(c, { cmd: 'start', cfg: { url: server.url, tokens: t.agents.map((a) => a.token), count: per, conversationIds, offset: p * per } }, 'ready')));

  const sender = await connectSocket(server.url, t.admin);
  await lagP99Ms(server.url); // reading resets the server's lag histogram
  const droppedAt = Date.now();
  await Promise.all(children.map((c) => ask(c, { cmd: 'drop' }, 'dropped')));
  // Messages written while everyone is away: each resync has these to fetch.
  for (let sent = 0; sent < MISSED_MESSAGES; sent++) {
    await sender.timeout(30_000).emitWithAck('message:send', { conversationId: conversationIds[sent % CONVERSATIONS], clientMessageId: `storm-${sent}`, body: 'while you were away' });
  }
  let report = { resyncedAt: [] as number[], total: SOCKETS, connected: 0, attempts: 0, failures: {} as Record<string, number> };
  while (Date.now() - droppedAt < LIMIT_MS) {
    const parts = await Promise.all(children.map((c) => ask<{ resyncedAt: number[]; total: number; connected: number; attempts: number; failures: Record<string, number> }>(c, { cmd: 'report' }, 'resyncedAt')));
    const failures: Record<string, number> = {};
    for (const p of parts) for (const [k, v] of Object.entries(p.failures)) failures[k] = (failures[k] ?? 0) + v;
    report = {
      resyncedAt: parts.flatMap((p) => p.resyncedAt), total: parts.reduce((n, p) => n + p.total, 0), connected: parts.reduce((n, p) => n + p.connected, 0),
      attempts: parts.reduce((n, p) => n + p.attempts, 0), failures,
    };
    if (report.resyncedAt.length === SOCKETS) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const lagMs = await lagP99Ms(server.url);
  sender.close();
  const times = report.resyncedAt.map((at) => at - droppedAt).sort((a, b) => a - b);
  const at = (share: number) => (times.length >= Math.ceil(share * SOCKETS) ? times[Math.ceil(share * SOCKETS) - 1] : null);
  const result = {
    bench: 'reconnect-storm', sockets: SOCKETS, resynced: times.length, resyncedShare: Number((times.length / SOCKETS).toFixed(4)),
    p50Ms: at(0.5), p99Ms: at(0.99), allMs: at(1), missedMessages: MISSED_MESSAGES, reconnectAttempts: report.attempts, connectErrors: report.failures, connectedAtEnd: report.connected, eventLoopLagP99Ms: Number(lagMs.toFixed(1)),
  };
  console.log(JSON.stringify(result));
  console.log(`reconnect-storm: ${result.resynced}/${SOCKETS} back and resynced within ${LIMIT_MS / 1000} s; 99 % by ${result.p99Ms} ms, all by ${result.allMs ?? 'never'} ms; server event-loop lag p99 ${result.eventLoopLagP99Ms} ms; ${MISSED_MESSAGES} messages written while they were away`);
} finally {
  for (const c of children) c.send({ cmd: 'stop' });
  server.stop();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await db.drop();
}
