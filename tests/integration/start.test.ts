// `npm start` as a new user runs it: first start prints the admin key once; a restart keeps data and secrets.
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { httpClient } from '../helpers/http.ts';
import { startProcess, type ServerProcess } from '../helpers/process.ts';
import { connect, request } from '../helpers/sockets.ts';

const START_LIMIT_MS = 15_000;
let db: TestDatabase;
let dataDir: string;
let env: Record<string, string>;
let running: ServerProcess | undefined;

const start = suite('start');

start.before(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'sb-start-'));
  // PORT=0 picks a free port; the listening line tells which.
  env = { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}) };
});
start.after(async () => {
  await running?.stop('SIGKILL');
  await db.drop();
});

async function boot(args: string[] = []): Promise<{ server: ServerProcess; url: string }> {
  const server = startProcess(env, args);
  running = server;
  const [, url] = await server.waitFor(/"url":"(http:\/\/[^"]+)".*switchboard listening/, START_LIMIT_MS);
  return { server, url };
}

let adminKey = '';
let token = '';
/** A conversation under an SLA policy, made before the restart. */
let conversationId = '';

start('the first start migrates, serves /health and prints the admin key once', async () => {
  const { server, url } = await boot();
  const call = httpClient(url);
  const health = await call('GET', '/health');
  assert.is(health.status, 200);
  assert.equal(health.body, { status: 'ok' });
  const [, key] = server.output().match(/Admin key[^:]*: (\S+)/) ?? [];
  assert.ok(key, 'admin key printed');
  adminKey = key;
  assert.not.ok(server.output().split(key).length > 2, 'the key is printed exactly once');
  assert.match(server.output(), `Console: ${url}/`);
  await server.waitFor(/No tenants yet: `npm start -- --demo`/, START_LIMIT_MS);
  assert.is((await stat(join(dataDir, 'secrets.json'))).mode & 0o777, 0o600);
  const tenant = await call('POST', '/v1/tenants', { headers: { 'x-admin-key': adminKey }, body: { name: 'Persist' } });
  assert.is(tenant.status, 201);
  token = tenant.body.admin.token;
  const policy = await call('POST', '/v1/sla-policies', { token, body: { name: 'Standard', firstResponseMinutes: 60, resolutionMinutes: 480 } });
  const inbox = await call('POST', '/v1/inboxes', { token, body: { name: 'Support', channel: 'chat', slaPolicyId: policy.body.policy.id } });
  const conversation = await call('POST', '/v1/conversations', { token, body: { inboxId: inbox.body.inbox.id } });
  assert.is(conversation.status, 201);
  conversationId = conversation.body.conversation.id;
  assert.is(await server.stop('SIGTERM'), 0);
});

start('a restart keeps the data and the secrets and prints no key', async () => {
  const { server, url } = await boot();
  const call = httpClient(url);
  assert.not.match(server.output(), /Admin key/);
  const users = await call('GET', '/v1/users', { token });
  assert.is(users.status, 200, 'the old token still verifies and its user still exists');
  assert.is(users.body.users.length, 1);
  const again = await call('POST', '/v1/tenants', { headers: { 'x-admin-key': adminKey }, body: { name: 'Second' } });
  assert.is(again.status, 201);
  // The restarted node has not read the conversation's SLA policy yet: the send reads it inside its own transaction
  // (on the embedded database a read beside that transaction waited for it forever, and every statement after it).
  const socket = await connect(url, token);
  const sent = await request(socket, 'message:send', { conversationId, body: 'after the restart', clientMessageId: crypto.randomUUID() })
    .catch(async (err: unknown) => { await server.stop('SIGKILL'); throw err; }) // a stuck node would outlive the suite
    .finally(() => socket.close());
  assert.ok(sent.ok, JSON.stringify(sent));
  assert.is(sent.data.message.seq, 1);
  assert.is((await call('GET', '/v1/users', { token })).status, 200, 'the database still answers');
  assert.is(await server.stop('SIGTERM'), 0);
});

start('--demo builds a demo tenant once and prints sign-in links that open the console, a customer command and the bot command', async () => {
  const first = await boot(['--demo', '--no-simulation']);
  const [, botUrl, botKey, inboxId] = await first.server.waitFor(/SWITCHBOARD_URL=(\S+) SWITCHBOARD_BOT_KEY=(sbk_\S+) SWITCHBOARD_INBOX_ID=(\S+) node examples\/faq-bot.ts/, START_LIMIT_MS);
  assert.is(botUrl, first.url, 'the bot command names the server, whatever its port');
  const links = [...first.server.output().matchAll(/^  (.+) \((admin|supervisor|agent)\): (http\S+)#token=(\S+)$/gm)];
  assert.equal(links.map((l) => l[2]), ['admin', 'supervisor', 'agent', 'agent', 'agent']);
  const call = httpClient(first.url);
  const supervisorToken = links[1][4];
  const users = await call('GET', '/v1/users', { token: supervisorToken });
  assert.is(users.status, 200);
  assert.is(users.body.users.length, 6, 'admin, supervisor, three agents and the bot');
  const inbox = await call('GET', `/v1/inboxes/${inboxId}`, { token: links[0][4] });
  assert.is(inbox.body.inbox.autoAssign, true, 'the demo inbox assigns by round robin');
  const bot = await connect(first.url, botKey);
  bot.close();
  // The printed customer command delivers a signed message.
  const [, secret] = first.server.output().match(/npm run inbound -- --url \S+ --inbox \S+ --secret (\S+)/)!;
  const inbound = await call('GET', `/v1/inboxes/${inboxId}/secret`, { token: links[0][4] });
  assert.is(inbound.body.webhookSecret, secret, 'the printed secret is the inbox\'s, and an admin can read it again');
  const page = await fetch(links[0][3]);
  assert.match(await page.text(), /<script type="module" src="\/console.js">/);
  const script = await fetch(new URL('/console.js', first.url));
  assert.is(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.ok((await script.text()).length > 10_000, 'the bundled console and SDK');
  assert.is(await first.server.stop('SIGTERM'), 0);

  // Again: the same tenant, fresh links, the same bot key.
  const second = await boot(['--demo', '--no-simulation']);
  await second.server.waitFor(/SWITCHBOARD_BOT_KEY=/, START_LIMIT_MS);
  assert.match(second.server.output(), `SWITCHBOARD_BOT_KEY=${botKey} `);
  const again = await httpClient(second.url)('GET', '/v1/users', { token: second.server.output().match(/Sam Supervisor \(supervisor\): \S+#token=(\S+)/)![1] });
  assert.equal(again.body.users.map((u: { id: string }) => u.id).sort(), users.body.users.map((u: { id: string }) => u.id).sort());
  assert.is(await second.server.stop('SIGTERM'), 0);
});

start('bad configuration stops the start with every problem named', async () => {
  const server = startProcess({ ...env, PORT: 'x', LOG_LEVEL: 'chatty' });
  running = server;
  await server.waitFor(/invalid configuration/, START_LIMIT_MS);
  const exited = await new Promise<number | null>((resolve) => {
    if (server.child.exitCode !== null) resolve(server.child.exitCode);
    else server.child.once('exit', (code) => resolve(code));
  });
  assert.is(exited, 1);
  assert.match(server.output(), /PORT/);
  assert.match(server.output(), /LOG_LEVEL/);
});

start.run();
