// A client process for the fan-out benches: opens N sockets, joins them to one room (Switchboard's
// conversation:join, or the plain server's `join`), and times every delivery of `event` whose
// payload carries the sender's clock. Driven by its parent over IPC.
import { io, type Socket } from 'socket.io-client';
import { serveParent } from './child-ipc.ts';

interface Start { url: string; tokens: (string | null)[]; count: number; conversationId: string; event: string; mode: 'switchboard' | 'plain' }

const sockets: Socket[] = [];
const latencies: number[] = [];
let received = 0;
let lastAt = 0;

const now = () => performance.timeOrigin + performance.now();
const sentAtOf = (payload: any): number => Number(payload?.message?.body ?? payload?.sentAt);

async function start(cfg: Start): Promise<void> {
  for (let i = 0; i < cfg.count; i += 100) {
    await Promise.all(Array.from({ length: Math.min(100, cfg.count - i) }, async (_, j) => {
      const token = cfg.tokens[(i + j) % cfg.tokens.length];
      const s = io(cfg.url, { auth: token ? { token } : {}, transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve, reject) => { s.once('connect', () => resolve()); s.once('connect_error', reject); });
      const answer = await s.timeout(30_000).emitWithAck(cfg.mode === 'switchboard' ? 'conversation:join' : 'join', { conversationId: cfg.conversationId });
      if (cfg.mode === 'switchboard' && !answer.ok) throw new Error(JSON.stringify(answer));
      s.on(cfg.event, (payload: unknown) => {
        const sentAt = sentAtOf(payload);
        if (!Number.isFinite(sentAt)) return;
        received++;
        lastAt = now();
        latencies.push(lastAt - sentAt);
      });
      sockets.push(s);
    }));
  }
}

serveParent<Start>(async (cfg) => {
  await start(cfg);
  return sockets.length;
}, {
  // Polled while deliveries drain: the count alone, so that polling costs the clients next to nothing.
  count() { process.send!({ count: received }); },
  report() { process.send!({ received, lastAt, latencies }); },
  reset() {
    received = 0;
    latencies.length = 0;
    process.send!({ reset: true });
  },
}, () => { for (const s of sockets) s.close(); });
