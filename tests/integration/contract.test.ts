// The contract documents cannot drift from the code: every route is in the OpenAPI document the server serves
// (with a summary: made with doc()) and nothing else is; every event a socket handles is in docs/realtime.md and
// nothing else is; every error code is in both; the committed documents are what the code makes today.
import { readFile } from 'node:fs/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { COMMANDS, EVENTS } from '../../realtime/spec.ts';
import { ERROR_STATUS } from '../../src/contract/error-codes.ts';
import { DOCS_DIR } from '../../src/tools/docs/generate.ts';
import { renderRealtimeDocs } from '../../src/tools/docs/realtime-markdown.ts';
import { startServer, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant } from '../helpers/seed.ts';
import { connect, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
const contract = suite('contract');
/** What the server serves that is not API: the console's files, the documents themselves, the customer's survey page. */
const NOT_API = new Set(['/', '/console.css', '/console.js', '/favicon.ico', '/openapi.json', 'GET /v1/csat/:token']);
const SOCKET_LIFECYCLE = new Set(['disconnect', 'disconnecting', 'error']);

contract.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
});
contract.after(async () => { await server.stop(); });

const operations = (doc: any) => Object.entries(doc.paths as Record<string, Record<string, any>>)
  .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));

contract('every route is in GET /openapi.json with a summary, and the document has no route the server lacks', async () => {
  const res = await call('GET', '/openapi.json');
  assert.is(res.status, 200);
  assert.is(res.body.openapi, '3.1.0');
  const documented = new Set(operations(res.body));
  const served = new Set(server.app.http.routeTable
    .filter((r) => r.method !== 'OPTIONS' && !NOT_API.has(r.url) && !NOT_API.has(`${r.method} ${r.url}`) && !r.url.startsWith('/docs'))
    .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`));
  assert.equal([...served].filter((op) => !documented.has(op)), [], 'routes missing from the document');
  assert.equal([...documented].filter((op) => !served.has(op)), [], 'documented routes the server does not have');
  for (const [path, ops] of Object.entries(res.body.paths as Record<string, Record<string, any>>)) {
    for (const [method, op] of Object.entries(ops)) {
      assert.ok(op.summary, `${method} ${path} has no summary`);
      assert.ok(op.responses && Object.keys(op.responses).some((s) => s.startsWith('2')), `${method} ${path} documents no success`);
    }
  }
});

contract('the committed docs/openapi.json is the served document and docs/realtime.md is what realtime/spec.ts makes', async () => {
  const served = await call('GET', '/openapi.json');
  const committed = JSON.parse(await readFile(`${DOCS_DIR}openapi.json`, 'utf8'));
  assert.equal(committed, served.body, 'docs/openapi.json is out of date: npm run docs');
  assert.is(await readFile(`${DOCS_DIR}realtime.md`, 'utf8'), `${renderRealtimeDocs()}\n`, 'docs/realtime.md is out of date: npm run docs');
});

contract('the events a socket handles are exactly the documented client→server events', async () => {
  const tenant = await seedTenant(call, 'Contract');
  const client: ClientSocket = await connect(server.url, tenant.agentToken);
  try {
    const socket = [...server.app.io.of('/').sockets.values()].find((s) => s.id === client.id);
    assert.ok(socket, 'the server side of the socket');
    const handled = socket!.eventNames().map(String).filter((e) => !SOCKET_LIFECYCLE.has(e)).sort();
    assert.equal(handled, Object.keys(COMMANDS).sort());
  } finally {
    client.close();
  }
  const realtime = await readFile(`${DOCS_DIR}realtime.md`, 'utf8');
  for (const event of [...Object.keys(COMMANDS), ...Object.keys(EVENTS)]) assert.ok(realtime.includes(`### \`${event}\``), `${event} is not in docs/realtime.md`);
});

contract('every error code is in both documents, and the documents name no other', async () => {
  const served = await call('GET', '/openapi.json');
  const codes = Object.keys(ERROR_STATUS).sort();
  assert.equal([...served.body.components.schemas.Error.properties.error.properties.code.enum].sort(), codes);
  const realtime = await readFile(`${DOCS_DIR}realtime.md`, 'utf8');
  const table = realtime.slice(realtime.indexOf('## Error codes'), realtime.indexOf('\n## ', realtime.indexOf('## Error codes') + 3));
  assert.equal([...table.matchAll(/^\| `([A-Z_]+)` \| (\d+) \|$/gm)].map((m) => m[1]).sort(), codes);
  for (const m of table.matchAll(/^\| `([A-Z_]+)` \| (\d+) \|$/gm)) assert.is(Number(m[2]), ERROR_STATUS[m[1] as keyof typeof ERROR_STATUS]);
});

contract('GET /docs renders the document', async () => {
  const res = await fetch(`${server.url}/docs/`, { redirect: 'follow' });
  assert.is(res.status, 200);
  assert.match(await res.text(), /swagger/i);
  const spec = await fetch(`${server.url}/docs/json`);
  assert.is(spec.status, 200);
});

contract.run();
