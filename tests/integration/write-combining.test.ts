// Write combining over real sockets: packets emitted to held rooms in one run of the event loop leave each socket
// in one Engine.IO flush (one write), in order; a flush of a backlog is one write too; sockets that close meanwhile or
// poll are not disturbed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AppServer } from '../../realtime/types.ts';
import { corkFlushes, WriteCombiner } from '../../realtime/write-combining.ts';
import { until } from '../helpers/wait.ts';

const combining = suite('write combining');
const http = createServer();
const io = new Server(http);
corkFlushes(io as unknown as AppServer);
const combiner = new WriteCombiner(io as unknown as AppServer);
let url = '';
const clients: ClientSocket[] = [];
/** Per server-side socket id: the number of packets in each Engine.IO flush. */
const flushes = new Map<string, number[]>();

io.on('connection', (socket) => {
  const sizes: number[] = [];
  flushes.set(socket.id, sizes);
  socket.conn.on('flush', (buffer: unknown[]) => sizes.push(buffer.length));
  socket.join(String(socket.handshake.query.room));
});

async function client(room: string, transports: ('websocket' | 'polling')[] = ['websocket']): Promise<{ socket: ClientSocket; got: number[] }> {
  const socket = connectClient(url, { transports, query: { room }, forceNew: true });
  clients.push(socket);
  const got: number[] = [];
  socket.on('n', (n: number) => { got.push(n); });
  await until(() => socket.connected && flushes.has(socket.id!), 5000, 'the client to connect');
  return { socket, got };
}

/** Counts the writes (each a write or writev system call) to the TCP socket under a server-side websocket from now on. */
function countWrites(id: string): { count: number } {
  const connection = io.of('/').sockets.get(id)!.conn as unknown as { transport: { socket: { _socket: Record<'_write' | '_writev', (...args: unknown[]) => unknown> } } };
  const raw = connection.transport.socket._socket;
  const counter = { count: 0 };
  for (const method of ['_write', '_writev'] as const) {
    const original = raw[method];
    raw[method] = function (this: unknown, ...args: unknown[]) {
      counter.count++;
      return original.apply(this, args);
    };
  }
  return counter;
}

const emitThree = (room: string) => { for (const n of [1, 2, 3]) io.to(room).emit('n', n); };

combining.before(async () => {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
combining.after(async () => {
  for (const c of clients) c.close();
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

combining('held rooms: three emits leave each socket in one flush, in order; unheld, the first goes alone', async () => {
  const held = await Promise.all([client('held'), client('held')]);
  const free = await client('free');
  for (const c of [...held, free]) flushes.get(c.socket.id!)!.length = 0;
  const writes = new Map([...held, free].map((c) => [c, countWrites(c.socket.id!)]));
  combiner.hold(['held']);
  emitThree('held');
  emitThree('free');
  await until(() => [...held, free].every((c) => c.got.length === 3), 5000, 'every client to receive three packets');
  for (const c of held) {
    assert.equal(c.got, [1, 2, 3]);
    assert.equal(flushes.get(c.socket.id!), [3]);
    assert.is(writes.get(c)!.count, 1, 'one write for the held three');
  }
  assert.equal(free.got, [1, 2, 3]);
  // Engine.IO alone writes the first at once and the others after it, on the write's completion: that backlog of two
  // leaves in one write, not two.
  assert.equal(flushes.get(free.socket.id!), [1, 2]);
  assert.is(writes.get(free)!.count, 2, 'the first packet, then the backlog in one write');
});

combining('a socket closed while held, and a polling one, leave the others their packets', async () => {
  const stays = await client('mixed');
  const leaves = await client('mixed');
  const polls = await client('mixed', ['polling']);
  const leaving = io.of('/').sockets.get(leaves.socket.id!)!;
  combiner.hold(['mixed']);
  emitThree('mixed');
  leaving.disconnect(true);
  await until(() => stays.got.length === 3 && polls.got.length === 3, 5000, 'the open clients to receive three packets');
  assert.equal(stays.got, [1, 2, 3]);
  assert.equal(polls.got, [1, 2, 3]);
  // The next run of the loop is not held: a later emit goes out at once.
  io.to('mixed').emit('n', 4);
  await until(() => stays.got.length === 4, 5000, 'the packet after the hold');
  assert.is(stays.got[3], 4);
});

combining.run();
