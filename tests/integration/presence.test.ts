// Presence over real sockets: per user across sockets, presence:set, events, GET /v1/users; and what
// removing a member or deactivating a user does to their sockets and their work.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { collect, connect, ok, waitFor, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let watcher: ClientSocket;
const sockets: ClientSocket[] = [];

async function track(s: Promise<ClientSocket>): Promise<ClientSocket> {
  const socket = await s;
  sockets.push(socket);
  return socket;
}

async function presenceOf(userId: string): Promise<string> {
  const res = await call('GET', '/v1/users', { token: t.adminToken });
  return res.body.users.find((u: { id: string }) => u.id === userId).presence;
}

const presence = suite('presence');

presence.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Presence');
  watcher = await track(connect(server.url, t.supervisorToken));
});

presence('a user is online while one of their sockets is connected, offline after the last', async () => {
  const user = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Multi', role: 'agent' } });
  const id = user.body.user.id;
  assert.is(await presenceOf(id), 'offline');
  const events = collect(watcher, 'presence');
  const online = waitFor(watcher, 'presence', (e: any) => e.userId === id && e.status === 'online');
  const first = await connect(server.url, user.body.token);
  await online;
  const second = await connect(server.url, user.body.token);
  assert.is(await presenceOf(id), 'online');
  first.close();
  // Still online through the second socket: prove it by a round trip on that socket, then read.
  await ok(second, 'presence:set', { status: 'online' });
  assert.is(await presenceOf(id), 'online');
  const offline = waitFor(watcher, 'presence', (e: any) => e.userId === id && e.status === 'offline');
  second.close();
  await offline;
  assert.is(await presenceOf(id), 'offline');
  events.stop();
  assert.equal(events.items.filter((e: any) => e.userId === id).map((e: any) => e.status), ['online', 'offline']);
});

presence('presence:set changes what others see, and a new session starts online', async () => {
  const user = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Chooser', role: 'agent' } });
  const id = user.body.user.id;
  const s = await connect(server.url, user.body.token);
  const away = waitFor(watcher, 'presence', (e: any) => e.userId === id && e.status === 'away');
  await ok(s, 'presence:set', { status: 'away' });
  await away;
  assert.is(await presenceOf(id), 'away');
  const offline = waitFor(watcher, 'presence', (e: any) => e.userId === id && e.status === 'offline');
  s.close();
  await offline;
  const again = await track(connect(server.url, user.body.token));
  assert.ok(again.connected);
  assert.is(await presenceOf(id), 'online');
});

presence('bots have no presence events', async () => {
  const seen = collect(watcher, 'presence');
  const bot = await connect(server.url, t.botKey);
  const marker = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Marker', role: 'agent' } });
  const markerOnline = waitFor(watcher, 'presence', (e: any) => e.userId === marker.body.user.id);
  const m = await connect(server.url, marker.body.token);
  await markerOnline;
  bot.close();
  m.close();
  seen.stop();
  assert.not.ok(seen.items.some((e: any) => e.userId === t.botId));
});

presence('a member removed from an inbox leaves its rooms, hears nothing more, and loses its open work', async () => {
  const other = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Stays', role: 'agent' } });
  await track(connect(server.url, other.body.token));
  const conversationId = await newConversation(call, t);
  await call('POST', `/v1/conversations/${conversationId}/assign`, { token: t.adminToken, body: { assigneeId: t.agentId } });
  const agent = await track(connect(server.url, t.agentToken));
  await ok(agent, 'conversation:join', { conversationId });
  await call('PUT', `/v1/inboxes/${t.inboxId}/members`, { token: t.adminToken, body: { memberIds: [t.agentId, other.body.user.id] } });
  const heard = collect(agent, 'message:new');
  const unassigned = waitFor(watcher, 'assignment', (e: any) => e.conversationId === conversationId && e.type === 'unassign');
  const res = await call('PUT', `/v1/inboxes/${t.inboxId}/members`, { token: t.adminToken, body: { memberIds: [other.body.user.id] } });
  assert.is(res.status, 200);
  const event = await unassigned;
  assert.is(event.previousAssigneeId, t.agentId);
  const sup = await track(connect(server.url, t.supervisorToken));
  await ok(sup, 'conversation:join', { conversationId });
  const supHears = waitFor(sup, 'message:new', (e: any) => e.message.body === 'after removal');
  // Sent over HTTP: a socket is not sent its own message again, and this one is the probe.
  await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.adminToken, body: { clientMessageId: 'after', body: 'after removal' } });
  await supHears;
  heard.stop();
  assert.equal(heard.items, []);
  // The inbox does not route automatically, so the work waits unassigned for a supervisor.
  const c = await call('GET', `/v1/conversations/${conversationId}`, { token: t.adminToken });
  assert.is(c.body.conversation.assigneeId, null);
});

presence('a deactivated user is disconnected at once and cannot reconnect', async () => {
  const user = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Leaving', role: 'agent' } });
  const s = await connect(server.url, user.body.token);
  const dropped = new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
  const res = await call('PATCH', `/v1/users/${user.body.user.id}`, { token: t.adminToken, body: { active: false } });
  assert.is(res.status, 200);
  assert.is(await dropped, 'io server disconnect');
  try {
    const again = await connect(server.url, user.body.token);
    again.close();
    assert.unreachable('reconnected');
  } catch (err) {
    assert.is((err as Error).message, 'UNAUTHORIZED');
  }
});

presence.after(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

presence.run();
