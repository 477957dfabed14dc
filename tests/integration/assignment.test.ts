// Round robin over real sockets: fairness, presence, capacity, the waiting queue, history and events.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { collect, connect, ok, request, waitFor, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
const sockets: ClientSocket[] = [];

interface Team {
  adminToken: string;
  supervisor: ClientSocket;
  inboxId: string;
  webhookSecret: string;
  botKey: string;
  agents: { id: string; token: string; socket: ClientSocket | null }[];
}

async function track(s: Promise<ClientSocket>): Promise<ClientSocket> {
  const socket = await s;
  sockets.push(socket);
  return socket;
}

/** A tenant with `n` agents (all online unless told), in one auto-assigning inbox, and a supervisor socket. */
async function team(n: number, options: { capacity?: number | null; online?: boolean[]; autoAssign?: boolean } = {}): Promise<Team> {
  const tenant = await call('POST', '/v1/tenants', { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { name: 'RR', defaultInboxVisibility: 'share_everything' } });
  const adminToken = tenant.body.admin.token;
  const agents: Team['agents'] = [];
  for (let i = 0; i < n; i++) {
    const res = await call('POST', '/v1/users', { token: adminToken, body: { name: `Agent ${i}`, role: 'agent', capacity: options.capacity ?? null } });
    const online = options.online?.[i] ?? true;
    agents.push({ id: res.body.user.id, token: res.body.token, socket: online ? await track(connect(server.url, res.body.token)) : null });
  }
  const sup = await call('POST', '/v1/users', { token: adminToken, body: { name: 'Sup', role: 'supervisor' } });
  const bot = await call('POST', '/v1/users', { token: adminToken, body: { name: 'Bot', role: 'bot' } });
  const inbox = await call('POST', '/v1/inboxes', { token: adminToken, body: { name: 'Chat', channel: 'chat', autoAssign: options.autoAssign ?? true, memberIds: agents.map((a) => a.id) } });
  return {
    adminToken, inboxId: inbox.body.inbox.id, webhookSecret: inbox.body.webhookSecret, botKey: bot.body.token, agents,
    supervisor: await track(connect(server.url, sup.body.token)),
  };
}

async function create(t: Team, token = t.adminToken, timeoutMs?: number) {
  const res = await call('POST', '/v1/conversations', { token, body: { inboxId: t.inboxId }, timeoutMs });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.conversation;
}

function countBy(ids: (string | null)[]): Map<string | null, number> {
  const counts = new Map<string | null, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

const rr = suite('round robin');

rr.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
});
rr.after(async () => {
  for (const s of sockets) s.close();
  await server.stop();
});

rr('30 new conversations over 3 online agents give 10/10/10, in turn', async () => {
  const t = await team(3);
  const assigned: string[] = [];
  for (let i = 0; i < 30; i++) assigned.push((await create(t)).assigneeId);
  assert.equal([...countBy(assigned).values()], [10, 10, 10]);
  assert.equal(assigned.slice(0, 3), t.agents.map((a) => a.id), 'ties go by member order');
  for (let i = 3; i < 30; i++) assert.is(assigned[i], assigned[i - 3], 'each round keeps the same order');
});

rr('away and offline agents are skipped; an agent coming back online takes the oldest waiting', async () => {
  const t = await team(3, { online: [true, true, false] });
  await ok(t.agents[1].socket!, 'presence:set', { status: 'away' });
  const assigned: string[] = [];
  for (let i = 0; i < 4; i++) assigned.push((await create(t)).assigneeId);
  assert.equal(assigned, [t.agents[0].id, t.agents[0].id, t.agents[0].id, t.agents[0].id]);
  // With the only online agent away too, conversations wait.
  await ok(t.agents[0].socket!, 'presence:set', { status: 'busy' });
  const first = await create(t);
  const second = await create(t);
  assert.is(first.assigneeId, null);
  assert.is(second.assigneeId, null);
  const takes = waitFor(t.supervisor, 'assignment', (e: any) => e.conversationId === first.id);
  const takesSecond = waitFor(t.supervisor, 'assignment', (e: any) => e.conversationId === second.id);
  t.agents[2].socket = await track(connect(server.url, t.agents[2].token));
  const event = await takes;
  assert.is(event.assigneeId, t.agents[2].id);
  assert.is(event.type, 'auto_round_robin');
  assert.is(event.previousAssigneeId, null);
  assert.is(event.byUserId, null);
  assert.is((await takesSecond).assigneeId, t.agents[2].id);
});

rr('capacity is respected and the queue drains oldest first when capacity frees', async () => {
  const t = await team(2, { capacity: 1 });
  const a = await create(t);
  const b = await create(t);
  assert.equal(new Set([a.assigneeId, b.assigneeId]), new Set(t.agents.map((x) => x.id)));
  const waiting1 = await create(t);
  const waiting2 = await create(t);
  assert.is(waiting1.assigneeId, null);
  assert.is(waiting2.assigneeId, null);
  const owner = t.agents.find((x) => x.id === a.assigneeId)!;
  const drained = waitFor(t.supervisor, 'assignment', (e: any) => e.type === 'auto_round_robin' && e.assigneeId === owner.id);
  await ok(owner.socket!, 'conversation:status', { conversationId: a.id, status: 'resolved' });
  const event = await drained;
  assert.is(event.conversationId, waiting1.id, 'the oldest waiting conversation goes first');
  const still = await call('GET', `/v1/conversations/${waiting2.id}`, { token: t.adminToken });
  assert.is(still.body.conversation.assigneeId, null);
});

rr('200 concurrent creations from many clients never double-assign', async () => {
  const t = await team(4, { capacity: 60 });
  const clients = await Promise.all(t.agents.map(async (a) => a.token));
  // The embedded database runs one statement at a time, so the last of 200 simultaneous creations waits for
  // all the others (about 14 s on a 2-core machine): this test is about never double-assigning, not speed.
  const created = await Promise.all(Array.from({ length: 200 }, (_, i) => create(t, clients[i % clients.length], 60_000)));
  const listed: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await call('GET', `/v1/conversations?inboxId=${t.inboxId}&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: t.adminToken });
    listed.push(...page.body.conversations);
    cursor = page.body.nextCursor;
  } while (cursor);
  assert.is(listed.length, 200);
  const counts = countBy(listed.map((c) => c.assigneeId));
  assert.not.ok(counts.has(null), 'everything was assigned');
  for (const n of counts.values()) assert.ok(n === 50, `fair split: ${[...counts.values()]}`);
  // History rows match assignments one to one: one auto row each, open, naming the assignee.
  for (const c of created.slice(0, 40)) {
    const history = await call('GET', `/v1/conversations/${c.id}/assignments`, { token: t.adminToken });
    const rows = history.body.assignments;
    const current = listed.find((x) => x.id === c.id).assigneeId;
    assert.is(rows.length, 1, JSON.stringify(rows));
    assert.is(rows[0].type, 'auto_round_robin');
    assert.is(rows[0].assigneeId, current);
    assert.is(rows[0].unassignedAt, null);
  }
  const [row] = await server.app.orm.em.fork().getConnection().execute<{ n: string }[]>(
    `select count(*) as n from conversation_assignments a join conversations c on c.id = a.conversation_id
     where c.inbox_id = ? and a.unassigned_at is null and a.assignee_id = c.assignee_id`, [t.inboxId]);
  assert.is(Number(row.n), 200);
});

rr('manual assign, transfer and unassign close and open history rows and send assignment events', async () => {
  const t = await team(2, { online: [false, false] });
  const c = await create(t);
  assert.is(c.assigneeId, null);
  const [a, b] = t.agents;
  const seen = collect(t.supervisor, 'assignment');
  const toA = waitFor(t.supervisor, 'assignment', (e: any) => e.conversationId === c.id && e.type === 'manual');
  const unassigned = waitFor(t.supervisor, 'assignment', (e: any) => e.conversationId === c.id && e.type === 'unassign');
  const r1 = await call('POST', `/v1/conversations/${c.id}/assign`, { token: t.adminToken, body: { assigneeId: a.id } });
  assert.is(r1.body.conversation.assigneeId, a.id);
  await toA;
  const sup = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Sup2', role: 'supervisor' } });
  const supSocket = await track(connect(server.url, sup.body.token));
  const moved = await ok(supSocket, 'conversation:assign', { conversationId: c.id, assigneeId: b.id, reason: 'language' });
  assert.is(moved.conversation.assigneeId, b.id);
  const cleared = await ok(supSocket, 'conversation:assign', { conversationId: c.id, assigneeId: null, reason: 'back to queue' });
  assert.is(cleared.conversation.assigneeId, null);
  const history = (await call('GET', `/v1/conversations/${c.id}/assignments`, { token: t.adminToken })).body.assignments;
  assert.equal(history.map((h: any) => [h.type, h.assigneeId, h.previousAssigneeId]), [
    ['manual', a.id, null], ['transfer', b.id, a.id], ['unassign', null, b.id],
  ]);
  assert.equal(history.map((h: any) => h.unassignedAt === null), [false, false, true]);
  assert.is(history[1].reason, 'language');
  assert.is(history[1].byUserId, sup.body.user.id);
  await unassigned;
  seen.stop();
  assert.equal(seen.items.filter((e: any) => e.conversationId === c.id).map((e: any) => e.type), ['manual', 'transfer', 'unassign']);
});

rr('agents may only take unassigned conversations for themselves; bots may only hand off', async () => {
  const t = await team(2, { online: [false, false], autoAssign: false });
  const c = await create(t);
  const [a, b] = t.agents;
  const agentSocket = await track(connect(server.url, a.token));
  const other = await request(agentSocket, 'conversation:assign', { conversationId: c.id, assigneeId: b.id });
  assert.is((other as any).error.code, 'FORBIDDEN');
  const take = await ok(agentSocket, 'conversation:assign', { conversationId: c.id, assigneeId: a.id });
  assert.is(take.conversation.assigneeId, a.id);
  const steal = await call('POST', `/v1/conversations/${c.id}/assign`, { token: b.token, body: { assigneeId: b.id } });
  assert.is(steal.status, 403);
  const bot = await track(connect(server.url, t.botKey));
  const botAssign = await request(bot, 'conversation:assign', { conversationId: c.id, assigneeId: b.id });
  assert.is((botAssign as any).error.code, 'FORBIDDEN');
});

rr('a bot handing off puts the conversation through round robin', async () => {
  const t = await team(1, { online: [true] });
  const bot = await track(connect(server.url, t.botKey));
  const c = (await call('POST', '/v1/conversations', { token: t.botKey, body: { inboxId: t.inboxId } })).body.conversation;
  assert.is(c.assigneeId, t.agents[0].id, 'created unassigned in a routing inbox, so routed');
  await ok(t.agents[0].socket!, 'presence:set', { status: 'away' });
  const sup = await call('POST', `/v1/conversations/${c.id}/assign`, { token: t.adminToken, body: { assigneeId: null } });
  assert.is(sup.body.conversation.assigneeId, null);
  await ok(bot, 'conversation:status', { conversationId: c.id, status: 'pending' });
  const handed = waitFor(t.supervisor, 'assignment', (e: any) => e.conversationId === c.id && e.type === 'auto_round_robin');
  await ok(t.agents[0].socket!, 'presence:set', { status: 'online' });
  const back = await ok(bot, 'conversation:assign', { conversationId: c.id, assigneeId: null });
  assert.ok(back.conversation.assigneeId === null || back.conversation.assigneeId === t.agents[0].id);
  assert.is((await handed).assigneeId, t.agents[0].id);
});

rr('a resolved conversation reopened by an inbound message goes to an eligible agent', async () => {
  const t = await team(2, { online: [true, false] });
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'r1', from: { handle: 'back@example.com' }, body: 'help' });
  const id = first.body.conversationId;
  const c = (await call('GET', `/v1/conversations/${id}`, { token: t.adminToken })).body.conversation;
  assert.is(c.assigneeId, t.agents[0].id);
  await call('POST', `/v1/conversations/${id}/status`, { token: t.adminToken, body: { status: 'resolved' } });
  // The assignee leaves; another agent is online when the customer writes again.
  const gone = waitFor(t.supervisor, 'presence', (e: any) => e.userId === t.agents[0].id && e.status === 'offline');
  t.agents[0].socket!.close();
  await gone;
  t.agents[1].socket = await track(connect(server.url, t.agents[1].token));
  const reassigned = waitFor(t.supervisor, 'assignment', (e: any) => e.conversationId === id && e.type === 'auto_round_robin');
  await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'r2', from: { handle: 'back@example.com' }, body: 'again' });
  assert.is((await reassigned).assigneeId, t.agents[1].id);
  const history = (await call('GET', `/v1/conversations/${id}/assignments`, { token: t.adminToken })).body.assignments;
  assert.equal(history.map((h: any) => h.type), ['auto_round_robin', 'unassign', 'auto_round_robin']);
});

rr.run();
