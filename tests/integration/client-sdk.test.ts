// The client SDK against the real server: retried sends stored once through cut connections, every message
// delivered once and in seq order (gaps filled, resync after reconnect), throttled typing, unread and presence
// state, typed errors.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectClient, SwitchboardClient, SwitchboardError, type MessageDto } from '../../src/clients/sdk/index.ts';
import { sql } from '../../src/platform/db/sql.ts';
import { systemEm } from '../../src/platform/db/tenant-scope.ts';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
const clients: SwitchboardClient[] = [];

const sdk = suite('client SDK');

sdk.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Sdk');
});
sdk.after(async () => {
  for (const c of clients) c.close();
  await server.stop();
});

async function client(token: string, extra: Partial<ConstructorParameters<typeof SwitchboardClient>[0]> = {}) {
  const c = await connectClient({ url: server.url, token, retry: { baseDelayMs: 20, maxDelayMs: 200 }, ...extra });
  clients.push(c);
  return c;
}

/** Resolves when `predicate` holds after one of the client's events (checked at once too). */
function until(c: SwitchboardClient, event: 'message' | 'resynced' | 'unread' | 'presence' | 'connected', predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { c.off(event, check); reject(new Error(`timed out waiting on ${event}`)); }, timeoutMs);
    const check = () => { if (predicate()) { clearTimeout(timer); c.off(event, check); resolve(); } };
    c.on(event, check);
    check();
  });
}

/** Drops the client's connection as a network would (the client reconnects by itself). */
const cut = (c: SwitchboardClient) => c.socket.io.engine.close();

sdk('a wrong token is a typed UNAUTHORIZED error', async () => {
  const err = await connectClient({ url: server.url, token: 'nope' }).then(() => null, (e: unknown) => e);
  assert.instance(err, SwitchboardError);
  assert.is((err as SwitchboardError).code, 'UNAUTHORIZED');
});

sdk('sends retried through cut connections are stored once each, and a joined reader gets every one once, in seq order', async () => {
  const conversationId = await newConversation(call, t);
  const writer = await client(t.agentToken);
  const reader = await client(t.supervisorToken);
  const got: MessageDto[] = [];
  reader.on('message', (m) => { if (m.conversationId === conversationId) got.push(m); });
  await writer.join(conversationId);
  await reader.join(conversationId);
  const N = 60;
  let attempts = 0;
  writer.socket.onAnyOutgoing((event) => { if (event === 'message:send') attempts++; });
  const sends = Array.from({ length: N }, (_, i) => writer.send(conversationId, `message ${i}`));
  // Cut both sides while the sends are in flight: the writer retries, the reader resyncs.
  cut(writer);
  cut(reader);
  await until(writer, 'connected', () => writer.connected);
  cut(writer);
  const acked = await Promise.all(sends);
  await until(reader, 'message', () => got.length >= N);
  const rows = await sql<{ client_message_id: string; seq: number }>(systemEm(server.app.orm),
    'select client_message_id, seq from messages where conversation_id = ? order by seq', [conversationId]);
  assert.is(rows.length, N, 'each send stored exactly once');
  assert.equal(rows.map((r) => r.seq), Array.from({ length: N }, (_, i) => i + 1), 'seq gap-free');
  assert.equal(new Set(acked.map((m) => m.clientMessageId)).size, N);
  assert.ok(attempts > N, `the cuts caused retries (${attempts} attempts for ${N} sends)`);
  assert.equal(got.map((m) => m.seq), rows.map((r) => r.seq), 'the reader got each once, in order');
});

sdk('a reader that was away resyncs exactly what it missed', async () => {
  const conversationId = await newConversation(call, t);
  const writer = await client(t.agentToken);
  const reader = await client(t.supervisorToken);
  await writer.join(conversationId);
  const got: number[] = [];
  reader.on('message', (m) => { if (m.conversationId === conversationId) got.push(m.seq); });
  await reader.join(conversationId);
  await writer.send(conversationId, 'before');
  await until(reader, 'message', () => got.length === 1);
  // Away: the reader does not reconnect until the writer has written five more.
  reader.socket.io.reconnection(false);
  const down = new Promise((resolve) => reader.once('disconnected', resolve));
  cut(reader);
  await down;
  for (let i = 0; i < 5; i++) await writer.send(conversationId, `while away ${i}`);
  let missed = -1;
  reader.once('resynced', (id, n) => { if (id === conversationId) missed = n; });
  reader.socket.io.reconnection(true);
  reader.socket.connect();
  await until(reader, 'message', () => got.length === 6);
  await until(reader, 'resynced', () => missed >= 0).catch(() => undefined);
  assert.equal(got, [1, 2, 3, 4, 5, 6]);
  assert.is(missed, 5);
});

sdk('a call whose connection drops before its answer goes again once connected, and answers', async () => {
  const conversationId = (await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, contactId: t.contactId } })).body.conversation.id;
  await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken, body: { clientMessageId: 'before-cut', body: 'Before the cut' } });
  // An answer cut off this way was waited for until the call's timeout (here 60 s), and the join failed.
  const reader = await client(t.supervisorToken, { ackTimeoutMs: 60_000 });
  const started = Date.now();
  const joining = reader.join(conversationId);
  // The server drops every connection as the join goes out: its answer, if any, is lost with the connection.
  for (const socket of server.app.io.sockets.sockets.values()) socket.conn.close();
  const { lastSeq } = await joining;
  assert.is(lastSeq, 1);
  assert.ok(Date.now() - started < 30_000, `answered after the reconnect, not at the timeout (${Date.now() - started} ms)`);
  assert.is(reader.lastSeq(conversationId), 1);
});

sdk('typing is throttled and stops by itself; unread follows reads', async () => {
  const conversationId = await newConversation(call, t);
  const typist = await client(t.agentToken, { typing: { throttleMs: 5_000, idleMs: 300 } });
  const watcher = await client(t.supervisorToken);
  await typist.join(conversationId);
  await watcher.join(conversationId);
  const seen: boolean[] = [];
  const stopped = new Promise<void>((resolve) => watcher.on('typing', (e) => {
    if (e.conversationId !== conversationId) return;
    seen.push(e.isTyping);
    if (!e.isTyping) resolve();
  }));
  for (let i = 0; i < 10; i++) typist.typing(conversationId);
  await stopped;
  assert.equal(seen, [true, false]);

  await typist.send(conversationId, 'one');
  await typist.send(conversationId, 'two');
  await until(watcher, 'unread', () => watcher.unread.get(conversationId) === 2);
  const read = await watcher.markRead(conversationId);
  assert.is(read.unread, 0);
  assert.is(watcher.unread.get(conversationId), 0);
});

sdk('presence: loaded over HTTP, then kept current by events', async () => {
  const watcher = await client(t.supervisorToken);
  const presence = await watcher.loadPresence();
  assert.is(presence.get(t.adminId), 'offline');
  const admin = await client(t.adminToken);
  await until(watcher, 'presence', () => watcher.presence.get(t.adminId) === 'online');
  await admin.setPresence('away');
  await until(watcher, 'presence', () => watcher.presence.get(t.adminId) === 'away');
});

sdk('refusals are typed and not retried', async () => {
  const bot = await client(t.botKey);
  const err = await bot.send(crypto.randomUUID(), 'x').then(() => null, (e: unknown) => e);
  assert.instance(err, SwitchboardError);
  assert.is((err as SwitchboardError).code, 'NOT_FOUND');
  const http = await bot.http('GET', '/v1/conversations').then(() => null, (e: unknown) => e);
  assert.is((http as SwitchboardError).code, 'FORBIDDEN');
  assert.is((http as SwitchboardError).status, 403);
});

sdk.run();
