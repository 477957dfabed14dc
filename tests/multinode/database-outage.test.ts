// PostgreSQL unreachable for 10 s under load (the node's connections dropped and new ones refused, through
// a proxy the test cuts): sends get error answers, never an ack without a commit; the node does not crash;
// /health says why; full service returns within 5 s of the database coming back.
// Needs DATABASE_URL (CI sets it).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requiring } from '../helpers/requires.ts';
import * as assert from 'uvu/assert';
import { TEST_ADMIN_KEY, TEST_JWT_SECRET } from '../helpers/app.ts';
import { startNode, type Node } from '../helpers/cluster.ts';
import { newConversation } from '../helpers/conversations.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { httpClient } from '../helpers/http.ts';
import { seedTenant } from '../helpers/seed.ts';
import { connect, type ClientSocket } from '../helpers/sockets.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { until } from '../helpers/wait.ts';

const OUTAGE_MS = 10_000;
const outage = requiring('database outage', ['DATABASE_URL']);
let db: TestDatabase;
let proxy: TcpProxy;
let node: Node;
const sockets: ClientSocket[] = [];

outage.before(async () => {
  db = await createTestDatabase();
  const direct = new URL(db.databaseUrl!);
  proxy = await startTcpProxy(direct.hostname, Number(direct.port || 5432));
  const viaProxy = new URL(db.databaseUrl!);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  node = await startNode({
    PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: viaProxy.toString(), ADMIN_KEY: TEST_ADMIN_KEY, JWT_SECRET: TEST_JWT_SECRET,
    DATA_DIR: await mkdtemp(join(tmpdir(), 'sb-outage-')), SOCKET_SEND_RATE: '1000',
  });
});
outage.after(async () => {
  for (const s of sockets) s.close();
  await node?.process.stop('SIGKILL');
  await proxy?.close();
  await db?.drop();
});

outage('10 s without PostgreSQL under load: error answers, no ack without a commit, no crash, back within 5 s', async () => {
  const call = httpClient(node.url);
  const t = await seedTenant(call, 'Outage');
  const conversationId = await newConversation(call, t);
  const senders = await Promise.all([t.agentToken, t.supervisorToken, t.adminToken].map((token) => connect(node.url, token)));
  sockets.push(...senders);
  const acked = new Map<string, number>();
  const refusals = new Map<string, number>();
  let firstAckAfterRestore = 0;
  let restoredAt = 0;
  let running = true;
  const traffic = senders.map(async (socket, s) => {
    for (let i = 0; running; i++) {
      const clientMessageId = `s${s}-${i}`;
      const t0 = Date.now();
      try {
        const answer: any = await (socket as any).timeout(8000).emitWithAck('message:send', { conversationId, clientMessageId, body: `load ${i}` });
        if (answer.ok) {
          acked.set(clientMessageId, answer.data.message.seq);
          if (restoredAt && !firstAckAfterRestore && t0 >= restoredAt) firstAckAfterRestore = Date.now();
        } else refusals.set(answer.error.code, (refusals.get(answer.error.code) ?? 0) + 1);
      } catch {
        refusals.set('NO ANSWER', (refusals.get('NO ANSWER') ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  await until(() => acked.size >= 20, 10_000, 'sends before the outage');
  await proxy.cut();
  const ackedAtCut = acked.size;
  const cutAt = Date.now();
  await until(() => refusals.size > 0, 5000, 'an error answer during the outage');
  const health = await call('GET', '/health');
  assert.is(health.status, 503);
  assert.match(JSON.stringify(health.body), /database/);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - cutAt)))); // the outage's length is the drill's input
  const ackedDuringOutage = acked.size - ackedAtCut;
  await proxy.restore();
  restoredAt = Date.now();
  await until(() => firstAckAfterRestore, 5000, 'an acked send within 5 s of the database coming back');
  const recoveredMs = firstAckAfterRestore - restoredAt;
  await until(async () => (await call('GET', '/health')).status === 200, 5000, '/health to recover');
  running = false;
  await Promise.all(traffic);

  assert.is(ackedDuringOutage <= senders.length, true, `no acks while the database was away beyond sends already committing (${ackedDuringOutage})`);
  const em = await import('pg').then(async ({ default: pg }) => {
    const client = new pg.Client({ connectionString: db.databaseUrl });
    await client.connect();
    return client;
  });
  try {
    const { rows } = await em.query('select client_message_id, seq from messages where conversation_id = $1 order by seq', [conversationId]);
    const stored = new Map(rows.map((r: { client_message_id: string; seq: number }) => [r.client_message_id, r.seq]));
    for (const [id, seq] of acked) assert.is(stored.get(id), seq, `acked ${id} is committed with its seq`);
    assert.equal(rows.map((r: { seq: number }) => r.seq), rows.map((_: unknown, i: number) => i + 1), 'seq gap-free');
  } finally {
    await em.end();
  }
  assert.is(node.process.child.exitCode, null, 'the node did not crash');
  assert.not.match(node.process.output(), /unhandled|uncaught/i);
  console.log(`  database outage: ${OUTAGE_MS / 1000} s, ${acked.size} acked (all committed), refused ${JSON.stringify(Object.fromEntries(refusals))}, service back ${recoveredMs} ms after the database`);
});

outage.run();
