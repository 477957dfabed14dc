// A client that stops reading is cut once its unsent backlog passes the limit (1 MB by default); the
// others in the same room keep receiving everything.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient } from '../helpers/http.ts';
import { seedTenant } from '../helpers/seed.ts';
import { collect, connect, ok, waitFor, type ClientSocket } from '../helpers/sockets.ts';

const BODY = 'x'.repeat(60_000);
const MAX_SENDS = 2000;

let server: TestServer;
const open: ClientSocket[] = [];
const slow = suite('slow reader');

slow.before(async () => {
  server = await startServer({ SOCKET_SEND_RATE: 1_000_000 });
});
slow.after(async () => {
  for (const s of open) s.close();
  await server.stop();
});

slow('a socket that stops reading is disconnected past 1 MB of backlog; a reader in the same room is unaffected', async () => {
  const call = httpClient(server.url);
  const t = await seedTenant(call, 'Slow');
  const conversationId = await newConversation(call, t);
  const [reader, sender, stalled] = await Promise.all([connect(server.url, t.agentToken), connect(server.url, t.supervisorToken), connect(server.url, t.agentToken)]);
  open.push(reader, sender, stalled);
  for (const s of [reader, stalled]) await ok(s, 'conversation:join', { conversationId });
  const received = collect(reader, 'message:new');

  const serverSide = server.app.io.of('/').sockets.get(stalled.id!);
  assert.ok(serverSide, 'the stalled socket is known to the server');
  const cut = new Promise<void>((resolve) => serverSide.once('disconnect', () => resolve()));
  let wasCut = false;
  void cut.then(() => { wasCut = true; });
  // The client stops reading its connection: what the server writes piles up in the kernel, then in the server.
  (stalled.io.engine.transport as any).ws._socket.pause();

  let sent = 0;
  while (!wasCut && sent < MAX_SENDS) {
    await Promise.all(Array.from({ length: 10 }, () => ok(sender, 'message:send', { conversationId, clientMessageId: `big-${sent++}`, body: BODY })));
  }
  await cut;
  assert.ok(sent < MAX_SENDS, 'cut before the sender ran out');
  // The reader got every message, and its connection stayed up.
  const last = waitFor(reader, 'message:new', (e: any) => e.message.body === 'after the cut', 15_000);
  const more = await ok(sender, 'message:send', { conversationId, clientMessageId: 'after', body: 'after the cut' });
  await last;
  assert.is(received.items.at(-1).message.id, more.message.id);
  assert.equal(received.items.map((e: any) => e.message.seq), Array.from({ length: sent + 1 }, (_, i) => i + 1));
  assert.ok(reader.connected);
  console.log(`  slow reader: cut after ${sent} messages of 60 KB; the reader got all ${sent + 1} in order`);
});

slow.run();
