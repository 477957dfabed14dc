// Reports, each against figures worked out by hand from the data seeded here (one tenant per report).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let external = 0;

const reports = suite('reports');

reports.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
});
reports.after(async () => {
  await server.stop();
});

/** Test-only: back-dates rows so that durations are known exactly. */
function exec(query: string, params: unknown[] = []) {
  return server.app.orm.em.fork().getConnection().execute(query, params);
}

async function post(t: SeededTenant, conversationId: string, body: string, extra: Record<string, unknown> = {}, token = t.agentToken) {
  const res = await call('POST', `/v1/conversations/${conversationId}/messages`, { token, body: { clientMessageId: `r-${++external}`, body, ...extra } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.message;
}

async function inbound(t: SeededTenant, handle: string, body: string, extra: Record<string, unknown> = {}, inbox = { id: t.inboxId, secret: t.webhookSecret }) {
  const res = await signedInbound(call, inbox.id, inbox.secret, { externalId: `r-${++external}`, from: { handle }, body, ...extra });
  assert.is(res.status, 202, JSON.stringify(res.body));
  return res.body as { conversationId: string; messageId: string };
}

reports('a contact\'s full history spans its conversations and the threads that hang off it, newest first, with sender names, paged', async () => {
  const t = await seedTenant(call, 'History');
  const a = await inbound(t, 'carla@history.example', 'a');
  await post(t, a.conversationId, 'b');
  await call('POST', `/v1/conversations/${a.conversationId}/status`, { token: t.agentToken, body: { status: 'closed' } });
  const c = await inbound(t, 'carla@history.example', 'c');
  assert.ok(c.conversationId !== a.conversationId);
  await post(t, c.conversationId, 'd', { direction: 'internal' });
  await inbound(t, 'someone.else@history.example', 'e');
  // A thread about the contact (it hangs off the contact's record) that is not the contact's own conversation.
  const onRecord = await newConversation(call, t, { entityType: 'contact', entityId: t.contactId });
  await post(t, onRecord, 'f');
  const first = await call('GET', `/v1/contacts/${t.contactId}/history?limit=3`, { token: t.agentToken });
  assert.is(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.messages.map((m: any) => [m.body, m.senderName]), [['f', 'History agent'], ['d', 'History agent'], ['c', 'Carla Customer']]);
  const rest = await call('GET', `/v1/contacts/${t.contactId}/history?limit=3&cursor=${first.body.nextCursor}`, { token: t.agentToken });
  assert.equal(rest.body.messages.map((m: any) => [m.body, m.senderName]), [['b', 'History agent'], ['a', 'Carla Customer']]);
  assert.is(rest.body.nextCursor, null);
  const missing = await call('GET', `/v1/contacts/${crypto.randomUUID()}/history`, { token: t.agentToken });
  assert.is(missing.status, 404);
});

reports('recent inbound messages across threads, newest first, at most 50', async () => {
  const t = await seedTenant(call, 'Recent');
  const sent: string[] = [];
  for (let i = 1; i <= 53; i++) {
    const { conversationId } = await inbound(t, `person${i % 3}@recent.example`, `in ${i}`);
    sent.push(`in ${i}`);
    if (i % 10 === 0) await post(t, conversationId, `reply ${i}`);
  }
  const res = await call('GET', '/v1/reports/recent-inbound', { token: t.agentToken });
  assert.equal(res.body.items.map((i: any) => i.message.body), sent.slice(-50).reverse());
  const few = await call('GET', '/v1/reports/recent-inbound?limit=2', { token: t.agentToken });
  assert.equal(few.body.items.map((i: any) => [i.message.body, i.contactName, i.conversation.channel, i.conversation.id === i.message.conversationId]), [
    ['in 53', 'person2@recent.example', 'email', true], ['in 52', 'person1@recent.example', 'email', true],
  ]);
  // Above the largest page: the largest page, not an error.
  const tooMany = await call('GET', '/v1/reports/recent-inbound?limit=51', { token: t.agentToken });
  assert.is(tooMany.status, 200);
  assert.is(tooMany.body.items.length, 50);
});

reports('threads not closed awaiting a human reply, by their earliest unanswered inbound message', async () => {
  const t = await seedTenant(call, 'Awaiting');
  const p = await inbound(t, 'p@awaiting.example', 'P waits');
  const q = await inbound(t, 'q@awaiting.example', 'Q asks');
  await post(t, q.conversationId, 'Q answered');
  const r = await inbound(t, 'r@awaiting.example', 'R asks');
  await post(t, r.conversationId, 'R answered');
  const s = await inbound(t, 's@awaiting.example', 'S asks');
  await post(t, s.conversationId, 'S answered by the bot', {}, t.botKey);
  const u = await inbound(t, 'u@awaiting.example', 'U asks');
  await call('POST', `/v1/conversations/${u.conversationId}/status`, { token: t.agentToken, body: { status: 'resolved' } });
  await inbound(t, 'r@awaiting.example', 'R asks again');
  const v = await inbound(t, 'v@awaiting.example', 'V waits');
  await post(t, v.conversationId, 'a private note', { direction: 'internal' });
  const w = await inbound(t, 'w@awaiting.example', 'W waits, pending');
  await call('POST', `/v1/conversations/${w.conversationId}/status`, { token: t.agentToken, body: { status: 'pending' } });
  const x = await inbound(t, 'x@awaiting.example', 'X asks, then closed');
  await call('POST', `/v1/conversations/${x.conversationId}/status`, { token: t.agentToken, body: { status: 'closed' } });
  const res = await call('GET', '/v1/reports/awaiting-reply', { token: t.agentToken });
  assert.is(res.status, 200, JSON.stringify(res.body));
  // S: the bot's answer is not a human reply. R: waits since its second question. W: pending still waits.
  assert.equal(res.body.conversations.map((c: any) => c.id), [p.conversationId, s.conversationId, r.conversationId, v.conversationId, w.conversationId]);
  const rRow = res.body.conversations.find((c: any) => c.id === r.conversationId);
  const rMessages = await call('GET', `/v1/conversations/${r.conversationId}/messages`, { token: t.agentToken });
  assert.is(rRow.awaitingSince, rMessages.body.messages.find((m: any) => m.body === 'R asks again').sentAt);
});

reports('message volume by channel and direction over the last N days', async () => {
  const t = await seedTenant(call, 'Volume');
  const chat = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Chat', channel: 'chat' } });
  const one = await inbound(t, 'v1@volume.example', 'in 1');
  await inbound(t, 'v1@volume.example', 'in 2');
  await inbound(t, 'v2@volume.example', 'in 3');
  await post(t, one.conversationId, 'out 1');
  await post(t, one.conversationId, 'out 2');
  await post(t, one.conversationId, 'note', { direction: 'internal' });
  await inbound(t, 'chat-visitor-1', 'chat in', {}, { id: chat.body.inbox.id, secret: chat.body.webhookSecret });
  await inbound(t, 'v3@volume.example', 'ten days ago', { sentAt: new Date(Date.now() - 10 * 86_400_000).toISOString() });
  const week = await call('GET', '/v1/reports/message-volume?days=7', { token: t.supervisorToken });
  assert.is(week.status, 200, JSON.stringify(week.body));
  assert.equal(week.body.rows, [
    { channel: 'email', inbound: 3, outbound: 2, internal: 1, total: 6 },
    { channel: 'chat', inbound: 1, outbound: 0, internal: 0, total: 1 },
  ]);
  const month = await call('GET', '/v1/reports/message-volume?days=30', { token: t.supervisorToken });
  assert.equal(month.body.rows[0], { channel: 'email', inbound: 4, outbound: 2, internal: 1, total: 7 });
  const agent = await call('GET', '/v1/reports/message-volume', { token: t.agentToken });
  assert.is(agent.status, 403);
  const bad = await call('GET', '/v1/reports/message-volume?days=0', { token: t.supervisorToken });
  assert.is(bad.status, 400);
});

reports('threads not closed per record type, most first, with their messages and last message', async () => {
  const t = await seedTenant(call, 'ByType');
  const d1 = await newConversation(call, t, { entityType: 'deal', entityId: 'd1' });
  const d2 = await newConversation(call, t, { entityType: 'deal', entityId: 'd2' });
  const d3 = await newConversation(call, t, { entityType: 'deal', entityId: 'd3' });
  const ticket = await newConversation(call, t, { entityType: 'ticket', entityId: 't1' });
  const loose = await newConversation(call, t);
  await post(t, d1, 'one');
  await post(t, d1, 'two', { direction: 'internal' });
  await post(t, d3, 'three');
  await call('POST', `/v1/conversations/${d3}/status`, { token: t.agentToken, body: { status: 'resolved' } });
  const last = await post(t, d2, 'four');
  const looseMessage = await post(t, loose, 'five');
  await call('POST', `/v1/conversations/${loose}/status`, { token: t.agentToken, body: { status: 'pending' } });
  const res = await call('GET', '/v1/reports/open-by-entity-type', { token: t.agentToken });
  assert.equal(res.body.rows, [
    { entityType: 'deal', openConversations: 2, messageCount: 3, lastActivityAt: last.createdAt },
    { entityType: 'ticket', openConversations: 1, messageCount: 0, lastActivityAt: null },
    { entityType: null, openConversations: 1, messageCount: 1, lastActivityAt: looseMessage.createdAt },
  ]);
});

reports('first-response and resolution percentiles per inbox and per agent', async () => {
  const t = await seedTenant(call, 'Times');
  const other = await call('POST', '/v1/users', { token: t.adminToken, body: { name: 'Times other', role: 'agent' } });
  const otherId = other.body.user.id;
  const hour = 3600_000;
  const base = Date.now() - 5 * 86_400_000;
  // [assignee, seconds to first response, seconds to resolution]
  const rows: [string | null, number | null, number | null][] = [
    [t.agentId, 60, 3600], [otherId, 120, 7200], [t.agentId, 300, null], [otherId, 600, null], [null, null, null],
  ];
  for (const [i, [assignee, frt, rt]] of rows.entries()) {
    const id = await newConversation(call, t);
    const created = new Date(base + i * hour);
    await exec(`update conversations set created_at = ?, assignee_id = ?, first_response_at = ?, resolved_at = ?,
      status = case when ?::boolean then 'resolved' else status end where id = ?`, [
      created, assignee, frt === null ? null : new Date(created.getTime() + frt * 1000),
      rt === null ? null : new Date(created.getTime() + rt * 1000), rt !== null, id]);
  }
  const old = await newConversation(call, t);
  await exec('update conversations set created_at = ?, first_response_at = ? where id = ?', [new Date(Date.now() - 40 * 86_400_000), new Date(Date.now() - 39 * 86_400_000), old]);
  const res = await call('GET', '/v1/reports/response-times?days=30', { token: t.supervisorToken });
  assert.is(res.status, 200, JSON.stringify(res.body));
  // Interpolated percentiles: of [60,120,300,600] p50 = 210, p90 = 300 + 0.7 * 300 = 510; of [3600,7200] p50 = 5400, p90 = 6840.
  assert.equal(res.body.byInbox, [{
    id: t.inboxId, conversations: 5,
    firstResponse: { count: 4, p50: 210, p90: 510 }, resolution: { count: 2, p50: 5400, p90: 6840 },
  }]);
  const byAgent = Object.fromEntries(res.body.byAgent.map((r: any) => [r.id, r]));
  // Agent: [60,300] → 180 and 60 + 0.9 * 240 = 276; other: [120,600] → 360 and 120 + 0.9 * 480 = 552.
  assert.equal(byAgent[t.agentId].firstResponse, { count: 2, p50: 180, p90: 276 });
  assert.equal(byAgent[t.agentId].resolution, { count: 1, p50: 3600, p90: 3600 });
  assert.equal(byAgent[otherId].firstResponse, { count: 2, p50: 360, p90: 552 });
  assert.is(res.body.byAgent.length, 2);
});

reports('SLA attainment per policy', async () => {
  const t = await seedTenant(call, 'Attainment');
  const now = new Date();
  // [first response met, first response breached, resolved, resolution breached]
  const cases: [boolean, boolean, boolean, boolean][] = [
    [true, false, false, false], [true, true, false, false], [false, false, false, false], [true, false, true, false], [true, false, true, true],
  ];
  const ids: string[] = [];
  for (const [responded, frBreached, resolved, resBreached] of cases) {
    const id = await newConversation(call, t);
    ids.push(id);
    await exec(`update conversations set first_response_at = ?, first_response_breached_at = ?, resolved_at = ?, resolution_breached_at = ?
      where id = ?`, [responded ? now : null, frBreached ? now : null, resolved ? now : null, resBreached ? now : null, id]);
  }
  await exec(`insert into sla_events (id, tenant_id, conversation_id, policy_id, kind, type, cycle, due_at, occurred_at, created_at)
    values (?, ?, ?, ?, 'next_response', 'breach', 1, ?, ?, ?)`, [crypto.randomUUID(), t.tenantId, ids[1], t.policyId, now, now, now]);
  const unused = await call('POST', '/v1/sla-policies', { token: t.adminToken, body: { name: 'Unused', firstResponseMinutes: 5, resolutionMinutes: 60 } });
  assert.is(unused.status, 201);
  const res = await call('GET', '/v1/reports/sla-attainment', { token: t.supervisorToken });
  assert.is(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.policies, [{
    policyId: t.policyId, name: 'Standard', conversations: 5,
    firstResponse: { met: 3, breached: 1, pending: 1, attainment: 0.75 },
    resolution: { met: 1, breached: 1, pending: 3, attainment: 0.5 },
    nextResponseBreaches: 1,
  }]);
});

reports('a non-participant reads reports over masked threads in their masked form', async () => {
  const t = await seedTenant(call, 'MaskedReports');
  const inbox = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Private', channel: 'email', visibility: 'subject' } });
  await inbound(t, 'secret@masked.example', 'private words', {}, { id: inbox.body.inbox.id, secret: inbox.body.webhookSecret });
  const agent = await call('GET', '/v1/reports/recent-inbound', { token: t.agentToken });
  assert.equal(agent.body.items.map((i: any) => [i.message.body, i.message.masked, i.conversation.masked, i.conversation.lastMessagePreview]), [['', true, true, null]]);
  const waiting = await call('GET', '/v1/reports/awaiting-reply', { token: t.agentToken });
  assert.equal(waiting.body.conversations.map((c: any) => [c.lastMessagePreview, c.masked]), [[null, true]]);
  const admin = await call('GET', '/v1/reports/recent-inbound', { token: t.adminToken });
  assert.equal(admin.body.items.map((i: any) => [i.message.body, i.conversation.lastMessagePreview]), [['private words', 'private words']]);
});

reports.run();
