// Campaigns: one templated message per contact in its thread, tracked per recipient from delivery statuses.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { until } from '../helpers/wait.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
const contacts: string[] = [];
let existingThread: string;

const campaigns = suite('campaigns');

campaigns.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Campaigns');
  contacts.push(t.contactId);
  for (const name of ['Dora Delivered', 'Rita Reader', 'Fay Failed']) {
    const res = await call('POST', '/v1/contacts', { token: t.agentToken, body: { name, email: `${name.split(' ')[0].toLowerCase()}@campaigns.example` } });
    contacts.push(res.body.contact.id);
  }
  const thread = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, contactId: contacts[1] } });
  existingThread = thread.body.conversation.id;
});
campaigns.after(async () => {
  await server.stop();
});

async function campaignWhen(id: string, reached: (campaign: any) => boolean) {
  return until(async () => {
    const res = await call('GET', `/v1/campaigns/${id}`, { token: t.supervisorToken });
    return reached(res.body.campaign) && res.body.campaign;
  }, 10_000, 'campaign progress');
}

campaigns('a campaign sends one message per contact in its thread and tracks each from its delivery statuses', async () => {
  const res = await call('POST', '/v1/campaigns', {
    token: t.supervisorToken,
    body: { name: 'Spring sale', inboxId: t.inboxId, template: 'Hi {{contact.name}}, the sale starts Monday.', contactIds: contacts },
  });
  assert.is(res.status, 201, JSON.stringify(res.body));
  assert.is(res.body.campaign.progress.total, 4);
  const id = res.body.campaign.id;
  const sent = await campaignWhen(id, (c) => c.status === 'done');
  assert.equal(sent.progress, { total: 4, pending: 0, sent: 4, delivered: 0, read: 0, failed: 0 });
  assert.type(sent.completedAt, 'string');

  const recipients = (await call('GET', `/v1/campaigns/${id}/recipients`, { token: t.supervisorToken })).body.recipients;
  assert.is(recipients.length, 4);
  const byContact = new Map<string, any>(recipients.map((r: any) => [r.contactId, r]));
  assert.is(byContact.get(contacts[1]).conversationId, existingThread, 'the contact\'s open thread is used');
  const messages = await call('GET', `/v1/conversations/${existingThread}/messages`, { token: t.agentToken });
  assert.equal(messages.body.messages.map((m: any) => [m.body, m.senderType, m.direction]), [['Hi Dora Delivered, the sale starts Monday.', 'system', 'outbound']]);

  for (const [contact, status] of [[contacts[1], 'delivered'], [contacts[2], 'read'], [contacts[3], 'failed']] as const) {
    const report = await call('POST', `/v1/messages/${byContact.get(contact).messageId}/status`, { token: t.botKey, body: { status } });
    assert.is(report.status, 200, JSON.stringify(report.body));
  }
  const tracked = (await call('GET', `/v1/campaigns/${id}`, { token: t.supervisorToken })).body.campaign;
  assert.equal(tracked.progress, { total: 4, pending: 0, sent: 1, delivered: 1, read: 1, failed: 1 });
  const failed = await call('GET', `/v1/campaigns/${id}/recipients?status=failed`, { token: t.supervisorToken });
  assert.equal(failed.body.recipients.map((r: any) => r.contactId), [contacts[3]]);
  // Each status keeps its time: sent for all; delivered, read (a read message was delivered) and failed as reported.
  const timed = new Map<string, any>((await call('GET', `/v1/campaigns/${id}/recipients`, { token: t.supervisorToken })).body.recipients.map((r: any) => [r.contactId, r]));
  const times = (contact: string) => ['sentAt', 'deliveredAt', 'readAt', 'failedAt'].map((k) => timed.get(contact)[k] !== null);
  assert.equal(times(contacts[0]), [true, false, false, false]);
  assert.equal(times(contacts[1]), [true, true, false, false]);
  assert.equal(times(contacts[2]), [true, true, true, false]);
  assert.equal(times(contacts[3]), [true, false, false, true]);
  assert.ok(timed.get(contacts[2]).readAt >= timed.get(contacts[2]).sentAt);
  const list = await call('GET', '/v1/campaigns', { token: t.supervisorToken });
  assert.equal(list.body.campaigns.map((c: any) => c.id), [id]);
});

campaigns('bad campaigns are refused and write nothing', async () => {
  const before = await rowCounts(server.app.orm);
  const cases: [Record<string, unknown>, number][] = [
    [{ template: 'Hi {{contact.nickname}}' }, 400],
    [{ contactIds: [contacts[0], contacts[0]] }, 400],
    [{ contactIds: [] }, 400],
    [{ contactIds: [crypto.randomUUID()] }, 404],
    [{ inboxId: crypto.randomUUID() }, 404],
  ];
  for (const [change, status] of cases) {
    const res = await call('POST', '/v1/campaigns', {
      token: t.supervisorToken, body: { name: 'Bad', inboxId: t.inboxId, template: 'Hello', contactIds: [contacts[0]], ...change },
    });
    assert.is(res.status, status, JSON.stringify([change, res.body]));
  }
  const agent = await call('POST', '/v1/campaigns', { token: t.agentToken, body: { name: 'x', inboxId: t.inboxId, template: 'x', contactIds: [contacts[0]] } });
  assert.is(agent.status, 403);
  assert.equal(await rowCounts(server.app.orm), before);
  const other = await seedTenant(call, 'Campaigns Elsewhere');
  const foreign = await call('POST', '/v1/campaigns', { token: other.supervisorToken, body: { name: 'x', inboxId: other.inboxId, template: 'x', contactIds: [contacts[0]] } });
  assert.is(foreign.status, 404);
});

campaigns.run();
