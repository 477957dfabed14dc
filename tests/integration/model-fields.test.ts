// Fields the specifications name, written and answered: canned responses' title, automated replies' reply
// type and options, SLA policies' description and active flag (an inactive one is not given to new
// conversations), channels' address and connected account, breaches' detection time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { until } from '../helpers/wait.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;

const fields = suite('model fields');

fields.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Fields');
});
fields.after(async () => {
  await server.stop();
});

fields('a canned response has a title beside its shortcut, set and changed', async () => {
  const created = await call('POST', '/v1/canned-responses', { token: t.agentToken, body: { shortcut: 'refund', title: 'Refund on its way', body: 'Your refund is on its way.' } });
  assert.is(created.status, 201, JSON.stringify(created.body));
  assert.is(created.body.cannedResponse.title, 'Refund on its way');
  const changed = await call('PATCH', `/v1/canned-responses/${created.body.cannedResponse.id}`, { token: t.agentToken, body: { title: 'Refunds' } });
  assert.is(changed.body.cannedResponse.title, 'Refunds');
  const untitled = await call('POST', '/v1/canned-responses', { token: t.agentToken, body: { shortcut: 'hello', body: 'Hello!' } });
  assert.is(untitled.body.cannedResponse.title, null);
});

fields('an automated reply may offer buttons or quick replies, whose options are checked against its type', async () => {
  const options = { options: [{ label: 'Yes', value: 'yes' }, { label: 'No', value: 'no' }] };
  const buttons = await call('POST', '/v1/automated-replies', { token: t.adminToken, body: { name: 'Ask', kind: 'greeting', body: 'Need help?', replyType: 'buttons', replyMetadata: options } });
  assert.is(buttons.status, 201, JSON.stringify(buttons.body));
  assert.equal([buttons.body.automatedReply.replyType, buttons.body.automatedReply.replyMetadata], ['buttons', options]);
  const text = await call('POST', '/v1/automated-replies', { token: t.adminToken, body: { name: 'Plain', kind: 'greeting', body: 'Hi' } });
  assert.equal([text.body.automatedReply.replyType, text.body.automatedReply.replyMetadata], ['text', null]);
  for (const body of [
    { name: 'No options', kind: 'greeting', body: 'x', replyType: 'quick_replies' },
    { name: 'Text with options', kind: 'greeting', body: 'x', replyMetadata: options },
    { name: 'Empty options', kind: 'greeting', body: 'x', replyType: 'buttons', replyMetadata: { options: [] } },
    { name: 'Unknown type', kind: 'greeting', body: 'x', replyType: 'carousel', replyMetadata: options },
  ]) {
    const refused = await call('POST', '/v1/automated-replies', { token: t.adminToken, body });
    assert.is(refused.status, 400, `${body.name}: ${JSON.stringify(refused.body)}`);
  }
  const cleared = await call('PATCH', `/v1/automated-replies/${buttons.body.automatedReply.id}`, { token: t.adminToken, body: { replyType: 'text' } });
  assert.is(cleared.status, 400, 'a text reply cannot keep its options');
});

fields('an SLA policy has a description, and an inactive one is not given to new conversations', async () => {
  const policy = await call('POST', '/v1/sla-policies', {
    token: t.adminToken, body: { name: 'Paused', description: 'Kept for history', firstResponseMinutes: 5, resolutionMinutes: 60, isActive: false },
  });
  assert.is(policy.status, 201, JSON.stringify(policy.body));
  assert.equal([policy.body.policy.description, policy.body.policy.isActive], ['Kept for history', false]);
  const inbox = await call('POST', '/v1/inboxes', {
    token: t.adminToken, body: { name: 'Old line', channel: 'phone', slaPolicyId: policy.body.policy.id, address: '+1 415 555 0100', connectedAccountId: 'acct-42' },
  });
  assert.is(inbox.status, 201, JSON.stringify(inbox.body));
  assert.equal([inbox.body.inbox.address, inbox.body.inbox.connectedAccountId], ['+1 415 555 0100', 'acct-42']);
  const conversation = await call('POST', '/v1/conversations', { token: t.adminToken, body: { inboxId: inbox.body.inbox.id } });
  assert.is(conversation.status, 201, JSON.stringify(conversation.body));
  assert.is(conversation.body.conversation.sla.policyId, null);
  assert.is(conversation.body.conversation.sla.resolutionDueAt, null);
  // The seeded inbox's active policy still applies.
  const active = await call('POST', '/v1/conversations', { token: t.adminToken, body: { inboxId: t.inboxId } });
  assert.is(active.body.conversation.sla.policyId, t.policyId);
  const moved = await call('PATCH', `/v1/inboxes/${inbox.body.inbox.id}`, { token: t.adminToken, body: { address: 'sales@fields.example', connectedAccountId: null } });
  assert.equal([moved.body.inbox.address, moved.body.inbox.connectedAccountId], ['sales@fields.example', null]);
});

fields('a breach says when the engine saw it, at or after its due time', async () => {
  const conversation = await call('POST', '/v1/conversations', { token: t.adminToken, body: { inboxId: t.inboxId } });
  const id = conversation.body.conversation.id;
  // Test-only: the resolution deadline passed a minute ago; the next tick records the breach.
  await server.app.orm.em.fork().getConnection().execute(
    `update conversations set resolution_due_at = now() - interval '1 minute', resolution_warn_at = now() - interval '2 minutes',
      sla_next_check_at = now() - interval '2 minutes' where id = ?`, [id]);
  const breach = await until(async () => {
    const res = await call('GET', '/v1/sla/breaches', { token: t.supervisorToken });
    return res.body.breaches.find((b: any) => b.conversationId === id);
  }, 15_000, 'the breach recorded');
  assert.ok(Date.parse(breach.detectedAt) >= Date.parse(breach.dueAt), JSON.stringify(breach));
});

fields.run();
