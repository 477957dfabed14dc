// Macros (an agent's named list of actions, one call) and automation rules (event → conditions → actions):
// the actions go through the same services as the API, so the same checks and events apply; a rule runs once
// per event, its own actions never trigger it again, and every run is in its log.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, waitFor, type ClientSocket } from '../helpers/sockets.ts';
import { until } from '../helpers/wait.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let receiver: Receiver;
let watcher: ClientSocket;
const automation = suite('macros and automation rules');

const as = (token: string, method: string, path: string, body?: unknown) => call(method, path, { token, body });

automation.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Automation');
  receiver = await startReceiver(() => 200);
  watcher = await connect(server.url, t.supervisorToken);
});
automation.after(async () => {
  watcher.close();
  await receiver.close();
  await server.stop();
});

type Listed = { id: string; status: string; priority: string; customAttributes: Record<string, unknown> };
/** The supervisor's list hears every change of the tenant's conversations: the first that matches. */
const changed = async (match: (c: Listed) => boolean): Promise<Listed> => {
  const event = await waitFor<{ conversations: Listed[] }>(watcher, 'conversations:changed', (e) => e.conversations.some(match));
  return event.conversations.find(match)!;
};
const tagNamed = async (name: string) => (await as(t.adminToken, 'POST', '/v1/tags', { name })).body.tag.id as string;
const messagesOf = async (id: string) => (await as(t.adminToken, 'GET', `/v1/conversations/${id}/messages`)).body.messages as { body: string; direction: string; senderType: string; authorId: string | null }[];

automation('a shared macro runs its actions in order as the agent; a refused action is reported and the rest still run', async () => {
  const escalate = await tagNamed('escalated');
  const team = (await as(t.adminToken, 'POST', '/v1/teams', { name: 'Tier 2', memberIds: [t.agentId] })).body.team;
  const made = await as(t.supervisorToken, 'POST', '/v1/macros', {
    name: 'Escalate', shared: true,
    actions: [
      { type: 'add_tag', tagId: escalate }, { type: 'set_priority', priority: 'high' }, { type: 'assign_team', teamId: team.id },
      { type: 'assign_agent', userId: t.adminId }, { type: 'add_note', body: 'Escalated to tier 2' },
    ],
  });
  assert.is(made.status, 201, JSON.stringify(made.body));
  const id = await newConversation(call, t);
  const ran = await as(t.agentToken, 'POST', `/v1/macros/${made.body.macro.id}/run`, { conversationId: id });
  assert.is(ran.status, 200, JSON.stringify(ran.body));
  assert.equal(ran.body.results.map((r: { type: string; ok: boolean }) => [r.type, r.ok]),
    [['add_tag', true], ['set_priority', true], ['assign_team', true], ['assign_agent', false], ['add_note', true]]);
  assert.match(ran.body.results[3].error, /FORBIDDEN/, 'an agent may not assign a colleague: the macro runs with the caller\'s rights');
  assert.is(ran.body.conversation.priority, 'high');
  assert.is(ran.body.conversation.teamId, team.id);
  assert.is(ran.body.conversation.assigneeId, null);
  const tags = await as(t.agentToken, 'GET', `/v1/conversations/${id}/tags`);
  assert.equal(tags.body.tags.map((x: { name: string }) => x.name), ['escalated']);
  const note = (await messagesOf(id)).find((m) => m.body === 'Escalated to tier 2');
  assert.ok(note);
  assert.equal([note.direction, note.senderType, note.authorId], ['internal', 'user', t.agentId]);
});

automation('macros: one\'s own stay one\'s own, only supervisors share, webhooks are not a macro\'s', async () => {
  const mine = await as(t.agentToken, 'POST', '/v1/macros', { name: 'Mine', actions: [{ type: 'mute' }] });
  assert.is(mine.status, 201);
  assert.is((await as(t.supervisorToken, 'GET', `/v1/macros/${mine.body.macro.id}`)).status, 404);
  assert.not.ok((await as(t.supervisorToken, 'GET', '/v1/macros')).body.macros.some((m: { id: string }) => m.id === mine.body.macro.id));
  assert.is((await as(t.agentToken, 'POST', '/v1/macros', { name: 'Shared', shared: true, actions: [{ type: 'mute' }] })).status, 403);
  assert.is((await as(t.supervisorToken, 'POST', '/v1/macros', { name: 'Hook', actions: [{ type: 'send_webhook', webhookId: crypto.randomUUID() }] })).status, 400);
  assert.is((await as(t.supervisorToken, 'POST', '/v1/macros', { name: 'Empty', actions: [] })).status, 400);
  assert.is((await as(t.supervisorToken, 'POST', '/v1/macros', { name: 'Odd', actions: [{ type: 'teleport' }] })).status, 400);
  const id = await newConversation(call, t);
  const muted = await as(t.agentToken, 'POST', `/v1/macros/${mine.body.macro.id}/run`, { conversationId: id });
  assert.is(muted.body.conversation.muted, true);
  const shared = (await as(t.supervisorToken, 'GET', '/v1/macros')).body.macros.find((m: { name: string }) => m.name === 'Escalate');
  assert.is((await as(t.agentToken, 'PATCH', `/v1/macros/${shared.id}`, { name: 'Mine now' })).status, 403);
});

automation('a rule on new messages: conditions over text and channel, actions with a webhook; its own note does not trigger it again', async () => {
  const refund = await tagNamed('refund');
  const hook = await as(t.adminToken, 'POST', '/v1/webhooks', { url: `${receiver.url}/hook`, events: ['conversation.created'] });
  assert.is(hook.status, 201, JSON.stringify(hook.body));
  const rule = await as(t.supervisorToken, 'POST', '/v1/automation-rules', {
    name: 'Refunds', event: 'message.created',
    conditions: [{ field: 'message', operator: 'contains', values: ['refund'] }, { field: 'channel', operator: 'in', values: ['email'] }],
    actions: [
      { type: 'add_tag', tagId: refund }, { type: 'set_priority', priority: 'urgent' },
      { type: 'add_note', body: 'Refund requested: check the order' }, { type: 'send_webhook', webhookId: hook.body.webhook.id },
    ],
  });
  assert.is(rule.status, 201, JSON.stringify(rule.body));
  const ruleId = rule.body.rule.id;
  const runs = async () => (await as(t.supervisorToken, "GET", `/v1/automation-rules/${ruleId}/runs`)).body.runs as { outcome: string; conversationId: string; results: { ok: boolean }[]; eventKey: string }[];

  const inbound = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'rf-1', from: { handle: 'rita@example.com' }, body: 'I would like a REFUND please' });
  const id = inbound.body.conversationId;
  const delivered = await receiver.waitFor((r) => r.body.includes('automation.triggered'));
  const payload = JSON.parse(delivered[0].body);
  assert.equal([payload.type, payload.data.ruleId, payload.data.conversationId], ['automation.triggered', ruleId, id]);
  const first = await until(async () => { const r = await runs(); return r.length === 1 && r[0].outcome === 'done' && r; }, 5_000, 'the first run logged');
  assert.is(first[0].conversationId, id);
  const conversation = (await as(t.adminToken, 'GET', `/v1/conversations/${id}`)).body.conversation;
  assert.is(conversation.priority, 'urgent');
  const notes = (await messagesOf(id)).filter((m) => m.direction === 'internal');
  assert.equal(notes.map((m) => [m.body, m.senderType]), [['Refund requested: check the order', 'system']]);

  // A message without the word runs nothing; another with it runs once more. The rule's note ("Refund …") is
  // itself a new message of an email thread: were the loop guard missing, every note would run the rule again.
  await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'rf-2', from: { handle: 'rita@example.com' }, body: 'Thanks' });
  await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'rf-3', from: { handle: 'rita@example.com' }, body: 'Any news on the refund?' });
  await until(async () => { const r = await runs(); return r.length >= 2 && r.every((x) => x.outcome === 'done') && r; }, 5_000, 'the second run logged');
  await receiver.waitFor((r) => r.body.includes('automation.triggered'), 2);
  assert.is((await runs()).length, 2);
  assert.is((await messagesOf(id)).filter((m) => m.direction === 'internal').length, 2);
});

automation('a rule on new conversations with an attribute condition; one on changes; a failing action is logged as failed', async () => {
  await as(t.adminToken, 'POST', '/v1/custom-attributes', { appliesTo: 'conversation', key: 'plan', label: 'Plan', type: 'list', options: ['free', 'enterprise'] });
  const vip = await as(t.adminToken, 'POST', '/v1/automation-rules', {
    name: 'Enterprise first', event: 'conversation.created',
    conditions: [{ field: 'attribute', key: 'plan', operator: 'equals', value: 'enterprise' }],
    actions: [{ type: 'set_priority', priority: 'high' }],
  });
  assert.is(vip.status, 201, JSON.stringify(vip.body));
  const bumped = changed((c) => c.priority === 'high' && c.customAttributes.plan === 'enterprise');
  const big = (await as(t.agentToken, 'POST', '/v1/conversations', { inboxId: t.inboxId, customAttributes: { plan: 'enterprise' } })).body.conversation;
  assert.is((await bumped).id, big.id);
  assert.is((await as(t.adminToken, 'GET', `/v1/conversations/${big.id}`)).body.conversation.priority, 'high');
  const small = (await as(t.agentToken, 'POST', '/v1/conversations', { inboxId: t.inboxId, customAttributes: { plan: 'free' } })).body.conversation;

  const broken = await as(t.adminToken, 'POST', '/v1/automation-rules', {
    name: 'Resolve urgent', event: 'conversation.updated',
    conditions: [{ field: 'priority', operator: 'in', values: ['urgent'] }, { field: 'status', operator: 'not_in', values: ['resolved'] }],
    actions: [{ type: 'add_tag', tagId: crypto.randomUUID() }, { type: 'resolve' }],
  });
  const resolved = changed((c) => c.id === small.id && c.status === 'resolved');
  await as(t.agentToken, 'PATCH', `/v1/conversations/${small.id}`, { priority: 'urgent' });
  await resolved;
  const log = await until(async () => {
    const r = (await as(t.adminToken, 'GET', `/v1/automation-rules/${broken.body.rule.id}/runs`)).body.runs;
    return r.length === 1 && r;
  }, 5_000, 'the failed run logged');
  assert.is(log[0].outcome, 'failed');
  assert.equal(log[0].results.map((r: { ok: boolean }) => r.ok), [false, true]);
  assert.match(log[0].results[0].error, /NOT_FOUND/);
  assert.equal((await as(t.adminToken, 'GET', `/v1/automation-rules/${vip.body.rule.id}/runs`)).body.runs.map((r: { conversationId: string }) => r.conversationId), [big.id]);
});

automation('rules are for supervisors and admins; a bad rule is refused', async () => {
  const body = { name: 'x', event: 'conversation.created', actions: [{ type: 'resolve' }] };
  assert.is((await as(t.agentToken, 'POST', '/v1/automation-rules', body)).status, 403);
  assert.is((await as(t.agentToken, 'GET', '/v1/automation-rules')).status, 403);
  for (const bad of [
    { ...body, event: 'conversation.deleted' },
    { ...body, actions: [] },
    { ...body, conditions: [{ field: 'message', operator: 'contains', values: ['x'] }] },
    { ...body, conditions: [{ field: 'colour', operator: 'in', values: ['red'] }] },
  ]) assert.is((await as(t.adminToken, 'POST', '/v1/automation-rules', bad)).status, 400, JSON.stringify(bad));
  const made = await as(t.adminToken, 'POST', '/v1/automation-rules', { ...body, active: false });
  const changed = await as(t.adminToken, 'PATCH', `/v1/automation-rules/${made.body.rule.id}`, { name: 'Renamed' });
  assert.equal([changed.body.rule.name, changed.body.rule.active], ['Renamed', false]);
  assert.is((await as(t.adminToken, 'DELETE', `/v1/automation-rules/${made.body.rule.id}`)).status, 204);
  assert.is((await as(t.adminToken, 'GET', `/v1/automation-rules/${made.body.rule.id}`)).status, 404);
});

automation.run();
