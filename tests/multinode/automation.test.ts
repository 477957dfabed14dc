// Automation rules across three node processes: a rule saved through one node applies at once to events on
// the others (each node's copy of the rules is told to go), and every event runs a rule once, whichever node
// it happened on. Needs DATABASE_URL and REDIS_URL.
import { requiring } from '../helpers/requires.ts';
import * as assert from 'uvu/assert';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { until } from '../helpers/wait.ts';

const automation = requiring('automation rules on three nodes', ['DATABASE_URL', 'REDIS_URL']);
let c: Cluster;
let calls: Call[];
let t: SeededTenant;

automation.before(async () => {
  c = await startCluster(3);
  calls = c.nodes.map((n) => httpClient(n.url));
  t = await seedTenant(calls[0], 'Automated cluster');
});
automation.after(async () => {
  await c?.stop();
});

const create = async (node: number) => {
  const res = await calls[node]('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, contactId: t.contactId } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.conversation.id as string;
};

automation('a rule saved on node 1 applies at once on nodes 2 and 3, and runs once per event wherever it happened', async () => {
  // Nodes 2 and 3 read the tenant's rules (none yet) for these events, and keep that copy.
  await create(1);
  await create(2);
  const saved = await calls[0]('POST', '/v1/automation-rules', {
    token: t.adminToken, body: { name: 'Everything high', event: 'conversation.created', actions: [{ type: 'set_priority', priority: 'high' }] },
  });
  assert.is(saved.status, 201, JSON.stringify(saved.body));
  const ruleId = saved.body.rule.id;
  const ids = [await create(1), await create(2), await create(0), await create(1)];
  const runs = await until(async () => {
    const r = (await calls[2]('GET', `/v1/automation-rules/${ruleId}/runs`, { token: t.adminToken })).body.runs as { conversationId: string; outcome: string }[];
    return r.length >= ids.length && r.every((x) => x.outcome === 'done') && r;
  }, 10_000, 'a run per new conversation');
  assert.equal(runs.map((r) => r.conversationId).sort(), [...ids].sort(), 'one run per conversation, none doubled');
  for (const id of ids) {
    const conversation = (await calls[0]('GET', `/v1/conversations/${id}`, { token: t.adminToken })).body.conversation;
    assert.is(conversation.priority, 'high', `${id} was raised`);
  }

  // Turned off on node 3: node 2 stops at once. A newer rule still on is the witness: rules run oldest first,
  // so once the newer one has run for a conversation, the older one would have claimed its run already.
  const witness = await calls[0]('POST', '/v1/automation-rules', {
    token: t.adminToken, body: { name: 'Mute all', event: 'conversation.created', actions: [{ type: 'mute' }] },
  });
  assert.is((await calls[2]('PATCH', `/v1/automation-rules/${ruleId}`, { token: t.adminToken, body: { active: false } })).status, 200);
  const later = await create(1);
  await until(async () => {
    const r = (await calls[0]('GET', `/v1/automation-rules/${witness.body.rule.id}/runs`, { token: t.adminToken })).body.runs as { conversationId: string; outcome: string }[];
    return r.some((x) => x.conversationId === later && x.outcome === 'done');
  }, 10_000, 'the witness rule ran for the later conversation');
  const conversation = (await calls[1]('GET', `/v1/conversations/${later}`, { token: t.adminToken })).body.conversation;
  assert.equal([conversation.priority, conversation.muted], ['normal', true]);
  const after = (await calls[0]('GET', `/v1/automation-rules/${ruleId}/runs`, { token: t.adminToken })).body.runs;
  assert.is(after.length, ids.length, 'the rule turned off ran no more');
});

automation.run();
