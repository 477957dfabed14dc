// Live conversations over real sockets: ordering, retries, resync, typing, unread, bots.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { collect, connect, ok, request, waitFor, type ClientSocket } from '../helpers/sockets.ts';
import { until } from '../helpers/wait.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
const open: ClientSocket[] = [];

async function socketFor(token: string): Promise<ClientSocket> {
  const s = await connect(server.url, token);
  open.push(s);
  return s;
}

async function agentToken(name: string): Promise<string> {
  const res = await call('POST', '/v1/users', { token: t.adminToken, body: { name, role: 'agent' } });
  return res.body.token;
}

const live = suite('realtime');

live.before(async () => {
  server = await startServer({ SOCKET_SEND_RATE: 1000 });
  call = httpClient(server.url);
  t = await seedTenant(call, 'Live');
});
live.after(async () => {
  for (const s of open) s.close();
  await server.stop();
});

live('a bad or missing token fails the handshake with UNAUTHORIZED', async () => {
  for (const token of [undefined, 'nope', t.agentToken + 'x']) {
    try {
      const s = await connect(server.url, token);
      s.close();
      assert.unreachable('connected');
    } catch (err) {
      assert.is((err as Error).message, 'UNAUTHORIZED');
    }
  }
});

live('a token in the query string is not accepted', async () => {
  const { io } = await import('socket.io-client');
  const s = io(server.url, { query: { token: t.agentToken }, transports: ['websocket'], forceNew: true, reconnection: false });
  const err = await new Promise<Error>((resolve) => s.once('connect_error', resolve));
  s.close();
  assert.is(err.message, 'UNAUTHORIZED');
});

live('100 concurrent sends from 4 sockets give seq 1..100, delivered in seq order', async () => {
  const conversationId = await newConversation(call, t);
  const senders = await Promise.all([1, 2, 3, 4].map(async (i) => socketFor(await agentToken(`Sender ${i}`))));
  const watcher = await socketFor(t.supervisorToken);
  for (const s of [...senders, watcher]) await ok(s, 'conversation:join', { conversationId });
  const seen = collect<{ message: { seq: number } }>(watcher, 'message:new');
  const acks = await Promise.all(Array.from({ length: 100 }, (_, i) =>
    ok(senders[i % 4], 'message:send', { conversationId, clientMessageId: `m-${i}`, body: `message ${i}` })));
  const seqs = acks.map((a) => a.message.seq).sort((a, b) => a - b);
  assert.equal(seqs, Array.from({ length: 100 }, (_, i) => i + 1));
  await until(() => seen.items.length >= 100, 5000, 'the watcher to receive 100 messages');
  seen.stop();
  assert.equal(seen.items.map((e) => e.message.seq), Array.from({ length: 100 }, (_, i) => i + 1));
  const history = await call('GET', `/v1/conversations/${conversationId}/messages?afterSeq=0&limit=500`, { token: t.agentToken });
  assert.is(history.body.messages.length, 100);
  assert.is(history.body.hasMore, false);
  const conversation = await call('GET', `/v1/conversations/${conversationId}`, { token: t.agentToken });
  assert.is(conversation.body.conversation.messageCount, 100);
});

live('a retried send answers the original message, consumes no seq and broadcasts nothing', async () => {
  const conversationId = await newConversation(call, t);
  const sender = await socketFor(t.agentToken);
  const watcher = await socketFor(t.supervisorToken);
  await ok(sender, 'conversation:join', { conversationId });
  await ok(watcher, 'conversation:join', { conversationId });
  const seen = collect(watcher, 'message:new');
  const secondSeen = waitFor(watcher, 'message:new', (e: any) => e.message.seq === 2);
  const first = await ok(sender, 'message:send', { conversationId, clientMessageId: 'retry-1', body: 'once' });
  const again = await ok(sender, 'message:send', { conversationId, clientMessageId: 'retry-1', body: 'once' });
  const http = await call('POST', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken, body: { clientMessageId: 'retry-1', body: 'once' } });
  assert.equal(again.message, first.message);
  assert.is(http.status, 200);
  assert.equal(http.body.message, first.message);
  const next = await ok(sender, 'message:send', { conversationId, clientMessageId: 'retry-2', body: 'twice' });
  assert.is(next.message.seq, 2);
  await secondSeen;
  seen.stop();
  assert.equal(seen.items.map((e: any) => e.message.seq), [1, 2]);
});

live('concurrent retries of one send make one message', async () => {
  const conversationId = await newConversation(call, t);
  const sockets = await Promise.all([socketFor(t.agentToken), socketFor(t.agentToken), socketFor(t.agentToken)]);
  const acks = await Promise.all(sockets.flatMap((s) => [1, 2].map(() =>
    ok(s, 'message:send', { conversationId, clientMessageId: 'same', body: 'dup' }))));
  assert.is(new Set(acks.map((a) => a.message.id)).size, 1);
  const history = await call('GET', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken });
  assert.is(history.body.messages.length, 1);
});

live('sends that commit as a group keep seq gap-free; a repeat or a refused send in a group gets its own answer', async () => {
  const conversationId = await newConversation(call, t);
  const senders = await Promise.all([1, 2, 3].map(async (i) => socketFor(await agentToken(`Grouped ${i}`))));
  const watcher = await socketFor(t.supervisorToken);
  await ok(watcher, 'conversation:join', { conversationId });
  const seen = collect<{ message: { seq: number } }>(watcher, 'message:new');
  // 40 distinct sends, each also sent a second time by the same sender, and 5 naming a canned response that does not exist, all at once.
  const payloads = [
    ...Array.from({ length: 40 }, (_, i) => ({ conversationId, clientMessageId: `g-${i}`, body: `grouped ${i}` })),
    ...Array.from({ length: 40 }, (_, i) => ({ conversationId, clientMessageId: `g-${i}`, body: `grouped ${i}` })),
    ...Array.from({ length: 5 }, (_, i) => ({ conversationId, clientMessageId: `bad-${i}`, body: 'x', cannedResponseId: crypto.randomUUID() })),
  ];
  const answers = await Promise.all(payloads.map((p, i) => request(senders[(i % 40) % 3], 'message:send', p)));
  const refused = answers.slice(80);
  assert.ok(refused.every((a) => !a.ok && a.error.code === 'NOT_FOUND'), JSON.stringify(refused));
  const byClientId = new Map<string, Set<string>>();
  for (const a of answers.slice(0, 80)) {
    assert.ok(a.ok, JSON.stringify(a));
    const m = (a as any).data.message;
    byClientId.set(m.clientMessageId, (byClientId.get(m.clientMessageId) ?? new Set()).add(m.id));
  }
  assert.ok([...byClientId.values()].every((ids) => ids.size === 1), 'a repeat answers the original');
  await until(() => seen.items.length >= 40, 5000, 'the watcher to receive 40 messages');
  seen.stop();
  assert.equal(seen.items.map((e) => e.message.seq), Array.from({ length: 40 }, (_, i) => i + 1));
  const history = await call('GET', `/v1/conversations/${conversationId}/messages?limit=500`, { token: t.agentToken });
  assert.equal(history.body.messages.map((m: any) => m.seq), Array.from({ length: 40 }, (_, i) => i + 1));
});

live('after a reconnect, sync returns exactly what was missed', async () => {
  const conversationId = await newConversation(call, t);
  const sender = await socketFor(t.agentToken);
  const reader = await socketFor(t.supervisorToken);
  await ok(reader, 'conversation:join', { conversationId });
  const third = waitFor(reader, 'message:new', (e: any) => e.message.seq === 3);
  for (let i = 1; i <= 3; i++) await ok(sender, 'message:send', { conversationId, clientMessageId: `a${i}`, body: `a${i}` });
  await third;
  reader.close();
  for (let i = 4; i <= 7; i++) await ok(sender, 'message:send', { conversationId, clientMessageId: `a${i}`, body: `a${i}` });
  const back = await socketFor(t.supervisorToken);
  const joined = await ok(back, 'conversation:join', { conversationId });
  assert.is(joined.lastSeq, 7);
  const missed = await ok(back, 'conversation:sync', { conversationId, afterSeq: 3 });
  assert.equal(missed.messages.map((m: any) => m.body), ['a4', 'a5', 'a6', 'a7']);
  assert.is(missed.hasMore, false);
  const paged = await ok(back, 'conversation:sync', { conversationId, afterSeq: 3, limit: 2 });
  assert.equal(paged.messages.map((m: any) => m.seq), [4, 5]);
  assert.is(paged.hasMore, true);
});

live('typing reaches the others, not the typer, and expires after 6 s', async () => {
  const conversationId = await newConversation(call, t);
  const typer = await socketFor(t.agentToken);
  const other = await socketFor(t.supervisorToken);
  await ok(typer, 'conversation:join', { conversationId });
  await ok(other, 'conversation:join', { conversationId });
  const echoed = collect(typer, 'typing');
  const started = waitFor(other, 'typing', (e: any) => e.isTyping === true);
  await ok(typer, 'typing', { conversationId, isTyping: true });
  const on = await started;
  assert.is(on.userId, t.agentId);
  assert.is(on.conversationId, conversationId);
  assert.type(on.name, 'string');
  const t0 = Date.now();
  await waitFor(other, 'typing', (e: any) => e.isTyping === false, 9000);
  const waited = Date.now() - t0;
  assert.ok(waited >= 5000 && waited < 8000, `expired after ${waited} ms`);
  echoed.stop();
  assert.is(echoed.items.length, 0);
});

live('a bot\'s typing reaches the agents and expires after 6 s like a person\'s', async () => {
  const conversationId = await newConversation(call, t);
  const bot = await socketFor(t.botKey);
  const agent = await socketFor(t.agentToken);
  await ok(bot, 'conversation:join', { conversationId });
  await ok(agent, 'conversation:join', { conversationId });
  const started = waitFor(agent, 'typing', (e: any) => e.isTyping === true);
  await ok(bot, 'typing', { conversationId, isTyping: true });
  const on = await started;
  assert.is(on.userId, t.botId);
  const t0 = Date.now();
  const off = await waitFor(agent, 'typing', (e: any) => e.isTyping === false, 9000);
  const waited = Date.now() - t0;
  assert.is(off.userId, t.botId);
  assert.ok(waited >= 5000 && waited < 8000, `expired after ${waited} ms`);
});

live('a socket may type in a conversation of its tenant without joining it', async () => {
  const conversationId = await newConversation(call, t);
  const typer = await socketFor(t.agentToken);
  const other = await socketFor(t.supervisorToken);
  await ok(other, 'conversation:join', { conversationId });
  const started = waitFor(other, 'typing', (e: any) => e.conversationId === conversationId && e.isTyping);
  await ok(typer, 'typing', { conversationId, isTyping: true });
  assert.is((await started).userId, t.agentId);
  const stopped = waitFor(other, 'typing', (e: any) => e.conversationId === conversationId && !e.isTyping);
  await ok(typer, 'typing', { conversationId, isTyping: false });
  await stopped;
});

live('typing stops for the others when the typer disconnects', async () => {
  const conversationId = await newConversation(call, t);
  const typer = await socketFor(t.agentToken);
  const other = await socketFor(t.supervisorToken);
  await ok(typer, 'conversation:join', { conversationId });
  await ok(other, 'conversation:join', { conversationId });
  const started = waitFor(other, 'typing', (e: any) => e.isTyping);
  await ok(typer, 'typing', { conversationId, isTyping: true });
  await started;
  const stopped = waitFor(other, 'typing', (e: any) => !e.isTyping, 3000);
  typer.close();
  await stopped;
});

live('the assignee hears unread counts go up with others\' messages and down with reads', async () => {
  const conversationId = await newConversation(call, t);
  await call('POST', `/v1/conversations/${conversationId}/assign`, { token: t.adminToken, body: { assigneeId: t.agentId } });
  const sender = await socketFor(t.supervisorToken);
  const reader = await socketFor(t.agentToken);
  const first = waitFor(reader, 'unread', (e: any) => e.conversationId === conversationId && e.unread === 1);
  await ok(sender, 'message:send', { conversationId, clientMessageId: 'u1', body: 'one' });
  const one = await first;
  assert.is(one.seq, 1);
  assert.ok(one.totalUnread >= 1);
  const second = waitFor(reader, 'unread', (e: any) => e.conversationId === conversationId && e.unread === 2);
  await ok(sender, 'message:send', { conversationId, clientMessageId: 'u2', body: 'note', direction: 'internal' });
  await second;
  // The reader's own message does not count for them.
  await ok(reader, 'message:send', { conversationId, clientMessageId: 'u3', body: 'mine' });
  const after = await ok(reader, 'conversation:read', { conversationId, seq: 1 });
  assert.is(after.unread, 1);
  assert.is(after.seq, 3);
  const all = await ok(reader, 'conversation:read', { conversationId, seq: 99 });
  assert.is(all.unread, 0);
  // Cursors never move back.
  const back = await ok(reader, 'conversation:read', { conversationId, seq: 0 });
  assert.is(back.unread, 0);
});

live('a follower who is not the assignee gets its cursor and count with the join, and no unread packet per message', async () => {
  const conversationId = await newConversation(call, t);
  const sender = await socketFor(t.adminToken);
  const follower = await socketFor(t.supervisorToken);
  for (let i = 1; i <= 3; i++) await ok(sender, 'message:send', { conversationId, clientMessageId: `f${i}`, body: `f${i}` });
  const joined = await ok(follower, 'conversation:join', { conversationId });
  assert.equal([joined.lastSeq, joined.readSeq, joined.unread], [3, 0, 3]);
  await ok(follower, 'conversation:read', { conversationId, seq: 2 });
  const packets = collect(follower, 'unread');
  const seen = waitFor(follower, 'message:new', (e: any) => e.message.seq === 4);
  await ok(sender, 'message:send', { conversationId, clientMessageId: 'f4', body: 'f4' });
  await seen;
  const again = await ok(follower, 'conversation:join', { conversationId });
  assert.equal([again.lastSeq, again.readSeq, again.unread], [4, 2, 2], 'what a client derives: 1 unread at the read, +1 from message:new');
  packets.stop();
  assert.equal(packets.items, []);
});

live('bots join rooms but never receive internal notes, and send as bots', async () => {
  const conversationId = await newConversation(call, t);
  const bot = await socketFor(t.botKey);
  const agent = await socketFor(t.agentToken);
  await ok(bot, 'conversation:join', { conversationId });
  await ok(agent, 'conversation:join', { conversationId });
  const botSaw = collect(bot, 'message:new');
  const reply = waitFor(bot, 'message:new', (e: any) => e.message.seq === 2);
  await ok(agent, 'message:send', { conversationId, clientMessageId: 'n1', body: 'secret note', direction: 'internal' });
  await ok(agent, 'message:send', { conversationId, clientMessageId: 'n2', body: 'public reply' });
  await reply;
  botSaw.stop();
  assert.equal(botSaw.items.map((e: any) => e.message.body), ['public reply']);
  const sync = await ok(bot, 'conversation:sync', { conversationId, afterSeq: 0 });
  assert.equal(sync.messages.map((m: any) => m.body), ['public reply']);
  const http = await call('GET', `/v1/conversations/${conversationId}/messages`, { token: t.botKey });
  assert.equal(http.body.messages.map((m: any) => m.body), ['public reply']);
  const sent = await ok(bot, 'message:send', { conversationId, clientMessageId: 'b1', body: 'bot here' });
  assert.is(sent.message.senderType, 'bot');
  assert.is(sent.message.authorId, t.botId);
  const status = await ok(bot, 'conversation:status', { conversationId, status: 'pending' });
  assert.is(status.conversation.status, 'pending');
});

live('list changes reach the inbox\'s members, supervisors and watchers in batches; agents of other inboxes hear nothing', async () => {
  const conversationId = await newConversation(call, t);
  const sender = await socketFor(t.agentToken);
  const supervisor = await socketFor(t.supervisorToken);
  const outsider = await socketFor(await agentToken('Other inbox'));
  const watcher = await socketFor(await agentToken('All lists'));
  await ok(watcher, 'conversations:watch', {});
  const heardByOutsider = collect(outsider, 'conversations:changed');
  const changed = (s: ClientSocket) => waitFor(s, 'conversations:changed', (e: any) => e.conversations.some((c: any) => c.id === conversationId && c.messageCount === 2));
  const heard = [changed(sender), changed(supervisor), changed(watcher)];
  await ok(sender, 'message:send', { conversationId, clientMessageId: 'x', body: 'Hello there' });
  await ok(sender, 'message:send', { conversationId, clientMessageId: 'y', body: 'Hello again' });
  for (const { conversations } of await Promise.all(heard)) {
    const conversation = conversations.find((c: any) => c.id === conversationId);
    assert.is(conversation.lastMessagePreview, 'Hello again');
    assert.is(conversation.lastDirection, 'outbound');
  }
  await ok(watcher, 'conversations:unwatch', {});
  heardByOutsider.stop();
  assert.ok(!heardByOutsider.items.some((e: any) => e.conversations.some((c: any) => c.id === conversationId)));
  // A socket that joined the conversation hears a new message as message:new (the sender, who has it in its
  // ack, does not hear it again), and the conversation's state as it changes.
  await ok(outsider, 'conversation:join', { conversationId });
  await ok(sender, 'conversation:join', { conversationId });
  const echoes = collect(sender, 'message:new');
  const third = waitFor(outsider, 'message:new', (e: any) => e.message.seq === 3);
  await ok(sender, 'message:send', { conversationId, clientMessageId: 'z', body: 'Third' });
  assert.is((await third).message.body, 'Third');
  const updated = waitFor(outsider, 'conversation:updated', (e: any) => e.conversation.id === conversationId && e.conversation.status === 'pending');
  await ok(sender, 'conversation:status', { conversationId, status: 'pending' });
  assert.is((await updated).conversation.messageCount, 3);
  echoes.stop();
  assert.equal(echoes.items, []);
});

live('an assignment reaches supervisors, the new and previous assignee and joined sockets; the inbox\'s other members see it in their lists, the rest of the tenant not at all', async () => {
  const conversationId = await newConversation(call, t);
  const colleague = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Colleague', role: 'agent' } });
  const stranger = await socketFor(await agentToken('Elsewhere'));
  const member = await socketFor(t.agentToken);
  const supervisor = await socketFor(t.supervisorToken);
  const assignee = await socketFor(colleague.body.token);
  const joined = await socketFor(await agentToken('Joined'));
  await ok(joined, 'conversation:join', { conversationId });
  const strangerHeard = collect(stranger, 'assignment');
  const memberHeard = collect(member, 'assignment');
  const isThis = (e: any) => e.conversationId === conversationId && e.assigneeId === colleague.body.user.id && e.type === 'manual';
  const heard = [waitFor(supervisor, 'assignment', isThis), waitFor(assignee, 'assignment', isThis), waitFor(joined, 'assignment', isThis)];
  const inList = waitFor(member, 'conversations:changed', (e: any) => e.conversations.some((c: any) => c.id === conversationId && c.assigneeId === colleague.body.user.id));
  const res = await call('POST', `/v1/conversations/${conversationId}/assign`, { token: t.adminToken, body: { assigneeId: colleague.body.user.id } });
  assert.is(res.status, 200, JSON.stringify(res.body));
  await Promise.all([...heard, inList]);
  // The previous assignee hears the move away.
  const unassigned = (e: any) => e.conversationId === conversationId && e.previousAssigneeId === colleague.body.user.id && e.assigneeId === null;
  const movedAway = [waitFor(assignee, 'assignment', unassigned), waitFor(supervisor, 'assignment', unassigned)];
  assert.is((await call('POST', `/v1/conversations/${conversationId}/assign`, { token: t.adminToken, body: { assigneeId: null } })).status, 200);
  // Both changes reached the supervisor before these checks, so the others had every chance to hear them.
  await Promise.all(movedAway);
  strangerHeard.stop();
  memberHeard.stop();
  assert.equal(strangerHeard.items, []);
  assert.equal(memberHeard.items, []);
});

live('a body over 64 KiB is PAYLOAD_TOO_LARGE and writes nothing', async () => {
  const conversationId = await newConversation(call, t);
  const sender = await socketFor(t.agentToken);
  const answer = await request(sender, 'message:send', { conversationId, clientMessageId: 'big', body: 'x'.repeat(64 * 1024 + 1) });
  assert.is(answer.ok, false);
  assert.is((answer as any).error.code, 'PAYLOAD_TOO_LARGE');
  const history = await call('GET', `/v1/conversations/${conversationId}/messages`, { token: t.agentToken });
  assert.is(history.body.messages.length, 0);
});

live('a typing flood is RATE_LIMITED', async () => {
  const conversationId = await newConversation(call, t);
  const s = await socketFor(t.agentToken);
  await ok(s, 'conversation:join', { conversationId });
  const answers = await Promise.all(Array.from({ length: 40 }, () => request(s, 'typing', { conversationId, isTyping: true })));
  const limited = answers.flatMap((a) => (!a.ok && a.error.code === 'RATE_LIMITED' ? [a.error] : []));
  assert.ok(limited.length > 0, 'some typing events are refused');
  // The refusal is built once per event and process: each event's still names its own event.
  assert.is(limited[0].message, 'too many typing events');
  assert.ok(answers.some((a) => a.ok), 'the first ones pass');
});

live.run();

// ---

const origins = suite('origins');

origins('only exact allowed origins (or none, for bots) may open a socket, on websocket and polling alike', async () => {
  const s = await startServer({ ALLOWED_ORIGINS: ['https://app.example.com'] });
  try {
    const c = httpClient(s.url);
    const tenant = await seedTenant(c, 'Origins');
    const { io } = await import('socket.io-client');
    const attempt = (origin: string | undefined, transport: 'websocket' | 'polling') => new Promise<boolean>((resolve) => {
      const socket = io(s.url, {
        auth: { token: tenant.agentToken }, transports: [transport], forceNew: true, reconnection: false,
        extraHeaders: origin ? { origin } : {},
      });
      socket.once('connect', () => { socket.close(); resolve(true); });
      socket.once('connect_error', () => { socket.close(); resolve(false); });
    });
    for (const transport of ['websocket', 'polling'] as const) {
      assert.is(await attempt('https://app.example.com', transport), true, `allowed origin over ${transport}`);
      assert.is(await attempt(undefined, transport), true, `no origin over ${transport}`);
      assert.is(await attempt('https://evil.example.com', transport), false, `forged origin over ${transport}`);
      assert.is(await attempt('https://app.example.com.evil.example', transport), false, `look-alike origin over ${transport}`);
    }
  } finally {
    await s.stop();
  }
});

origins.run();
