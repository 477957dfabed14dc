// Routing beyond round robin on one node: the scenarios of tests/helpers/routing-scenarios.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import {
  graceScenario, ROUTING_ENV, RoutingWorld, rulesScenario, skillsScenario, weightAndQueueScenario, whisperScenario, wrapUpScenario,
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
routing('a whisper reaches only its addressee, its author and supervisors', () => whisperScenario(w));

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

routing.run();
