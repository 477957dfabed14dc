// `switchboard/client` as a project that installs the package gets it: `npm pack` (its prepack build), unpacked
// into a node_modules folder (where Node does not strip types), resolved through the exports, used against the server.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient } from '../helpers/http.ts';
import { seedTenant } from '../helpers/seed.ts';

const ROOT = join(import.meta.dirname, '..', '..');
// Under the repository, so the consumer finds socket.io-client in its node_modules as an installed copy would.
const CONSUMER = join(ROOT, 'tests', 'output', 'package-consumer');
const INSTALLED = join(CONSUMER, 'node_modules', 'switchboard');
const run = promisify(execFile);

let server: TestServer;
const pkg = suite('client package');

pkg.before(async () => {
  server = await startServer();
  await rm(CONSUMER, { recursive: true, force: true });
  await mkdir(INSTALLED, { recursive: true });
  // A package of its own: without it, Node would resolve 'switchboard' as this repository referring to itself.
  await writeFile(join(CONSUMER, 'package.json'), JSON.stringify({ name: 'package-consumer', private: true, type: 'module' }));
  // What a project installing the package gets: `npm pack` (whose prepack builds the SDK), unpacked.
  const { stdout } = await run('npm', ['pack', '--json', '--silent', '--pack-destination', CONSUMER], { cwd: ROOT });
  const [{ filename }] = JSON.parse(stdout.slice(stdout.indexOf('[')));
  await run('tar', ['-xzf', join(CONSUMER, filename), '-C', INSTALLED, '--strip-components=1']);
});
pkg.after(async () => {
  await server.stop();
});

pkg('the built SDK is plain JavaScript that resolves through the exports and talks to the server', async () => {
  const built = await readFile(join(INSTALLED, 'src', 'clients', 'sdk', 'dist', 'index.js'), 'utf8');
  assert.not.match(built, /from ["']\.\.?\//, 'one bundle, no relative imports left');
  assert.match(built, /from ["']socket\.io-client["']/, 'socket.io-client stays a dependency');
  const call = httpClient(server.url);
  const t = await seedTenant(call, 'Package');
  const conversationId = await newConversation(call, t);
  const consumer = join(CONSUMER, 'bot.mjs');
  await writeFile(consumer, `
    import { connectClient, SwitchboardError } from 'switchboard/client';
    export async function run(url, token, conversationId) {
      const refused = await connectClient({ url, token: 'nope' }).then(() => null, (e) => e);
      const client = await connectClient({ url, token });
      try {
        await client.join(conversationId);
        const sent = await client.send(conversationId, 'from an installed copy');
        return { refusedIsTyped: refused instanceof SwitchboardError && refused.code === 'UNAUTHORIZED', sent };
      } finally {
        client.close();
      }
    }`);
  const { run } = await import(pathToFileURL(consumer).href);
  const { refusedIsTyped, sent } = await run(server.url, t.agentToken, conversationId);
  assert.ok(refusedIsTyped, 'a wrong token is a SwitchboardError UNAUTHORIZED');
  assert.is(sent.body, 'from an installed copy');
  assert.is(sent.seq, 1);
  const stored = await call('GET', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken });
  assert.equal(stored.body.messages.map((m: { body: string }) => m.body), ['from an installed copy']);
});

pkg.run();
