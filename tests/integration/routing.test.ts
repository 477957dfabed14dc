// Routing beyond round robin on one node: the scenarios of tests/helpers/routing-scenarios.ts.
import { suite } from 'uvu';
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

routing.run();
