// A client process for the reconnect storm: opens its sockets with Socket.IO's own reconnection (jittered
// back-off), each joined to one conversation and tracking the last seq it holds. On `drop` every socket's
// transport is closed at once, as a network blip would; each reconnect joins again and syncs from its last
// seq. Reports when each socket was back and resynced. Driven by its parent over IPC.
import { io, type Socket } from 'socket.io-client';
import { serveParent } from './child-ipc.ts';

/** Socket n uses pairs[n] when given (token and conversation of one tenant), else tokens and conversations in turn. */
interface Start { url: string; tokens?: string[]; conversationIds?: string[]; pairs?: { token: string; conversationId: string }[]; count: number; offset: number }

const sockets: Socket[] = [];
const lastSeq: number[] = [];
const resyncedAt: number[] = [];
const failures = new Map<string, number>();
let attempts = 0;
let droppedAt = 0;

async function resync(s: Socket, i: number, conversationId: string): Promise<void> {
  const joined = await s.timeout(30_000).emitWithAck('conversation:join', { conversationId });
  if (!joined.ok) throw new Error(JSON.stringify(joined));
  for (;;) {
    const page = await s.timeout(30_000).emitWithAck('conversation:sync', { conversationId, afterSeq: lastSeq[i], limit: 500 });
    if (!page.ok) throw new Error(JSON.stringify(page));
    for (const m of page.data.messages) lastSeq[i] = Math.max(lastSeq[i], m.seq);
    if (!page.data.hasMore) break;
  }
  if (droppedAt) resyncedAt[i] = Date.now();
}

async function start(cfg: Start): Promise<void> {
  for (let i = 0; i < cfg.count; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, cfg.count - i) }, async (_, j) => {
      const n = i + j;
      const pair = cfg.pairs?.[cfg.offset + n];
      const conversationId = pair?.conversationId ?? cfg.conversationIds![(cfg.offset + n) % cfg.conversationIds!.length];
      const s = io(cfg.url, {
        auth: { token: pair?.token ?? cfg.tokens![(cfg.offset + n) % cfg.tokens!.length] }, transports: ['websocket'], forceNew: true,
        reconnectionDelay: 1000, reconnectionDelayMax: 10_000, randomizationFactor: 0.5, timeout: 60_000,
      });
      sockets[n] = s;
      lastSeq[n] = 0;
      s.on('message:new', (e: any) => { if (e.message.seq === lastSeq[n] + 1) lastSeq[n] = e.message.seq; });
      s.io.on('reconnect_attempt', () => { attempts++; });
      s.on('connect_error', (err) => failures.set(err.message, (failures.get(err.message) ?? 0) + 1));
      s.on('connect', () => {
        resync(s, n, conversationId).catch((err) => process.send!({ error: `resync: ${err}` }));
      });
      await new Promise<void>((resolve, reject) => { s.once('connect', () => resolve()); s.once('connect_error', reject); });
    }));
  }
}

serveParent<Start>(async (cfg) => {
  await start(cfg);
  return sockets.length;
}, {
  drop() {
    droppedAt = Date.now();
    for (const s of sockets) s.io.engine.close();
    process.send!({ dropped: droppedAt });
  },
  report() {
    process.send!({ resyncedAt: resyncedAt.filter(Boolean), total: sockets.length, connected: sockets.filter((s) => s.connected).length, attempts, failures: Object.fromEntries(failures) });
  },
}, () => { for (const s of sockets) s.close(); });
