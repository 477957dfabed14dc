// The raw baseline: a plain Socket.IO server that acks what it gets and broadcasts to a room on request.
// Prints its URL like main.ts does.
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const FAN_DELAY_MS = Number(process.env.FAN_DELAY_MS ?? 0);
const REFUSAL = { ok: false, error: { code: 'RATE_LIMITED', message: 'too many message:send events' } };
const http = createServer();
// With REDIS_URL, the same Redis adapter as Switchboard's nodes: the cross-node baseline.
const redisUrl = process.env.REDIS_URL;
const io = new Server(http, redisUrl ? { adapter: createAdapter(new Redis(redisUrl), new Redis(redisUrl), { key: 'bench-plain' }) } : {});
io.on('connection', (socket) => {
  // Like Switchboard's tenant and user rooms, so the baseline holds the same room memberships.
  void socket.join(['tenant:bench', `user:${socket.id}`]);
  socket.on('echo', (payload: unknown, ack: (answer: unknown) => void) => ack({ ok: true, data: payload }));
  // The least a refusal can cost: the same answer Switchboard gives a send over its rate, built once (the flood bench's floor).
  socket.on('message:send', (_payload: unknown, ack: (answer: unknown) => void) => ack(REFUSAL));
  socket.on('join', (p: { conversationId: string }, ack: (answer: unknown) => void) => {
    void socket.join(`conversation:${p.conversationId}`);
    ack({ ok: true });
  });
  // Broadcasts what it is given: a message (the fan-out bench's same payload) or a bare clock. FAN_DELAY_MS: after
  // that pause, which costs no CPU, as a commit's round trips to a database would (to measure what the wait alone costs).
  socket.on('fan', (p: { conversationId: string; sentAt?: number; message?: unknown }, ack: (answer: unknown) => void) => {
    const fan = () => {
      io.to(`conversation:${p.conversationId}`).emit('fan', p.message ? { message: p.message } : { sentAt: p.sentAt });
      ack({ ok: true });
    };
    if (FAN_DELAY_MS > 0) setTimeout(fan, FAN_DELAY_MS);
    else fan();
  });
});
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as { port: number };
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, msg: 'echo listening' }));
});
process.on('SIGTERM', () => { io.close(); process.exit(0); });
