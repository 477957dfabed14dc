// Custom attributes: admins define them for contacts and conversations; values are checked against their
// definition (a misfit changes nothing), filter lists and search, and decide SLA policies and routing rules.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
const attributes = suite('custom attributes');

const as = (token: string, method: string, path: string, body?: unknown) => call(method, path, { token, body });

attributes.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Attributes');
  const define = async (body: unknown) => {
    const res = await as(t.adminToken, 'POST', '/v1/custom-attributes', body);
    assert.is(res.status, 201, JSON.stringify(res.body));
    return res.body.attribute;
  };
  await define({ appliesTo: 'conversation', key: 'plan', label: 'Plan', type: 'list', options: ['free', 'pro', 'enterprise'] });
  await define({ appliesTo: 'conversation', key: 'seats', label: 'Seats', type: 'number' });
  await define({ appliesTo: 'conversation', key: 'renewal', label: 'Renewal date', type: 'date' });
  await define({ appliesTo: 'conversation', key: 'churn_risk', label: 'Churn risk', type: 'checkbox' });
  await define({ appliesTo: 'conversation', key: 'order', label: 'Order number', type: 'text' });
  await define({ appliesTo: 'contact', key: 'tier', label: 'Tier', type: 'text' });
});
attributes.after(async () => server.stop());

attributes('definitions: admins make them, keys are unique per subject, a list needs options; everyone reads them', async () => {
  assert.is((await as(t.supervisorToken, 'POST', '/v1/custom-attributes', { appliesTo: 'contact', key: 'x', label: 'X', type: 'text' })).status, 403);
  const twice = await as(t.adminToken, 'POST', '/v1/custom-attributes', { appliesTo: 'conversation', key: 'plan', label: 'Plan', type: 'text' });
  assert.is(twice.status, 409);
  for (const bad of [
    { appliesTo: 'conversation', key: 'size', label: 'Size', type: 'list' },
    { appliesTo: 'conversation', key: 'note', label: 'Note', type: 'text', options: ['a'] },
    { appliesTo: 'conversation', key: 'Bad Key', label: 'Bad', type: 'text' },
    { appliesTo: 'deal', key: 'amount', label: 'Amount', type: 'number' },
  ]) assert.is((await as(t.adminToken, 'POST', '/v1/custom-attributes', bad)).status, 400, JSON.stringify(bad));
  const listed = await as(t.agentToken, 'GET', '/v1/custom-attributes?appliesTo=conversation');
  assert.equal(listed.body.attributes.map((a: { key: string }) => a.key), ['churn_risk', 'order', 'plan', 'renewal', 'seats']);
});

attributes('values are checked against their definitions; a misfit changes nothing; null removes one', async () => {
  const id = await newConversation(call, t);
  const set = await as(t.agentToken, 'PATCH', `/v1/conversations/${id}`, { customAttributes: { plan: 'pro', seats: 12, renewal: '2027-03-01', churn_risk: true, order: 'A-17' } });
  assert.is(set.status, 200, JSON.stringify(set.body));
  assert.equal(set.body.conversation.customAttributes, { plan: 'pro', seats: 12, renewal: '2027-03-01', churn_risk: true, order: 'A-17' });
  for (const customAttributes of [{ plan: 'gold' }, { seats: '12' }, { renewal: '2027-02-30' }, { churn_risk: 'yes' }, { unknown_key: 'x' }, { plan: 'free', seats: 'many' }]) {
    const res = await as(t.agentToken, 'PATCH', `/v1/conversations/${id}`, { customAttributes });
    assert.is(res.status, 400, JSON.stringify(customAttributes));
    assert.is(res.body.error.code, 'VALIDATION');
  }
  const unchanged = await as(t.agentToken, 'GET', `/v1/conversations/${id}`);
  assert.equal(unchanged.body.conversation.customAttributes.plan, 'pro', 'the refused changes wrote nothing, not even their valid parts');
  const removed = await as(t.agentToken, 'PATCH', `/v1/conversations/${id}`, { customAttributes: { order: null, seats: 15 } });
  assert.equal(removed.body.conversation.customAttributes, { plan: 'pro', seats: 15, renewal: '2027-03-01', churn_risk: true });
  const timeline = await as(t.agentToken, 'GET', `/v1/entities/contact/${t.contactId}/timeline`);
  assert.ok(JSON.stringify(timeline.body).includes('conversation.changed'));

  const contact = await as(t.agentToken, 'PATCH', `/v1/contacts/${t.contactId}`, { customAttributes: { tier: 'gold' } });
  assert.equal(contact.body.contact.customAttributes, { tier: 'gold' });
  assert.is((await as(t.agentToken, 'PATCH', `/v1/contacts/${t.contactId}`, { customAttributes: { plan: 'pro' } })).status, 400, 'plan is a conversation attribute');
});

attributes('lists and search filter by attribute values', async () => {
  const enterprise = await newConversation(call, t, { subject: 'Seat expansion', customAttributes: { plan: 'enterprise', seats: 250 } });
  const free = await newConversation(call, t, { subject: 'Seat question', customAttributes: { plan: 'free', seats: 1 } });
  const ids = async (query: string) => (await as(t.agentToken, 'GET', `/v1/conversations?${query}`)).body.conversations.map((c: { id: string }) => c.id);
  assert.equal(await ids('attribute=plan:enterprise'), [enterprise]);
  assert.equal(await ids('attribute=plan:enterprise&attribute=seats:250'), [enterprise]);
  assert.equal(await ids('attribute=plan:enterprise&attribute=seats:1'), []);
  assert.ok((await ids('attribute=seats:1')).includes(free));
  for (const bad of ['attribute=seats:many', 'attribute=nope:1', 'attribute=plan']) {
    const res = await as(t.agentToken, 'GET', `/v1/conversations?${bad}`);
    assert.is(res.status, 400, bad);
  }
  const contacts = await as(t.agentToken, 'GET', '/v1/contacts?attribute=tier:gold');
  assert.equal(contacts.body.contacts.map((c: { id: string }) => c.id), [t.contactId]);

  // Search finds a conversation by an attribute's value, and filters by one.
  const found = await as(t.agentToken, 'GET', '/v1/search?q=enterprise&types=conversations');
  assert.equal(found.body.hits.map((h: { id: string }) => h.id), [enterprise]);
  const filtered = await as(t.agentToken, 'GET', '/v1/search?q=seat&types=conversations&attribute=plan:free');
  assert.equal(filtered.body.hits.map((h: { id: string }) => h.id), [free]);
});

attributes('an SLA policy\'s attribute condition picks the policy; a routing rule\'s contact attribute gives skills', async () => {
  const vip = await as(t.adminToken, 'POST', '/v1/sla-policies', { name: 'Enterprise', firstResponseMinutes: 5, resolutionMinutes: 60, conditions: { attributes: { plan: 'enterprise' } } });
  assert.is(vip.status, 201, JSON.stringify(vip.body));
  const open = await as(t.adminToken, 'POST', '/v1/inboxes', {
    name: 'No policy', channel: 'email', memberIds: [t.agentId],
    routingRules: [{ attributes: { tier: 'gold' }, skills: ['vip'] }],
  });
  assert.is(open.status, 201, JSON.stringify(open.body));
  const inboxId = open.body.inbox.id;
  const chosen = (await as(t.agentToken, 'POST', '/v1/conversations', { inboxId, customAttributes: { plan: 'enterprise' } })).body.conversation;
  assert.is(chosen.sla.policyId, vip.body.policy.id);
  const plain = (await as(t.agentToken, 'POST', '/v1/conversations', { inboxId, customAttributes: { plan: 'pro' } })).body.conversation;
  assert.is.not(plain.sla.policyId, vip.body.policy.id);

  // Carla is a gold-tier contact: her new inbound thread in that inbox asks for the vip skill; a stranger's does not.
  const carla = await signedInbound(call, inboxId, open.body.webhookSecret, { externalId: 'ca-1', from: { handle: 'carla@attributes.example' }, body: 'Hello' });
  assert.is(carla.status, 202, JSON.stringify(carla.body));
  assert.equal((await as(t.agentToken, 'GET', `/v1/conversations/${carla.body.conversationId}`)).body.conversation.requiredSkills, ['vip']);
  const stranger = await signedInbound(call, inboxId, open.body.webhookSecret, { externalId: 'st-1', from: { handle: 'sam@elsewhere.example' }, body: 'Hello' });
  assert.equal((await as(t.agentToken, 'GET', `/v1/conversations/${stranger.body.conversationId}`)).body.conversation.requiredSkills, []);
});

attributes.run();
