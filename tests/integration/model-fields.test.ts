// Fields the specifications name, written and answered: canned responses' title, automated replies' reply
// type and options, SLA policies' description and active flag (an inactive one is not given to new
// conversations), channels' address and connected account, breaches' detection time; messages' subject, type,
// metadata, per-status times and failure reason, and the updatedAt the database keeps.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { connect, ok, waitFor } from '../helpers/sockets.ts';
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
  // The engine's stamp moved the conversation's updatedAt too.
  const after = await call('GET', `/v1/conversations/${id}`, { token: t.adminToken });
  assert.ok(after.body.conversation.updatedAt > conversation.body.conversation.updatedAt, `${after.body.conversation.updatedAt} after ${conversation.body.conversation.updatedAt}`);
});

fields('a message has a subject, a type and metadata, over HTTP, the socket and the inbound webhook; bad ones are refused', async () => {
  const conversation = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, contactId: t.contactId } });
  const id = conversation.body.conversation.id;
  const metadata = { template: { name: 'welcome', language: 'en' }, buttons: ['a', 'b'] };
  const sent = await call('POST', `/v1/conversations/${id}/messages`, {
    token: t.agentToken, body: { clientMessageId: 'fields-1', body: 'Welcome', subject: 'Your order', type: 'template', metadata },
  });
  assert.is(sent.status, 201, JSON.stringify(sent.body));
  assert.equal([sent.body.message.subject, sent.body.message.type, sent.body.message.metadata], ['Your order', 'template', metadata]);
  assert.type(sent.body.message.updatedAt, 'string');
  const plain = await call('POST', `/v1/conversations/${id}/messages`, { token: t.agentToken, body: { clientMessageId: 'fields-2', body: 'plain' } });
  assert.equal([plain.body.message.subject, plain.body.message.type, plain.body.message.metadata], [null, 'text', null]);

  const agent = await connect(server.url, t.agentToken);
  const watcher = await connect(server.url, t.supervisorToken);
  try {
    await ok(watcher, 'conversation:join', { conversationId: id });
    const heard = waitFor(watcher, 'message:new', (e: any) => e.message.clientMessageId === 'fields-3');
    const acked = await ok(agent, 'message:send', { conversationId: id, clientMessageId: 'fields-3', body: 'pin', type: 'location', metadata: { lat: 48.85, lng: 2.35 } });
    assert.equal([acked.message.type, acked.message.metadata], ['location', { lat: 48.85, lng: 2.35 }]);
    assert.equal((await heard).message.metadata, { lat: 48.85, lng: 2.35 });
  } finally {
    agent.disconnect();
    watcher.disconnect();
  }

  for (const body of [
    { clientMessageId: 'bad-1', body: 'x', type: 'hologram' },
    { clientMessageId: 'bad-2', body: 'x', metadata: { blob: 'x'.repeat(20_000) } },
    { clientMessageId: 'bad-3', body: 'x', metadata: ['not', 'an', 'object'] },
  ]) {
    const refused = await call('POST', `/v1/conversations/${id}/messages`, { token: t.agentToken, body });
    assert.is(refused.status, 400, JSON.stringify(refused.body));
  }
  const history = await call('GET', `/v1/conversations/${id}/messages`, { token: t.agentToken });
  assert.equal(history.body.messages.map((m: any) => [m.type, m.subject]), [['template', 'Your order'], ['text', null], ['location', null]]);
  assert.equal(history.body.messages[0].metadata, metadata);

  const inbound = await signedInbound(call, t.inboxId, t.webhookSecret, {
    externalId: 'fields-in', from: { handle: 'carla@fields.example' }, body: 'Re: order', subject: 'Re: Your order', type: 'text', metadata: { provider: 'mailgun' },
  });
  assert.is(inbound.status, 202, JSON.stringify(inbound.body));
  const thread = await call('GET', `/v1/conversations/${inbound.body.conversationId}/messages`, { token: t.adminToken });
  const received = thread.body.messages.find((m: any) => m.id === inbound.body.messageId);
  assert.equal([received.subject, received.metadata], ['Re: Your order', { provider: 'mailgun' }]);
});

fields('delivery statuses keep their times and a failure its reason; updatedAt moves with every change', async () => {
  const conversation = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, contactId: t.contactId } });
  const id = conversation.body.conversation.id;
  const send = async (n: number) => (await call('POST', `/v1/conversations/${id}/messages`, { token: t.agentToken, body: { clientMessageId: `status-${n}`, body: `m${n}` } })).body.message;
  const read = await send(1);
  const failed = await send(2);
  const report = (messageId: string, body: unknown) => call('POST', `/v1/messages/${messageId}/status`, { token: t.botKey, body });
  assert.is((await report(read.id, { status: 'delivered', at: '2026-12-01T10:00:00.000Z' })).status, 200);
  const readAnswer = await report(read.id, { status: 'read', at: '2026-12-01T10:05:00.000Z' });
  assert.equal([readAnswer.body.message.deliveredAt, readAnswer.body.message.readAt, readAnswer.body.message.failedAt],
    ['2026-12-01T10:00:00.000Z', '2026-12-01T10:05:00.000Z', null]);
  assert.ok(readAnswer.body.message.updatedAt > read.updatedAt, `${readAnswer.body.message.updatedAt} after ${read.updatedAt}`);
  const failure = await report(failed.id, { status: 'failed', error: 'mailbox full' });
  assert.equal([failure.body.message.failedAt !== null, failure.body.message.errorMessage, failure.body.message.deliveredAt], [true, 'mailbox full', null]);
});

fields('a masked reader gets no subject or metadata of a masked thread\'s messages', async () => {
  const inbox = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Private fields', channel: 'email', visibility: 'subject', memberIds: [] } });
  const conversation = await call('POST', '/v1/conversations', { token: t.adminToken, body: { inboxId: inbox.body.inbox.id } });
  const id = conversation.body.conversation.id;
  await call('POST', `/v1/conversations/${id}/messages`, { token: t.adminToken, body: { clientMessageId: 'private-1', body: 'secret', subject: 'secret subject', metadata: { secret: true } } });
  const masked = await call('GET', `/v1/conversations/${id}/messages`, { token: t.agentToken });
  assert.equal(masked.body.messages.map((m: any) => [m.masked, m.body, m.subject, m.metadata]), [[true, '', null, null]]);
});

fields('a conversation has a company (its contact\'s or its own), a channel type, metadata and updatedAt; the company\'s record lists it', async () => {
  const contact = await call('POST', '/v1/contacts', { token: t.agentToken, body: { name: 'Ann of Initech', companyId: 'initech' } });
  const fromContact = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, contactId: contact.body.contact.id } });
  assert.is(fromContact.status, 201, JSON.stringify(fromContact.body));
  const c1 = fromContact.body.conversation;
  assert.equal([c1.companyId, c1.channelType, c1.metadata, c1.source], ['initech', 'direct', null, null]);
  assert.type(c1.updatedAt, 'string');
  const direct = await call('POST', '/v1/conversations', {
    token: t.agentToken, body: { inboxId: t.inboxId, companyId: 'umbrella', channelType: 'group', metadata: { crmTicket: 'T-9' } },
  });
  const c2 = direct.body.conversation;
  assert.equal([c2.companyId, c2.channelType, c2.metadata], ['umbrella', 'group', { crmTicket: 'T-9' }]);
  const bad = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, channelType: 'party' } });
  assert.is(bad.status, 400);
  const listed = await call('GET', '/v1/entities/company/umbrella/conversations', { token: t.agentToken });
  assert.equal(listed.body.conversations.map((c: any) => c.id), [c2.id]);
  await call('POST', `/v1/conversations/${c2.id}/messages`, { token: t.agentToken, body: { clientMessageId: 'umbrella-1', body: 'about the contract' } });
  const timeline = await call('GET', '/v1/entities/company/umbrella/timeline', { token: t.agentToken });
  assert.ok(timeline.body.activities.some((a: any) => a.conversationId === c2.id && a.kind === 'message.outbound'), JSON.stringify(timeline.body.activities.map((a: any) => a.kind)));
  const moved = await call('GET', `/v1/conversations/${c2.id}`, { token: t.agentToken });
  assert.ok(moved.body.conversation.updatedAt > c2.updatedAt, 'a message moves updatedAt');
});

fields('an inbound conversation and its messages record the identity they came from', async () => {
  await call('POST', '/v1/contacts', { token: t.agentToken, body: { name: 'Bo of Hooli', email: 'bo@hooli.example', companyId: 'hooli' } });
  const res = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'source-1', from: { handle: 'Bo@Hooli.example' }, body: 'hello' });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const conversation = await call('GET', `/v1/conversations/${res.body.conversationId}`, { token: t.adminToken });
  assert.equal(conversation.body.conversation.source, { channel: 'email', handle: 'bo@hooli.example' });
  assert.is(conversation.body.conversation.companyId, 'hooli');
  const messages = await call('GET', `/v1/conversations/${res.body.conversationId}/messages`, { token: t.adminToken });
  // (The greeting rule made earlier answers too: its reply comes from no identity.)
  assert.equal(messages.body.messages.map((m: any) => [m.direction, m.source]), [['inbound', { channel: 'email', handle: 'bo@hooli.example' }], ['outbound', null]]);
  const reply = await call('POST', `/v1/conversations/${res.body.conversationId}/messages`, { token: t.adminToken, body: { clientMessageId: 'source-reply', body: 'hi Bo' } });
  assert.is(reply.body.message.source, null, 'a reply comes from no channel identity');
});

fields('SLA policy conditions: a new conversation in an inbox that names no policy gets the first active one that matches, else the default', async () => {
  const inbox = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Unnamed policy', channel: 'chat', memberIds: [t.agentId] } });
  const inboxId = inbox.body.inbox.id;
  const policy = async (body: Record<string, unknown>) => {
    const res = await call('POST', '/v1/sla-policies', { token: t.adminToken, body: { firstResponseMinutes: 5, resolutionMinutes: 60, ...body } });
    assert.is(res.status, 201, JSON.stringify(res.body));
    return res.body.policy;
  };
  const retired = await policy({ name: 'Retired urgent', conditions: { priorities: ['urgent'] }, isActive: false });
  const urgent = await policy({ name: 'Urgent', conditions: { priorities: ['urgent'] } });
  const billing = await policy({ name: 'Billing chat', conditions: { channels: ['chat'], tags: ['Billing'] } });
  assert.equal(urgent.conditions, { priorities: ['urgent'] });
  assert.equal(billing.conditions, { channels: ['chat'], tags: ['billing'] });
  const policyOf = async (body: Record<string, unknown>) =>
    (await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId, ...body } })).body.conversation.sla.policyId;
  assert.is(await policyOf({ priority: 'urgent' }), urgent.id, 'the inactive one first in line is passed over');
  assert.is(await policyOf({ requiredSkills: ['billing'] }), billing.id);
  assert.is(await policyOf({}), null, 'no match and no default: none');
  const fallback = await policy({ name: 'Everything else', isDefault: true });
  assert.is(await policyOf({}), fallback.id);
  // An inbox that names its policy keeps it whatever the conditions say.
  assert.is((await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, priority: 'urgent' } })).body.conversation.sla.policyId, t.policyId);
  for (const conditions of [{}, { priorities: ['someday'] }, { colours: ['red'] }, { tags: [] }]) {
    const refused = await call('POST', '/v1/sla-policies', { token: t.adminToken, body: { name: 'Bad', firstResponseMinutes: 5, resolutionMinutes: 60, conditions } });
    assert.is(refused.status, 400, JSON.stringify(conditions));
  }
  assert.ok(retired.id);
});

fields.run();
