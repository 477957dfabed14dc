// A loopback TCP proxy a test can cut: while cut it drops every live connection and refuses new ones,
// which is what a node sees when its database goes away; restore listens on the same port again.
import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const live = new Set<Socket>();
  let server: Server;
  const listen = async (port: number) => {
    server = createServer((client) => {
      const upstream = createConnection({ host: targetHost, port: targetPort });
      for (const s of [client, upstream]) {
        live.add(s);
        s.on('error', () => undefined);
        s.on('close', () => { live.delete(s); client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as { port: number }).port;
  };
  const port = await listen(0);
  const stop = async () => {
    for (const s of live) s.destroy();
    if (server.listening) {
      server.close();
      await once(server, 'close');
    }
  };
  return { port, cut: stop, restore: async () => { await listen(port); }, close: stop };
}
