// Teams: a conversation given to a team goes by round robin to its members only (at creation, and when moved
// to the team: an assignee outside it lets it go); lists, the queue and the reports group by team; only
// supervisors and admins manage teams.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { ROUTING_ENV, RoutingWorld } from '../helpers/routing-scenarios.ts';
import { waitFor } from '../helpers/sockets.ts';

let server: TestServer;
let w: RoutingWorld;
const teams = suite('teams');

teams.before(async () => {
  server = await startServer({ ROUTING_TICK_SECONDS: Number(ROUTING_ENV.ROUTING_TICK_SECONDS) });
  w = new RoutingWorld([server.url]);
  await w.seed('Teams');
});
teams.after(async () => {
  w.close();
  await server.stop();
});

const as = (token: string, method: string, path: string, body?: unknown) => w.call(method, path, { token, body });

teams('round robin picks within the conversation\'s team; moving it to a team its assignee is not in hands it to a member', async () => {
  const [ann, bob] = [await w.person('Team Ann'), await w.person('Team Bob')];
  const inboxId = await w.inbox([ann.id, bob.id], {});
  const made = await as(w.t.supervisorToken, 'POST', '/v1/teams', { name: 'Billing', description: 'Invoices and refunds', memberIds: [bob.id] });
  assert.is(made.status, 201, JSON.stringify(made.body));
  const team = made.body.team;
  assert.equal(team.memberIds, [bob.id]);
  await w.onlineAs(ann);
  await w.onlineAs(bob);

  // Ann is first in the inbox's order and never had one: without a team she gets it, with the team only Bob may.
  const billing = await w.conversation(inboxId, { teamId: team.id }) as { id: string; assigneeId: string; teamId?: string };
  assert.is(billing.assigneeId, bob.id, 'only the team\'s member takes a team conversation');
  assert.is(billing.teamId, team.id);
  const general = await w.conversation(inboxId);
  assert.is(general.assigneeId, ann.id);

  const moved = await as(w.t.supervisorToken, 'POST', `/v1/conversations/${general.id}/team`, { teamId: team.id, reason: 'billing question' });
  assert.is(moved.status, 200, JSON.stringify(moved.body));
  assert.is(moved.body.conversation.teamId, team.id);
  assert.is(moved.body.conversation.assigneeId, bob.id, 'Ann is not in Billing: round robin gave it to Bob');
  assert.equal((await w.history(general.id)).map((h) => [h.type, h.assigneeId]), [['auto_round_robin', ann.id], ['unassign', null], ['auto_round_robin', bob.id]]);

  // Listed by team, and counted per team in the queue (nothing waits now).
  const listed = await as(w.t.adminToken, 'GET', `/v1/conversations?teamId=${team.id}`);
  assert.equal(listed.body.conversations.map((c: { id: string }) => c.id).sort(), [billing.id, general.id].sort());
  const none = await as(w.t.adminToken, 'GET', `/v1/conversations?teamId=none&inboxId=${inboxId}`);
  assert.equal(none.body.conversations.map((c: { id: string }) => c.id), []);
  const queue = await as(w.t.supervisorToken, 'GET', '/v1/queue');
  assert.ok(queue.body.teams.some((q: { teamId: string; waiting: number }) => q.teamId === team.id && q.waiting === 0), JSON.stringify(queue.body.teams));

  // Taken out of the team: Bob keeps it.
  const out = await as(w.t.supervisorToken, 'POST', `/v1/conversations/${general.id}/team`, { teamId: null });
  assert.is(out.body.conversation.teamId, null);
  assert.is(out.body.conversation.assigneeId, bob.id);

  // Reports per team.
  const report = await as(w.t.supervisorToken, 'GET', '/v1/reports/response-times');
  assert.ok(report.body.byTeam.some((r: { id: string; conversations: number }) => r.id === team.id && r.conversations === 1), JSON.stringify(report.body.byTeam));
});

teams('a team conversation nobody in the team can take waits (in the queue under its team) until a member comes online', async () => {
  const [cy, di] = [await w.person('Team Cy'), await w.person('Team Di')];
  const inboxId = await w.inbox([cy.id, di.id], {});
  const team = (await as(w.t.adminToken, 'POST', '/v1/teams', { name: 'Night shift', memberIds: [di.id] })).body.team;
  await w.onlineAs(cy);
  const waiting = await w.conversation(inboxId, { teamId: team.id });
  assert.is(waiting.assigneeId, null, 'Cy is online but not in the team');
  const queue = await as(w.t.supervisorToken, 'GET', '/v1/queue');
  const inbox = queue.body.inboxes.find((i: { inboxId: string }) => i.inboxId === inboxId);
  assert.equal(inbox.waiting.map((q: { conversationId: string; teamId: string }) => [q.conversationId, q.teamId]), [[waiting.id, team.id]]);
  assert.ok(queue.body.teams.some((q: { teamId: string; waiting: number }) => q.teamId === team.id && q.waiting === 1));
  const assigned = waitFor<{ conversationId: string; assigneeId: string }>(w.watcher, 'assignment', (a) => a.conversationId === waiting.id);
  await w.onlineAs(di);
  assert.is((await assigned).assigneeId, di.id, 'Di came online: the team\'s conversation went to Di');
  assert.is(await w.assigneeOf(waiting.id), di.id);
});

teams('only supervisors and admins manage teams; names are unique, members are people of the tenant; agents move only their own work', async () => {
  const made = await as(w.t.agentToken, 'POST', '/v1/teams', { name: 'Rogue' });
  assert.is(made.status, 403);
  assert.is((await as(w.t.adminToken, 'POST', '/v1/teams', { name: 'Sales' })).status, 201);
  const again = await as(w.t.adminToken, 'POST', '/v1/teams', { name: 'Sales' });
  assert.is(again.status, 409);
  assert.is(again.body.error.code, 'CONFLICT');
  const bot = await as(w.t.adminToken, 'POST', '/v1/teams', { name: 'Bots', memberIds: [w.t.botId] });
  assert.is(bot.status, 400);
  const stranger = await as(w.t.adminToken, 'POST', '/v1/teams', { name: 'Strangers', memberIds: [crypto.randomUUID()] });
  assert.is(stranger.status, 404);
  assert.not.ok((await as(w.t.adminToken, 'GET', '/v1/teams')).body.teams.some((t: { name: string }) => t.name === 'Bots' || t.name === 'Strangers'));

  const sales = (await as(w.t.adminToken, 'GET', '/v1/teams')).body.teams.find((t: { name: string }) => t.name === 'Sales');
  const renamed = await as(w.t.supervisorToken, 'PATCH', `/v1/teams/${sales.id}`, { name: 'Sales EMEA' });
  assert.is(renamed.body.team.name, 'Sales EMEA');
  const members = await as(w.t.supervisorToken, 'PUT', `/v1/teams/${sales.id}/members`, { memberIds: [w.t.agentId] });
  assert.equal(members.body.team.memberIds, [w.t.agentId]);

  // An agent may not move a colleague's conversation to a team.
  const other = await w.person('Team colleague');
  const conversation = await w.conversation(w.t.inboxId);
  await as(w.t.adminToken, 'POST', `/v1/conversations/${conversation.id}/assign`, { assigneeId: other.id });
  const refused = await as(w.t.agentToken, 'POST', `/v1/conversations/${conversation.id}/team`, { teamId: sales.id });
  assert.is(refused.status, 403);
  assert.is((await as(w.t.adminToken, 'GET', `/v1/conversations/${conversation.id}`)).body.conversation.teamId, null);
  const unknown = await as(w.t.adminToken, 'POST', `/v1/conversations/${conversation.id}/team`, { teamId: crypto.randomUUID() });
  assert.is(unknown.status, 404);

  // Deleting the team leaves its conversations with their assignee and no team.
  await as(w.t.adminToken, 'POST', `/v1/conversations/${conversation.id}/team`, { teamId: sales.id });
  assert.is((await as(w.t.adminToken, 'DELETE', `/v1/teams/${sales.id}`)).status, 204);
  const after = (await as(w.t.adminToken, 'GET', `/v1/conversations/${conversation.id}`)).body.conversation;
  assert.is(after.teamId, null);
  assert.is(after.assigneeId, null, 'moving it to Sales let the colleague (not a member) go');
});

teams.run();
