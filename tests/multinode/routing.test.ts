// Routing beyond round robin across three node processes (sockets spread over the nodes): the same
// scenarios as on one node, with the sweep running on every node and moving each conversation once.
import { requiring } from '../helpers/requires.ts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import {
  graceScenario, queueWindowScenario, ROUTING_ENV, RoutingWorld, rulesScenario, skillsScenario, weightAndQueueScenario, whisperScenario, wrapUpScenario,
} from '../helpers/routing-scenarios.ts';

let c: Cluster;
let w: RoutingWorld;
const routing = requiring('routing on three nodes', ['DATABASE_URL', 'REDIS_URL']);

routing.before(async () => {
  c = await startCluster(3, { env: ROUTING_ENV });
  w = new RoutingWorld(c.nodes.map((n) => n.url));
  await w.seed('Routing cluster');
});
routing.after(async () => {
  w?.close();
  await c?.stop();
});

routing('grace period: kept within it, moved once after it, history says why', () => graceScenario(w));
routing('skills and language, and the fallback', () => skillsScenario(w));
routing('an inbox\'s keyword rules set a new inbound thread\'s skills and language, and so its agent', () => rulesScenario(w));
routing('weighted capacity and the queue', () => weightAndQueueScenario(w));
routing('wrap-up', () => wrapUpScenario(w));
routing('the live queue: one recomputation per window for the cluster, holding every change', () => queueWindowScenario(w));
routing('whispers', () => whisperScenario(w));

routing.run();
