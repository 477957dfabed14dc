// Threads on any CRM record: the record's conversations (a company's through its contacts and the
// recipients of messages) and its timeline, newest first and paged.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
const threads: Record<string, string> = {};
const contacts: Record<string, string> = {};

const records = suite('CRM records');

async function contact(name: string, email: string, companyId?: string): Promise<string> {
  const res = await call('POST', '/v1/contacts', { token: t.agentToken, body: { name, email, ...(companyId ? { companyId } : {}) } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.contact.id;
}

async function thread(body: Record<string, unknown>): Promise<string> {
  const res = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, ...body } });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.conversation.id;
}

async function say(conversationId: string, text: string, extra: Record<string, unknown> = {}) {
  const res = await call('POST', `/v1/conversations/${conversationId}/messages`, {
    token: t.agentToken, body: { clientMessageId: `${conversationId}-${text}`, body: text, ...extra },
  });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.message;
}

records.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Records');
  contacts.ann = await contact('Ann of Acme', 'ann@acme.example', 'acme');
  contacts.bob = await contact('Bob of Acme', 'bob@acme.example', 'acme');
  contacts.cy = await contact('Cy Freelance', 'cy@free.example');
  threads.onCompany = await thread({ contactId: contacts.cy, entityType: 'company', entityId: 'acme', subject: 'Acme contract' });
  threads.annsOwn = await thread({ contactId: contacts.ann, subject: 'Ann asks' });
  threads.bobCopied = await thread({ contactId: contacts.cy, subject: 'Cy with Bob in copy' });
  threads.unrelated = await thread({ contactId: contacts.cy, subject: 'Cy alone' });
  threads.otherCompany = await thread({ entityType: 'company', entityId: 'globex', subject: 'Globex' });
  threads.deal = await thread({ entityType: 'deal', entityId: 'deal-7', subject: 'Deal 7' });
  await say(threads.onCompany, 'contract draft attached');
  await say(threads.annsOwn, 'hello Ann');
  await say(threads.bobCopied, 'hello Cy, Bob in copy', { recipients: { to: [{ address: 'cy@free.example' }], cc: [{ address: 'BOB@acme.example' }] } });
  await say(threads.unrelated, 'just Cy');
  await say(threads.deal, 'deal note', { direction: 'internal' });
  const status = await call('POST', `/v1/conversations/${threads.deal}/status`, { token: t.agentToken, body: { status: 'pending' } });
  assert.is(status.status, 200);
});

records.after(async () => {
  await server.stop();
});

records('a company has its own threads, its contacts\' threads and the threads its contacts were copied on', async () => {
  const res = await call('GET', '/v1/entities/company/acme/conversations', { token: t.agentToken });
  assert.is(res.status, 200, JSON.stringify(res.body));
  // Newest activity first.
  assert.equal(res.body.conversations.map((c: any) => c.id), [threads.bobCopied, threads.annsOwn, threads.onCompany]);
  assert.is(res.body.nextCursor, null);
});

records('a contact has the threads whose contact it is and those it received messages on', async () => {
  const bob = await call('GET', `/v1/entities/contact/${contacts.bob}/conversations`, { token: t.agentToken });
  assert.equal(bob.body.conversations.map((c: any) => c.id), [threads.bobCopied]);
  const cy = await call('GET', `/v1/entities/contact/${contacts.cy}/conversations`, { token: t.agentToken });
  assert.equal(cy.body.conversations.map((c: any) => c.id), [threads.unrelated, threads.bobCopied, threads.onCompany]);
});

records('record conversations page with a cursor, without overlap', async () => {
  const first = await call('GET', '/v1/entities/company/acme/conversations?limit=2', { token: t.agentToken });
  assert.is(first.body.conversations.length, 2);
  assert.type(first.body.nextCursor, 'string');
  const second = await call('GET', `/v1/entities/company/acme/conversations?limit=2&cursor=${first.body.nextCursor}`, { token: t.agentToken });
  assert.equal(second.body.conversations.map((c: any) => c.id), [threads.onCompany]);
  assert.is(second.body.nextCursor, null);
});

records('a deal\'s timeline lists its activities newest first, with the messages', async () => {
  const res = await call('GET', '/v1/entities/deal/deal-7/timeline', { token: t.agentToken });
  assert.is(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.activities.map((a: any) => a.kind), ['conversation.status', 'message.internal', 'conversation.created']);
  const [status, note] = res.body.activities;
  assert.equal(status.data, { from: 'open', to: 'pending' });
  assert.is(note.message.body, 'deal note');
  assert.is(note.conversationId, threads.deal);
  assert.ok(res.body.activities.every((a: any) => a.entityType === 'deal' && a.entityId === 'deal-7'));
});

records('a company\'s timeline spans its threads and pages newest first without overlap', async () => {
  const all = await call('GET', '/v1/entities/company/acme/timeline?limit=100', { token: t.agentToken });
  const kinds = all.body.activities.map((a: any) => `${a.kind}:${a.message?.body ?? a.conversationId}`);
  assert.equal(kinds, [
    'message.outbound:hello Cy, Bob in copy', 'message.outbound:hello Ann', 'message.outbound:contract draft attached',
    `conversation.created:${threads.bobCopied}`, `conversation.created:${threads.annsOwn}`, `conversation.created:${threads.onCompany}`,
  ]);
  const seen: string[] = [];
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const res = await call('GET', `/v1/entities/company/acme/timeline?limit=4${cursor ? `&cursor=${cursor}` : ''}`, { token: t.agentToken });
    seen.push(...res.body.activities.map((a: any) => a.id));
    if (!res.body.nextCursor) break;
    cursor = res.body.nextCursor;
  }
  assert.equal(seen, all.body.activities.map((a: any) => a.id));
});

records('bad record types and cursors are refused; records of another tenant show nothing', async () => {
  const badType = await call('GET', '/v1/entities/planet/mars/conversations', { token: t.agentToken });
  assert.is(badType.status, 400);
  assert.is(badType.body.error.code, 'VALIDATION');
  const badCursor = await call('GET', '/v1/entities/company/acme/timeline?cursor=nope', { token: t.agentToken });
  assert.is(badCursor.status, 400);
  const other = await seedTenant(call, 'Records Elsewhere');
  const res = await call('GET', '/v1/entities/company/acme/conversations', { token: other.agentToken });
  assert.equal(res.body.conversations, []);
  const timeline = await call('GET', '/v1/entities/company/acme/timeline', { token: other.agentToken });
  assert.equal(timeline.body.activities, []);
});

records.run();
