// A loopback reverse proxy that sets the request headers compose.yaml's nginx sets (its proxy_set_header lines,
// with nginx's variables), for plain requests and websocket upgrades: the proxy a browser goes through.
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect as tcpConnect, type AddressInfo } from 'node:net';

export interface ComposeProxy { port: number; close(): Promise<void> }

const COMPOSE = new URL('../../compose.yaml', import.meta.url);

/** The nginx config's `proxy_set_header Name value;` lines (compose writes `$$` for nginx's `$`). */
export async function composeProxyHeaders(): Promise<[string, string][]> {
  const text = await readFile(COMPOSE, 'utf8');
  return [...text.matchAll(/^\s*proxy_set_header\s+(\S+)\s+(.+?);/gm)].map((m) => [m[1], m[2].replaceAll('$$', '$').replace(/^"(.*)"$/, '$1')]);
}

/** The nodes' environment in compose.yaml (the `KEY: value` lines of the node's environment block). */
export async function composeNodeEnv(): Promise<Record<string, string>> {
  const text = await readFile(COMPOSE, 'utf8');
  const block = text.slice(text.indexOf('environment: &node-env'), text.indexOf('depends_on:', text.indexOf('environment: &node-env')));
  return Object.fromEntries([...block.matchAll(/^\s+([A-Z_]+):\s*"?([^"\n]*)"?\s*$/gm)].map((m) => [m[1], m[2]]));
}

function nginxValue(value: string, req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return value.replace(/\$(\w+)/g, (_, name: string) => {
    switch (name) {
      case 'http_host': return host;
      case 'host': return host.replace(/:\d+$/, '');
      case 'scheme': return 'http';
      case 'http_upgrade': return req.headers.upgrade ?? '';
      case 'remote_addr': return req.socket.remoteAddress ?? '';
      case 'proxy_add_x_forwarded_for': return [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
      default: throw new Error(`the test proxy does not know nginx's $${name}`);
    }
  });
}

/** Proxies to `target` with compose.yaml's header lines, or with the given ones. */
export async function startComposeProxy(target: string, given?: [string, string][]): Promise<ComposeProxy> {
  const { hostname, port } = new URL(target);
  const directives = given ?? await composeProxyHeaders();
  const headersFor = (req: IncomingMessage) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = value;
    for (const [name, value] of directives) headers[name.toLowerCase()] = nginxValue(value, req);
    return headers;
  };
  const server = createServer((req, res) => {
    const upstream = httpRequest({ host: hostname, port, method: req.method, path: req.url, headers: headersFor(req) }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => { res.writeHead(502).end(); });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, client, head) => {
    const upstream = tcpConnect({ host: hostname, port: Number(port) }, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(headersFor(req)).flatMap(([k, v]) => [v].flat().map((x) => `${k}: ${x}`))];
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const s of [client, upstream]) s.on('error', () => { client.destroy(); upstream.destroy(); });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
