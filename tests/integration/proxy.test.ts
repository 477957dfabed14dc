// Behind compose.yaml's nginx: a browser at http://localhost:<proxy port> opens the console's socket through a
// proxy that sets exactly the headers compose.yaml's nginx sets, against a server with the nodes' settings
// from compose.yaml. The proxy of the old file (Host without the port, nothing forwarded) is refused, as it was.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { composeNodeEnv, composeProxyHeaders, startComposeProxy, type ComposeProxy } from '../helpers/compose-proxy.ts';
import { httpClient } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, ok } from '../helpers/sockets.ts';

let server: TestServer;
let t: SeededTenant;
const proxies: ComposeProxy[] = [];
const proxy = suite('behind the compose proxy');

proxy.before(async () => {
  const env = await composeNodeEnv();
  assert.is(env.TRUST_PROXY, 'true', 'compose.yaml\'s nodes trust their proxy');
  server = await startServer({ TRUST_PROXY: true, ALLOWED_ORIGINS: env.ALLOWED_ORIGINS ? env.ALLOWED_ORIGINS.split(',') : [] });
  t = await seedTenant(httpClient(server.url), 'Proxy');
});
proxy.after(async () => {
  for (const p of proxies) await p.close();
  await server.stop();
});

const pollingHandshake = (port: number, origin: string) =>
  fetch(`http://localhost:${port}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });

proxy('the browser\'s polling handshake and websocket through the proxy are accepted, and the console loads', async () => {
  const headers = Object.fromEntries(await composeProxyHeaders());
  assert.is(headers.Host, '$http_host', 'nginx forwards the host with its port');
  const p = await startComposeProxy(server.url);
  proxies.push(p);
  const origin = `http://localhost:${p.port}`;
  const polling = await pollingHandshake(p.port, origin);
  assert.is(polling.status, 200);
  assert.match(await polling.text(), /^0\{"sid"/);
  const socket = await connect(origin, t.agentToken, { extraHeaders: { origin } });
  try {
    // A command answered over the proxied websocket.
    assert.equal(await ok(socket, 'conversations:watch', {}), {});
    assert.is(socket.io.engine.transport.name, 'websocket');
  } finally {
    socket.close();
  }
  const page = await fetch(`${origin}/`);
  assert.is(page.status, 200);
  // Another site's page is still refused.
  assert.is((await pollingHandshake(p.port, 'http://evil.example')).status, 403);
});

proxy('the old proxy settings ($host drops the port, nothing forwarded) are what made the browser refused', async () => {
  const old = await startComposeProxy(server.url, [['Host', '$host'], ['Upgrade', '$http_upgrade'], ['Connection', 'upgrade']]);
  proxies.push(old);
  assert.is((await pollingHandshake(old.port, `http://localhost:${old.port}`)).status, 403);
});

proxy.run();
