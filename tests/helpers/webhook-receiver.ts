// A local HTTP endpoint for webhook tests: records every request and answers as the test says.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  remotePort: number;
}

/** 'hang': never answer (until the receiver closes). */
export type Answer = number | 'hang' | { status: number; headers: Record<string, string> };

export interface Receiver {
  url: string;
  received: Received[];
  /** Resolves once `count` requests matched (checked at once too); rejects after the timeout. */
  waitFor(match: (r: Received) => boolean, count?: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(answer: (r: Received, seen: number) => Answer): Promise<Receiver> {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const hanging = new Set<IncomingMessage>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        path: req.url ?? '/', body: Buffer.concat(chunks).toString('utf8'), remotePort: req.socket.remotePort ?? 0,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      };
      received.push(r);
      const seen = received.filter((x) => x.headers['webhook-id'] === r.headers['webhook-id']).length;
      const a = answer(r, seen);
      for (const w of waiters) w();
      if (a === 'hang') { hanging.add(req); return; }
      if (typeof a === 'number') res.writeHead(a).end();
      else res.writeHead(a.status, a.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitFor(match, count = 1, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hits = received.filter(match);
          if (hits.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(hits);
        };
        const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`receiver: ${received.filter(match).length} of ${count} requests within ${timeoutMs} ms`)); }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      for (const req of hanging) req.socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
