// Two nodes behind PgBouncer in transaction pooling mode (Debian's 1.18, started by .ci/run; PGBOUNCER_URL
// names it): starting together on an empty database one migrates under the lock and the other finds it done;
// row-level security's per-transaction settings never leak between tenants sharing server connections; group
// commit keeps seq gap-free; the SLA engines of both nodes alert once. Named prepared statements are off
// (DATABASE_PREPARED_STATEMENTS=false): PgBouncer 1.18 does not carry them across transactions.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { TEST_ADMIN_KEY, TEST_JWT_SECRET, TEST_LIMITS, TEST_WEBHOOK_ALLOW } from '../helpers/app.ts';
import { startNode, type Node } from '../helpers/cluster.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { httpClient } from '../helpers/http.ts';
import { requiring } from '../helpers/requires.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { collect, connect, ok, waitFor, type ClientSocket } from '../helpers/sockets.ts';

const bouncer = requiring('two nodes behind PgBouncer (transaction pooling)', ['DATABASE_URL', 'REDIS_URL', 'PGBOUNCER_URL']);
let db: TestDatabase;
let nodes: Node[] = [];
let a: SeededTenant;
let b: SeededTenant;
const sockets: ClientSocket[] = [];

bouncer.before(async () => {
  db = await createTestDatabase();
  // The same new database, reached through PgBouncer.
  const url = new URL(process.env.PGBOUNCER_URL!);
  url.pathname = new URL(db.databaseUrl!).pathname;
  const env = {
    PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: url.toString(), DATABASE_PREPARED_STATEMENTS: 'false', REDIS_URL: process.env.REDIS_URL!,
    ADMIN_KEY: TEST_ADMIN_KEY, JWT_SECRET: TEST_JWT_SECRET, WEBHOOK_ALLOW_PRIVATE: TEST_WEBHOOK_ALLOW, ...TEST_LIMITS, VALIDATE_RESPONSES: 'true',
  };
  // Both start at once on the empty database: the migrations' lock is what keeps them apart.
  nodes = await Promise.all([0, 1].map(async () => startNode({ ...env, DATA_DIR: await mkdtemp(join(tmpdir(), 'sb-bouncer-')) })));
  a = await seedTenant(httpClient(nodes[0].url), 'Bouncer A');
  b = await seedTenant(httpClient(nodes[1].url), 'Bouncer B');
});
bouncer.after(async () => {
  for (const s of sockets) s.close();
  await Promise.all(nodes.map((n) => n.process.stop('SIGKILL')));
  await db?.drop();
});

bouncer('starting together, one node applied the migrations and the other found them done', () => {
  const applied = nodes.filter((n) => /"msg":"migrations applied"/.test(n.process.output()));
  assert.is(applied.length, 1, nodes.map((n) => n.process.output().slice(0, 2000)).join('\n---\n'));
});

bouncer('row-level security: 200 interleaved requests of two tenants on shared server connections each see only their own tenant', async () => {
  const ids = { a: await newConversation(httpClient(nodes[0].url), a), b: await newConversation(httpClient(nodes[1].url), b) };
  const answers = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
    const [who, t] = i % 2 ? ['b', b] as const : ['a', a] as const;
    const res = await httpClient(nodes[i % 2 ? 0 : 1].url)('GET', '/v1/conversations', { token: t.agentToken });
    assert.is(res.status, 200, JSON.stringify(res.body));
    return { who, ids: res.body.conversations.map((c: { id: string }) => c.id) as string[] };
  }));
  for (const answer of answers) {
    assert.ok(answer.ids.includes(ids[answer.who]), 'its own conversation');
    assert.not.ok(answer.ids.includes(ids[answer.who === 'a' ? 'b' : 'a']), 'never the other tenant\'s');
  }
  const across = await httpClient(nodes[0].url)('GET', `/v1/conversations/${ids.b}`, { token: a.agentToken });
  assert.is(across.status, 404);
});

bouncer('group commit: 100 concurrent sends from both nodes into one conversation get seq 1..100 with no gap', async () => {
  const conversationId = await newConversation(httpClient(nodes[0].url), a);
  const senders = await Promise.all(nodes.map(async (n) => { const s = await connect(n.url, a.agentToken); sockets.push(s); return s; }));
  const sent = await Promise.all(Array.from({ length: 100 }, (_, i) =>
    ok(senders[i % 2], 'message:send', { conversationId, clientMessageId: `bouncer-${i}`, body: `m${i}` })));
  assert.equal(sent.map((r) => r.message.seq).sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i + 1));
  const synced = await ok(senders[1], 'conversation:sync', { conversationId, afterSeq: 0, limit: 500 });
  assert.equal(synced.messages.map((m: { seq: number }) => m.seq), Array.from({ length: 100 }, (_, i) => i + 1));
});

bouncer('the SLA engines of both nodes alert each breach once', async () => {
  const call = httpClient(nodes[0].url);
  const policy = await call('POST', '/v1/sla-policies', { token: a.adminToken, body: { name: 'Quick', firstResponseMinutes: 0.03, resolutionMinutes: 0.06 } });
  const inbox = await call('POST', '/v1/inboxes', { token: a.adminToken, body: { name: 'SLA', channel: 'sms', slaPolicyId: policy.body.policy.id } });
  const supervisors = await Promise.all(nodes.map(async (n) => { const s = await connect(n.url, a.supervisorToken); sockets.push(s); return s; }));
  const seen = supervisors.map((s) => collect(s, 'sla:breach'));
  const res = await signedInbound(httpClient(nodes[1].url), inbox.body.inbox.id, inbox.body.webhookSecret, { externalId: 'bouncer-sla', from: { handle: '+15550777' }, body: 'help' });
  const id = res.body.conversationId;
  await Promise.all(supervisors.map((s) => waitFor(s, 'sla:breach', (e: any) => e.conversationId === id && e.kind === 'resolution', 15_000)));
  for (const s of seen) {
    s.stop();
    assert.equal(s.items.filter((e: any) => e.conversationId === id).map((e: any) => e.kind).sort(), ['first_response', 'resolution']);
  }
  const breaches = await call('GET', `/v1/sla/breaches`, { token: a.supervisorToken });
  assert.is(breaches.status, 200, JSON.stringify(breaches.body));
  assert.is(breaches.body.breaches.filter((x: any) => x.conversationId === id).length, 2);
});

bouncer.run();
