// Notifications and mentions: a person assigned by someone else, mentioned in a note (and given access to a
// masked thread), warned of an SLA deadline on their conversation, or whose customer wrote, is notified live
// and in their list; reading marks them read; muted kinds are not written; nobody reads another's.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { collect, connect, waitFor, type ClientSocket } from '../helpers/sockets.ts';
import { until } from '../helpers/wait.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let ben: { id: string; token: string };
let agentSocket: ClientSocket;
let benSocket: ClientSocket;

const notifications = suite('notifications and mentions');

notifications.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Notified');
  const created = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Ben Lee', role: 'agent' } });
  ben = { id: created.body.user.id, token: created.body.token };
  agentSocket = await connect(server.url, t.agentToken);
  benSocket = await connect(server.url, ben.token);
});
notifications.after(async () => {
  agentSocket.close();
  benSocket.close();
  await server.stop();
});

const list = async (token: string, query = '') => (await call('GET', `/v1/notifications${query}`, { token })).body;

notifications('assigned by someone else: notified live and listed unread; taking one oneself is no news', async () => {
  const id = await newConversation(call, t);
  const live = waitFor(agentSocket, 'notification', (e: any) => e.notification.conversationId === id);
  const assigned = await call('POST', `/v1/conversations/${id}/assign`, { token: t.supervisorToken, body: { assigneeId: t.agentId } });
  assert.is(assigned.status, 200, JSON.stringify(assigned.body));
  const event = await live;
  assert.is(event.notification.kind, 'assigned');
  assert.is(event.unreadCount, 1);
  const mine = await list(t.agentToken, '?unread=true');
  assert.equal(mine.notifications.map((n: any) => [n.kind, n.conversationId]), [['assigned', id]]);
  assert.is(mine.unreadCount, 1);

  const own = await newConversation(call, t);
  assert.is((await call('POST', `/v1/conversations/${own}/assign`, { token: ben.token, body: { assigneeId: ben.id } })).status, 200);
  assert.is((await list(ben.token)).notifications.length, 0, 'no notification for taking it oneself');
});

notifications('notifications that land together each count the others: the last count is the unread total', async () => {
  const before = (await list(ben.token, '?unread=true')).unreadCount as number;
  const ids = await Promise.all([1, 2, 3, 4].map(() => newConversation(call, t)));
  const heard = collect(benSocket, 'notification');
  const all = waitFor(benSocket, 'notification', () => heard.items.length === ids.length);
  const answers = await Promise.all(ids.map((id) => call('POST', `/v1/conversations/${id}/assign`, { token: t.supervisorToken, body: { assigneeId: ben.id } })));
  assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.map((a) => a.body)));
  await all;
  heard.stop();
  assert.equal(heard.items.map((e: any) => e.notification.conversationId).sort(), [...ids].sort());
  const counts = heard.items.map((e: any) => e.unreadCount as number);
  assert.ok(counts.every((c) => c > before && c <= before + ids.length), `counts ${counts} after ${before}`);
  assert.is(Math.max(...counts), before + ids.length);
  assert.is((await list(ben.token, '?unread=true')).unreadCount, before + ids.length);
});

notifications('assigned by round robin: each agent notified once, live and listed, with the unread count; a muted agent is not', async () => {
  const person = async (name: string) => {
    const created = await call('POST', '/v1/users', { token: t.adminToken, body: { name, role: 'agent' } });
    return { id: created.body.user.id as string, token: created.body.token as string };
  };
  const [dana, eli] = [await person('Dana Roe'), await person('Eli Moss')];
  assert.is((await call('PATCH', '/v1/notifications/preferences', { token: eli.token, body: { assigned: false } })).status, 200);
  const inbox = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Turns', channel: 'chat', autoAssign: true, memberIds: [dana.id, eli.id] } });
  assert.is(inbox.status, 201, JSON.stringify(inbox.body));
  // Both online before the work arrives, so that round robin hands it to each in turn.
  const watcher = await connect(server.url, t.supervisorToken);
  const online = (id: string) => waitFor(watcher, 'presence', (p: any) => p.userId === id && p.status === 'online');
  const bothOnline = Promise.all([online(dana.id), online(eli.id)]);
  const [danaSocket, eliSocket] = [await connect(server.url, dana.token), await connect(server.url, eli.token)];
  try {
    await bothOnline;
    const heard = collect(danaSocket, 'notification');
    const eliHeard = collect(eliSocket, 'notification');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const created = await call('POST', '/v1/conversations', { token: t.adminToken, body: { inboxId: inbox.body.inbox.id } });
      assert.is(created.status, 201, JSON.stringify(created.body));
      ids.push(created.body.conversation.id);
    }
    const assignees = new Map<string, string>();
    await until(async () => {
      for (const id of ids) assignees.set(id, (await call('GET', `/v1/conversations/${id}`, { token: t.adminToken })).body.conversation.assigneeId);
      return [...assignees.values()].every(Boolean);
    }, 15_000, 'every conversation assigned');
    const danas = ids.filter((id) => assignees.get(id) === dana.id);
    assert.ok(danas.length > 0 && danas.length < ids.length, `round robin shared the work: ${JSON.stringify([...assignees])}`);
    await until(() => heard.items.length >= danas.length, 10_000, 'Dana hears each assignment');
    const live = heard.items as any[];
    assert.equal(live.map((e) => e.notification.conversationId).sort(), [...danas].sort());
    for (const e of live) {
      assert.is(e.notification.kind, 'assigned');
      assert.equal(e.notification.data, { assignmentType: 'auto_round_robin' });
      assert.is(e.notification.actorId, null);
    }
    assert.is(live.at(-1).unreadCount, danas.length, 'the last count is her unread total');
    const listed = (await list(dana.token, '?unread=true')).notifications.filter((n: any) => n.kind === 'assigned');
    assert.equal(listed.map((n: any) => n.conversationId).sort(), [...danas].sort(), 'one each, listed');
    // Eli's assignments committed (read above) with whatever notification they carry: none, he muted the kind.
    assert.is((await list(eli.token)).notifications.filter((n: any) => n.kind === 'assigned').length, 0);
    assert.is(eliHeard.items.length, 0);

    // The counts follow reading and deletion: everything read, the next notification counts one; that one's
    // conversation deleted, unread, the next counts one again.
    assert.is((await call('POST', '/v1/notifications/read', { token: dana.token, body: { all: true } })).body.unreadCount, 0);
    const assignDana = async () => {
      const id = await newConversation(call, t);
      const heardIt = waitFor(danaSocket, 'notification', (e: any) => e.notification.conversationId === id);
      assert.is((await call('POST', `/v1/conversations/${id}/assign`, { token: t.supervisorToken, body: { assigneeId: dana.id } })).status, 200);
      return { id, event: await heardIt };
    };
    const afterReading = await assignDana();
    assert.is(afterReading.event.unreadCount, 1);
    assert.is((await call('DELETE', `/v1/conversations/${afterReading.id}`, { token: t.adminToken })).status, 204);
    assert.is((await list(dana.token, '?unread=true')).unreadCount, 0);
    assert.is((await assignDana()).event.unreadCount, 1);
  } finally {
    for (const s of [watcher, danaSocket, eliSocket]) s.close();
  }
});

notifications('@name in a note notifies that person, lists the mention, and opens a masked thread to them', async () => {
  const inbox = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Private', channel: 'email', visibility: 'metadata', memberIds: [t.agentId, ben.id] } });
  const id = await newConversation(call, t, { inboxId: inbox.body.inbox.id });
  await call('POST', `/v1/conversations/${id}/assign`, { token: t.supervisorToken, body: { assigneeId: t.agentId } });
  await call('POST', `/v1/conversations/${id}/messages`, { token: t.agentToken, body: { clientMessageId: 'secret', body: 'Account number 99-1234' } });
  const before = await call('GET', `/v1/conversations/${id}/messages`, { token: ben.token });
  assert.is(before.body.messages[0].masked, true, 'Ben cannot read it yet');

  const mentioned = waitFor(benSocket, 'mention', (e: any) => e.conversationId === id);
  const note = await call('POST', `/v1/conversations/${id}/messages`, {
    token: t.agentToken, body: { clientMessageId: 'note-1', direction: 'internal', body: 'Can you check this, @ben lee? (not @Ben Leeson)' },
  });
  assert.is(note.status, 201, JSON.stringify(note.body));
  const event = await mentioned;
  assert.is(event.messageId, note.body.message.id);
  assert.is(event.authorId, t.agentId);
  assert.is(event.unreadMentions, 1);

  const mentions = await call('GET', '/v1/mentions', { token: ben.token });
  assert.is(mentions.body.unreadCount, 1);
  assert.is(mentions.body.mentions[0].message.body, 'Can you check this, @ben lee? (not @Ben Leeson)');
  const after = await call('GET', `/v1/conversations/${id}/messages`, { token: ben.token });
  assert.is(after.body.messages[0].body, 'Account number 99-1234', 'the mention opened the thread to Ben');
  // The author is not notified of their own mention, and nobody else was named.
  assert.not.ok((await list(t.agentToken)).notifications.some((n: any) => n.kind === 'mention'));
});

notifications('a customer writing in one\'s conversation notifies its assignee once until read', async () => {
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'n-1', from: { handle: 'gus@example.com' }, body: 'hello' });
  const id = first.body.conversationId;
  await call('POST', `/v1/conversations/${id}/assign`, { token: t.supervisorToken, body: { assigneeId: ben.id } });
  const replied = waitFor(benSocket, 'notification', (e: any) => e.notification.kind === 'customer_replied');
  await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'n-2', from: { handle: 'gus@example.com' }, body: 'anyone?' });
  const event = await replied;
  assert.is(event.notification.conversationId, id);
  await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'n-3', from: { handle: 'gus@example.com' }, body: 'hello??' });
  const count = async () => (await list(ben.token, '?kind=customer_replied')).notifications.length;
  assert.is(await count(), 1, 'not one per message while unread');

  const read = await call('POST', '/v1/notifications/read', { token: ben.token, body: { all: true, kind: 'customer_replied' } });
  assert.is(read.status, 200, JSON.stringify(read.body));
  assert.is(read.body.marked, 1);
  await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'n-4', from: { handle: 'gus@example.com' }, body: 'still there?' });
  await until(async () => (await count()) === 2, 20_000, 'a new one once the first was read');
});

notifications('an SLA warning on one\'s conversation notifies its assignee', async () => {
  const policy = await call('POST', '/v1/sla-policies', { token: t.adminToken, body: { name: 'Quick', firstResponseMinutes: 0.1, resolutionMinutes: 60, warnAtPercent: 50 } });
  const inbox = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Quick', channel: 'chat', slaPolicyId: policy.body.policy.id } });
  // The first-response clock starts with the customer's first message.
  const first = await signedInbound(call, inbox.body.inbox.id, inbox.body.webhookSecret, { externalId: 'sla-1', from: { handle: 'hana' }, body: 'help' });
  const id = first.body.conversationId;
  const warned = waitFor(agentSocket, 'notification', (e: any) => e.notification.kind === 'sla_warning' && e.notification.conversationId === id, 15_000);
  await call('POST', `/v1/conversations/${id}/assign`, { token: t.supervisorToken, body: { assigneeId: t.agentId } });
  const event = await warned;
  assert.is(event.notification.data.kind, 'first_response');
  assert.type(event.notification.data.dueAt, 'string');
});

notifications('muted kinds are not written; preferences are one\'s own; marking read by id; nobody lists another\'s', async () => {
  const muted = await call('PATCH', '/v1/notifications/preferences', { token: ben.token, body: { assigned: false } });
  assert.is(muted.status, 200, JSON.stringify(muted.body));
  assert.equal(muted.body.preferences, { assigned: false, mention: true, sla_warning: true, customer_replied: true });
  const id = await newConversation(call, t);
  await call('POST', `/v1/conversations/${id}/assign`, { token: t.supervisorToken, body: { assigneeId: ben.id } });
  // A mention after the assignment: when it is listed, the assignment (published before it) has been handled.
  await call('POST', `/v1/conversations/${id}/messages`, { token: t.supervisorToken, body: { clientMessageId: 'ping', direction: 'internal', body: 'over to @Ben Lee' } });
  await until(async () => (await list(ben.token)).notifications.some((n: any) => n.kind === 'mention' && n.conversationId === id), 20_000, 'the mention');
  assert.not.ok((await list(ben.token)).notifications.some((n: any) => n.kind === 'assigned' && n.conversationId === id), 'assigned is muted');
  assert.equal((await call('GET', '/v1/notifications/preferences', { token: t.agentToken })).body.preferences.assigned, true, 'another person\'s stay on');

  const unread = (await list(ben.token, '?unread=true')).notifications;
  const marked = await call('POST', '/v1/notifications/read', { token: ben.token, body: { ids: [unread[0].id] } });
  assert.is(marked.body.marked, 1);
  assert.is(marked.body.unreadCount, unread.length - 1);
  // Another person's ids mark nothing.
  assert.is((await call('POST', '/v1/notifications/read', { token: t.agentToken, body: { ids: [unread[1]?.id ?? unread[0].id] } })).body.marked, 0);
  for (const bad of [{}, { ids: [] }, { ids: ['x'] }, { all: false }, { all: true, kind: 'everything' }]) {
    assert.is((await call('POST', '/v1/notifications/read', { token: ben.token, body: bad })).status, 400, JSON.stringify(bad));
  }
  assert.ok((await list(t.agentToken)).notifications.every((n: any) => n.kind !== 'mention' || n.conversationId !== id), 'only one\'s own');
  assert.is((await call('GET', '/v1/notifications', { token: t.botKey })).status, 403, 'people only');
});

notifications.run();
