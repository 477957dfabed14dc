// The attacks of the security review, each reproduced against the real server: role changes on open sockets,
// tokens revived by a reactivation, webhooks to internal addresses, crafted cursors, unthrottled guessing and
// floods, the socket origin's scheme, names with bidi overrides, errors echoing huge bodies, and the headers.
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { startProcess } from '../helpers/process.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok, request, waitFor, type ClientSocket } from '../helpers/sockets.ts';
import { until } from '../helpers/wait.ts';
import { startReceiver } from '../helpers/webhook-receiver.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
const sockets: ClientSocket[] = [];
const security = suite('security');

security.before(async () => {
  // The default address policy (public only), as a server started without settings has, and a low socket cap.
  server = await startServer({ WEBHOOK_ALLOW_PRIVATE: { allowAll: false, allowed: [] }, MAX_SOCKETS_PER_USER: 3, WEBHOOK_RETRY_SCHEDULE: [60] });
  call = httpClient(server.url);
  t = await seedTenant(call, 'Security');
});
security.after(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

async function person(role: string, name = `${role} ${crypto.randomUUID().slice(0, 4)}`) {
  const res = await call('POST', '/v1/users', { token: t.adminToken, body: { name, role } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.user.id as string, token: res.body.token as string };
}

async function socketOf(token: string): Promise<ClientSocket> {
  const s = await connect(server.url, token);
  sockets.push(s);
  return s;
}

security('a demoted supervisor\'s open socket loses the supervisor room and rights at once', async () => {
  const sam = await person('supervisor');
  const socket = await socketOf(sam.token);
  const conversationId = await newConversation(call, t);
  await ok(socket, 'conversation:assign', { conversationId, assigneeId: t.agentId });
  const updated = waitFor(socket, 'session:updated', (e: { role: string }) => e.role === 'agent', 5000);
  await call('PATCH', `/v1/users/${sam.id}`, { token: t.adminToken, body: { role: 'agent' } });
  await updated;
  const refused = await request(socket, 'conversation:assign', { conversationId, assigneeId: null });
  assert.is(refused.ok ? 'OK' : refused.error.code, 'FORBIDDEN');
  const sockets = await server.app.io.in(`supervisors:${t.tenantId}`).fetchSockets();
  assert.not.ok(sockets.some((s) => s.data.userId === sam.id), 'left supervisors:<tid>');
});

security('a demoted admin\'s joined masked thread turns masked on its socket; sync answers no bodies', async () => {
  const ada = await person('admin');
  const inbox = (await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Masked', channel: 'chat', visibility: 'metadata' } })).body.inbox;
  const conversation = (await call('POST', '/v1/conversations', { token: t.adminToken, body: { inboxId: inbox.id, contactId: t.contactId } })).body.conversation;
  await call('POST', `/v1/conversations/${conversation.id}/messages`, { token: t.adminToken, body: { clientMessageId: 'a1', body: 'only admins' } });
  const socket = await socketOf(ada.token);
  await ok(socket, 'conversation:join', { conversationId: conversation.id });
  assert.is((await ok(socket, 'conversation:sync', { conversationId: conversation.id, afterSeq: 0 })).messages[0].body, 'only admins');
  const updated = waitFor(socket, 'session:updated', (e: { role: string }) => e.role === 'agent', 5000);
  await call('PATCH', `/v1/users/${ada.id}`, { token: t.adminToken, body: { role: 'agent' } });
  await updated;
  const after = await ok(socket, 'conversation:sync', { conversationId: conversation.id, afterSeq: 0 });
  assert.is(after.messages[0].body, '');
  assert.is(after.messages[0].masked, true);
  const live = waitFor<{ message: { clientMessageId: string; body: string } }>(socket, 'message:new', (e) => e.message.clientMessageId === 'a2');
  await call('POST', `/v1/conversations/${conversation.id}/messages`, { token: t.adminToken, body: { clientMessageId: 'a2', body: 'after the demotion' } });
  assert.is((await live).message.body, '', 'it hears the masked form live');
});

security('deactivating cuts a person\'s tokens for good: reactivation does not revive them', async () => {
  const ann = await person('agent');
  assert.is((await call('GET', '/v1/users', { token: ann.token })).status, 200);
  await call('PATCH', `/v1/users/${ann.id}`, { token: t.adminToken, body: { active: false } });
  await call('PATCH', `/v1/users/${ann.id}`, { token: t.adminToken, body: { active: true } });
  assert.is((await call('GET', '/v1/users', { token: ann.token })).status, 401);
  const fresh = await call('POST', `/v1/users/${ann.id}/token`, { token: t.adminToken });
  assert.is((await call('GET', '/v1/users', { token: fresh.body.token })).status, 200);
});

security('webhooks refuse internal addresses in every notation, and deliveries never connect to one', async () => {
  const receiver = await startReceiver(() => 200);
  try {
    const port = new URL(receiver.url).port;
    for (const host of ['127.0.0.1', '0x7f000001', '2130706433', '0177.0.0.1', '127.1', '[::1]', '[::ffff:127.0.0.1]', '0.0.0.0', 'localhost', 'foo.localhost',
      '169.254.169.254', '10.0.0.5', '192.168.1.1', '172.16.0.1', '[fd00::1]', '[fe80::1]', '100.64.0.1']) {
      const res = await call('POST', '/v1/webhooks', { token: t.adminToken, body: { url: `http://${host}:${port}/hook`, events: ['message.created'] } });
      assert.is(res.status, 400, `${host}: ${res.status}`);
      assert.match(res.body.error.message, /refused: private address/);
    }
    assert.is((await call('POST', '/v1/webhooks', { token: t.adminToken, body: { url: 'https://hooks.example.com/x', events: ['message.created'] } })).status, 201);
    // Rows from before this check (or a name that resolves inside) are refused when sending, without a connection.
    for (const url of [`http://[::ffff:7f00:1]:${port}/legacy`, `http://localhost:${port}/legacy`]) {
      const created = await call('POST', '/v1/webhooks', { token: t.adminToken, body: { url: 'https://hooks.example.com/y', events: ['message.created'] } });
      await server.app.orm.em.fork().getConnection().execute('update webhooks set url = ? where id = ?', [url, created.body.webhook.id]);
    }
    const conversationId = await newConversation(call, t);
    await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken, body: { clientMessageId: 'hook-1', body: 'hi' } });
    const list = (await call('GET', '/v1/webhooks', { token: t.adminToken })).body.webhooks.filter((w: { url: string }) => w.url.includes('legacy'));
    assert.is(list.length, 2);
    for (const w of list) {
      const delivery = await until(async () => (await call('GET', `/v1/webhooks/${w.id}/deliveries`, { token: t.adminToken })).body.deliveries
        .find((d: { lastError: string | null }) => d.lastError), 10_000, 'the delivery to be refused');
      assert.is(delivery.lastError, 'refused: private address');
      assert.is(delivery.lastStatus, null);
    }
    assert.is(receiver.received.length, 0, 'nothing reached the internal receiver');
  } finally {
    await receiver.close();
  }
});

security('crafted cursors are VALIDATION, never INTERNAL', async () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  for (const cursor of [b64({ t: 'x', id: 'y' }), b64({ t: '+275760-09-13T00:00:00.000Z', id: crypto.randomUUID() }), b64({ t: null, id: 'x' }), 'not-base64!', b64([1, 2]), b64({ t: '2026-01-01T00:00:00Z', id: crypto.randomUUID(), x: 1 })]) {
    for (const path of [`/v1/conversations?cursor=${cursor}`, `/v1/contacts/${t.contactId}/history?cursor=${cursor}`, `/v1/entities/contact/${t.contactId}/timeline?cursor=${cursor}`, `/v1/entities/contact/${t.contactId}/conversations?cursor=${cursor}`]) {
      const res = await call('GET', path, { token: t.agentToken });
      assert.is(res.status, 400, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.is(res.body.error.code, 'VALIDATION');
    }
  }
});

security('names lose bidi overrides and invisible characters; nameSafe is safe inside attributes', async () => {
  const res = await call('POST', '/v1/contacts', { token: t.agentToken, body: { name: '\u202Enimda\u200B "x" \u2066' } });
  assert.is(res.status, 201);
  assert.is(res.body.contact.name, 'nimda "x"');
  assert.is(res.body.contact.nameSafe, 'nimda &quot;x&quot;');
  const invisible = await call('POST', '/v1/contacts', { token: t.agentToken, body: { name: '\u200B\u202E\u3164' } });
  assert.is(invisible.status, 400);
});

security('an error names at most a few unknown keys, whatever the body', async () => {
  const wide = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, 1]));
  const res = await call('POST', '/v1/contacts', { token: t.agentToken, body: { name: 'x', ...wide } });
  assert.is(res.status, 400);
  assert.ok(JSON.stringify(res.body).length < 1200, `${JSON.stringify(res.body).length} bytes`);
  assert.match(res.body.error.message, /and 59995 more/);
});

security('the socket origin check compares the scheme, not only host and port', async () => {
  const own = await connect(server.url, t.agentToken, { extraHeaders: { origin: server.url } });
  own.close();
  const other = server.url.replace('http://', 'https://');
  await connect(server.url, t.agentToken, { extraHeaders: { origin: other } }).then(
    (s) => { s.close(); assert.unreachable('an https origin on a plain http server was accepted'); },
    (err: Error) => assert.ok(err));
});

security('security headers on every answer', async () => {
  const res = await fetch(`${server.url}/`);
  assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.not.match(res.headers.get('content-security-policy') ?? '', /unsafe-inline/);
  assert.is(res.headers.get('x-frame-options'), 'DENY');
  assert.is(res.headers.get('x-content-type-options'), 'nosniff');
  assert.is(res.headers.get('referrer-policy'), 'no-referrer');
  // An API answer and an error carry them too.
  for (const answer of [await fetch(`${server.url}/health`), await fetch(`${server.url}/v1/conversations`)]) {
    assert.is(answer.headers.get('x-frame-options'), 'DENY', answer.url);
    assert.match(answer.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  }
});

security('per-user socket cap: past it the handshake is RATE_LIMITED', async () => {
  const capped = await person('agent');
  for (let i = 0; i < 3; i++) await socketOf(capped.token);
  await connect(server.url, capped.token).then(
    (s) => { s.close(); assert.unreachable('a fourth socket was accepted'); },
    (err: Error) => assert.is(err.message, 'RATE_LIMITED'));
});

security.run();

// ---

const limits = suite('rate limits');
let limited: TestServer;
let lt: SeededTenant;

limits.before(async () => {
  limited = await startServer({ HTTP_WRITE_RATE: 30, AUTH_FAILURES_PER_MINUTE: 20 });
  lt = await seedTenant(httpClient(limited.url), 'Limits');
});
limits.after(async () => { await limited.stop(); });

limits('HTTP writes are limited per credential: a burst of sends gets RATE_LIMITED past the rate', async () => {
  const conversationId = await newConversation(httpClient(limited.url), lt);
  const answers = await Promise.all(Array.from({ length: 80 }, (_, i) =>
    httpClient(limited.url)('POST', `/v1/conversations/${conversationId}/messages`, { token: lt.supervisorToken, body: { clientMessageId: `burst-${i}`, body: 'x' } })));
  const statuses = answers.map((a) => a.status);
  assert.ok(statuses.filter((s) => s === 429).length >= 40, JSON.stringify(statuses));
  assert.ok(answers.filter((a) => a.status === 429).every((a) => a.body.error.code === 'RATE_LIMITED'));
  const stored = (await httpClient(limited.url)('GET', `/v1/conversations/${conversationId}/messages?limit=500`, { token: lt.adminToken })).body.messages.length;
  assert.is(stored, statuses.filter((s) => s === 201).length, 'a refused send stores nothing');
});

limits('admin-key and token guessing is throttled per address', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) {
    statuses.push((await httpClient(limited.url)('POST', '/v1/tenants', { headers: { 'x-admin-key': `wrong-key-${i}-0123456789` }, body: { name: 'x' } })).status);
  }
  assert.is(statuses.filter((s) => s === 401).length, 20);
  assert.ok(statuses.slice(20).every((s) => s === 429), JSON.stringify(statuses));
  // The right key is refused too while the address is blocked: guessing gains nothing by being right.
  assert.is((await httpClient(limited.url)('POST', '/v1/tenants', { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { name: 'x' } })).status, 429);
});

limits.run();

// ---

const dataDir = suite('data folder');

dataDir('a fresh, nested DATA_DIR with both secrets in the environment starts; the folder is the user\'s only', async () => {
  const db = await createTestDatabase();
  const dir = join(await mkdtemp(join(tmpdir(), 'sb-datadir-')), 'nested', 'data');
  const server = startProcess({
    PORT: '0', LOG_LEVEL: 'info', DATA_DIR: dir, ADMIN_KEY: TEST_ADMIN_KEY, JWT_SECRET: 'a-jwt-secret-of-at-least-32-characters!!',
    ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}),
  });
  try {
    const [, url] = await server.waitFor(/"url":"(http:\/\/[^"]+)".*switchboard listening/, 20_000);
    assert.is((await httpClient(url)('GET', '/health')).status, 200);
    const open: string[] = [];
    const walk = async (path: string): Promise<void> => {
      const info = await stat(path);
      if (info.mode & 0o077) open.push(`${path} ${(info.mode & 0o777).toString(8)}`);
      if (info.isDirectory()) for (const entry of await readdir(path)) await walk(join(path, entry));
    };
    // On PostgreSQL with both secrets given nothing needs the folder; the embedded database lives in it.
    if (db.kind === 'pglite' || await stat(dir).then(() => true, () => false)) await walk(dir);
    assert.equal(open.slice(0, 5), []);
  } finally {
    await server.stop('SIGKILL');
    await db.drop();
  }
});

dataDir.run();
