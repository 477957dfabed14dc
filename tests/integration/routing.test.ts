// Routing beyond round robin on one node: the scenarios of tests/helpers/routing-scenarios.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { waitFor } from '../helpers/sockets.ts';
import { startServer, type TestServer } from '../helpers/app.ts';
import {
  graceScenario, queueWindowScenario, ROUTING_ENV, RoutingWorld, rulesScenario, skillsScenario, weightAndQueueScenario, whisperScenario, wrapUpScenario,
} from '../helpers/routing-scenarios.ts';

let server: TestServer;
let w: RoutingWorld;
const routing = suite('routing');

routing.before(async () => {
  server = await startServer({ ROUTING_TICK_SECONDS: Number(ROUTING_ENV.ROUTING_TICK_SECONDS) });
  w = new RoutingWorld([server.url]);
  await w.seed('Routing');
});
routing.after(async () => {
  w.close();
  await server.stop();
});

routing('an agent back within the grace period keeps the work; one away longer loses it to round robin, history says why', () => graceScenario(w));
routing('skills and language pick the agent; after the fallback wait anyone may take it', () => skillsScenario(w));
routing('an inbox\'s keyword rules set a new inbound thread\'s skills and language, and so its agent', () => rulesScenario(w));
routing('capacity counts weighted load, and the queue shows the hand-computed figures within 1 s', () => weightAndQueueScenario(w));
routing('no auto-assignment during wrap-up, then the waiting conversation goes', () => wrapUpScenario(w));
routing('the live queue: one recomputation per window, holding every change of a burst', () => queueWindowScenario(w));
routing('a whisper reaches only its addressee, its author and supervisors', () => whisperScenario(w));

routing('a first response owed past the inbox\'s timeout sends the conversation back through round robin, history says why', async () => {
  const [a, b] = [await w.person('Timeout A'), await w.person('Timeout B')];
  // 0.05 min = 3 s without a first response; both stay online, so only the timeout can move it.
  const inboxId = await w.inbox([a.id, b.id], { reassignTimeoutMinutes: 0.05 });
  const watcher = await w.online(w.t.supervisorToken);
  await w.onlineAs(a);
  const x = await w.conversation(inboxId);
  const assignedAt = Date.now();
  assert.is(x.assigneeId, a.id, 'only A online: A gets X');
  await w.onlineAs(b);
  const answered = await w.conversation(inboxId);
  const reply = await w.call('POST', `/v1/conversations/${answered.id}/messages`, { token: answered.assigneeId === a.id ? a.token : b.token, body: { clientMessageId: 'first-reply', body: 'On it' } });
  assert.is(reply.status, 201, JSON.stringify(reply.body));
  const moved = await waitFor<{ conversationId: string; type: string; previousAssigneeId: string | null }>(watcher, 'assignment',
    (e) => e.conversationId === x.id && e.type === 'reassign_timeout', 15_000);
  assert.is(moved.previousAssigneeId, a.id);
  assert.ok(Date.now() - assignedAt >= 2_500, 'not before the timeout');
  const why = (await w.history(x.id)).find((h) => h.type === 'reassign_timeout');
  assert.match(why?.reason ?? '', /no first response within 0.05 min/);
  assert.not.ok((await w.history(answered.id)).some((h) => h.type === 'reassign_timeout'), 'an answered conversation stays');
});

routing('skills, languages, required skills and rules are stored as JSON arrays, also where nobody named them', async () => {
  // The ORM once wrote its '[]' default as a JSON string; the scenarios above created rows both ways.
  const conn = server.app.orm.em.fork().getConnection();
  const [row] = await conn.execute(`select
    (select count(*) from users where jsonb_typeof(skills) <> 'array' or jsonb_typeof(languages) <> 'array') as users,
    (select count(*) from inboxes where jsonb_typeof(default_skills) <> 'array' or jsonb_typeof(routing_rules) <> 'array') as inboxes,
    (select count(*) from conversations where jsonb_typeof(required_skills) <> 'array') as conversations,
    (select count(*) from conversations) as total`);
  assert.ok(Number(row.total) > 10, 'the scenarios created conversations');
  assert.equal([Number(row.users), Number(row.inboxes), Number(row.conversations)], [0, 0, 0]);
});

routing('each agent\'s kept load follows assignment, resolution, reopening and deletion, and equals their open conversations counted', async () => {
  const conn = server.app.orm.em.fork().getConnection();
  const [a, b] = [await w.person('Load A'), await w.person('Load B')];
  const inboxId = await w.inbox([a.id, b.id], { autoAssign: false });
  const kept = async () => {
    const rows = await conn.execute<{ user_id: string; open_count: number }[]>(
      'select user_id, open_count from agent_loads where inbox_id = ? order by user_id', [inboxId]);
    const of = (id: string) => rows.find((r: { user_id: string }) => r.user_id === id)?.open_count ?? 0;
    return [of(a.id), of(b.id)];
  };
  const ok = (res: { status: number; body: unknown }) => assert.ok(res.status < 300, JSON.stringify(res.body));
  const [x, y] = [await w.conversation(inboxId), await w.conversation(inboxId)];
  assert.equal(await kept(), [0, 0], 'unassigned conversations count for nobody');
  ok(await w.admin('POST', `/v1/conversations/${x.id}/assign`, { assigneeId: a.id }));
  ok(await w.admin('POST', `/v1/conversations/${y.id}/assign`, { assigneeId: a.id }));
  assert.equal(await kept(), [2, 0]);
  ok(await w.admin('POST', `/v1/conversations/${y.id}/assign`, { assigneeId: b.id }));
  assert.equal(await kept(), [1, 1], 'a reassignment moves the count');
  ok(await w.admin('POST', `/v1/conversations/${x.id}/status`, { status: 'pending' }));
  assert.equal(await kept(), [1, 1], 'pending is still open work');
  ok(await w.admin('POST', `/v1/conversations/${x.id}/status`, { status: 'resolved' }));
  assert.equal(await kept(), [0, 1], 'a resolution frees the agent');
  ok(await w.admin('POST', `/v1/conversations/${x.id}/status`, { status: 'open' }));
  assert.equal(await kept(), [1, 1], 'reopening counts again');
  ok(await w.admin('DELETE', `/v1/conversations/${y.id}`));
  assert.equal(await kept(), [1, 0], 'a deleted conversation counts for nobody');
  ok(await w.admin('POST', `/v1/conversations/${x.id}/assign`, { assigneeId: null }));
  assert.equal(await kept(), [0, 0]);
  // And over every conversation the scenarios above created, assigned, moved and resolved:
  const [drift] = await conn.execute(`select count(*) as n from (
      select assignee_id, inbox_id, count(*) as n from conversations where assignee_id is not null and status in ('new', 'open', 'pending') group by 1, 2
    ) counted full join agent_loads kept on kept.user_id = counted.assignee_id and kept.inbox_id = counted.inbox_id
    where coalesce(counted.n, 0) <> coalesce(kept.open_count, 0)`);
  assert.is(Number(drift.n), 0, 'every kept count equals the count of open conversations');
  const [some] = await conn.execute('select count(*) as n from agent_loads where open_count > 0');
  assert.ok(Number(some.n) > 0, 'the scenarios left agents with open work');
});

routing.run();
