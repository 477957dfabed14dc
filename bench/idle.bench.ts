// Server memory per idle socket: 10,000 authenticated Switchboard sockets in their rooms, next to the same
// number of plain Socket.IO sockets in two rooms each, in the same run. Clients here, servers in child
// processes, loopback only. Prints RSS growth per socket for both and the ratio.
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { BENCH_ADMIN_KEY, rssOf, startServerProcess } from './lib/server-process.ts';

const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 10_000);
const USERS = 100; // sockets share users, as agents with several tabs and devices do
const BATCH = 200;

async function openSockets(url: string, tokens: (string | undefined)[]): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < SOCKETS; i += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, SOCKETS - i) }, (_, j) => new Promise<Socket>((resolve, reject) => {
      const token = tokens[(i + j) % tokens.length];
      const s = io(url, { auth: token ? { token } : {}, transports: ['websocket'], forceNew: true, reconnection: false });
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    })));
    sockets.push(...batch);
  }
  return sockets;
}

async function settledRss(pid: number): Promise<number> {
  if (global.gc) global.gc();
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let the server finish the handshakes' work
  return rssOf(pid);
}

async function measure(label: string, server: { url: string; pid: number }, tokens: (string | undefined)[]) {
  const before = await settledRss(server.pid);
  const started = performance.now();
  const sockets = await openSockets(server.url, tokens);
  const connectMs = performance.now() - started;
  const after = await settledRss(server.pid);
  for (const s of sockets) s.close();
  return { label, sockets: sockets.length, rssBeforeMb: Math.round(before / 2 ** 20), rssAfterMb: Math.round(after / 2 ** 20), bytesPerSocket: Math.round((after - before) / sockets.length), connectMs: Math.round(connectMs) };
}

const server = await startServerProcess({ DATA_DIR: ':memory:', LOG_LEVEL: 'info' });
const plain = await startServerProcess({}, join(import.meta.dirname, 'lib', 'echo-server.ts'));
try {
  const post = async (path: string, body: unknown, headers: Record<string, string>) =>
    (await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })).json() as Promise<any>;
  const tenant = await post('/v1/tenants', { name: 'Idle', defaultInboxVisibility: 'share_everything' }, { 'x-admin-key': BENCH_ADMIN_KEY });
  const tokens: string[] = [];
  for (let i = 0; i < USERS; i++) tokens.push((await post('/v1/users', { name: `Agent ${i}`, role: 'agent' }, { authorization: `Bearer ${tenant.admin.token}` })).token);
  const raw = await measure('plain Socket.IO', plain, [undefined]);
  const sb = await measure('Switchboard', server, tokens);
  const result = { bench: 'idle', switchboard: sb, raw, ratio: Number((sb.bytesPerSocket / raw.bytesPerSocket).toFixed(2)) };
  console.log(JSON.stringify(result));
  console.log(`idle: ${sb.sockets} sockets, Switchboard ${sb.bytesPerSocket} B/socket (connected in ${sb.connectMs} ms), plain Socket.IO ${raw.bytesPerSocket} B/socket (${raw.connectMs} ms); ratio ${result.ratio}`);
} finally {
  server.stop();
  plain.stop();
}
