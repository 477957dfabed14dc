// A client process for the connect bench: on `start`, opens all its sockets at once and reports how long
// until every one is connected; closes them on `stop`. Driven by its parent over IPC.
import { io, type Socket } from 'socket.io-client';

const sockets: Socket[] = [];

process.on('message', async (msg: { cmd: string; url?: string; tokens?: (string | null)[]; count?: number }) => {
  if (msg.cmd === 'stop') {
    for (const s of sockets) s.close();
    process.exit(0);
  }
  if (msg.cmd !== 'start') return;
  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: msg.count! }, (_, i) => new Promise<void>((resolve, reject) => {
      const token = msg.tokens![i % msg.tokens!.length];
      const s = io(msg.url!, { auth: token ? { token } : {}, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 120_000 });
      sockets.push(s);
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    })));
    process.send!({ ms: performance.now() - started, connected: sockets.length });
  } catch (err) {
    process.send!({ error: String(err) });
  }
});
