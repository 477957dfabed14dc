// `npm start` as a new user runs it: first start prints the admin key once; a restart keeps data and secrets.
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { httpClient } from '../helpers/http.ts';
import { startProcess, type ServerProcess } from '../helpers/process.ts';

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

async function boot(): Promise<{ server: ServerProcess; url: string }> {
  const server = startProcess(env);
  running = server;
  const [, url] = await server.waitFor(/"url":"(http:\/\/[^"]+)".*switchboard listening/, START_LIMIT_MS);
  return { server, url };
}

let adminKey = '';
let token = '';

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
  assert.is((await stat(join(dataDir, 'secrets.json'))).mode & 0o777, 0o600);
  const tenant = await call('POST', '/v1/tenants', { headers: { 'x-admin-key': adminKey }, body: { name: 'Persist' } });
  assert.is(tenant.status, 201);
  token = tenant.body.admin.token;
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
  assert.is(await server.stop('SIGTERM'), 0);
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
