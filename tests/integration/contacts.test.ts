// Contacts as an identity graph: an inbound handle finds the contact whose own address or number it is,
// identities are added and listed, contacts are listed, searched and paged, and two contacts merge into one.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let other: SeededTenant;
let sms: { id: string; secret: string };

const contacts = suite('contacts');

async function contact(body: Record<string, unknown>, token = t.agentToken): Promise<{ id: string; email: string | null; phone: string | null }> {
  const res = await call('POST', '/v1/contacts', { token, body });
  assert.is(res.status, 201, JSON.stringify(res.body));
  return res.body.contact;
}

let inboundCount = 0;
async function inbound(inbox: { id: string; secret: string }, handle: string, body = 'hello'): Promise<string> {
  const res = await signedInbound(call, inbox.id, inbox.secret, { externalId: `contacts-${++inboundCount}`, from: { handle, name: 'Sender' }, body });
  assert.is(res.status, 202, JSON.stringify(res.body));
  const conversation = await call('GET', `/v1/conversations/${res.body.conversationId}`, { token: t.adminToken });
  return conversation.body.conversation.contactId;
}

const contactCount = async () => {
  let total = 0;
  for (let cursor: string | null = null, first = true; first || cursor; first = false) {
    const page: { body: { contacts: unknown[]; nextCursor: string | null } } = await call('GET', `/v1/contacts?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: t.agentToken });
    total += page.body.contacts.length;
    cursor = page.body.nextCursor;
  }
  return total;
};

contacts.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Contacts');
  other = await seedTenant(call, 'Elsewhere');
  const created = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Texts', channel: 'sms', memberIds: [] } });
  assert.is(created.status, 201, JSON.stringify(created.body));
  sms = { id: created.body.inbox.id, secret: created.body.webhookSecret };
});

contacts.after(async () => {
  await server.stop();
});

contacts('an inbound e-mail from a contact\'s own address finds that contact, whatever its case, and records the identity', async () => {
  const known = await contact({ name: 'Known Person', email: 'known@x.example' });
  const before = await contactCount();
  const resolved = await inbound({ id: t.inboxId, secret: t.webhookSecret }, '  Known@X.Example ');
  assert.is(resolved, known.id);
  assert.is(await contactCount(), before, 'no second contact');
  const identities = await call('GET', `/v1/contacts/${known.id}/identities`, { token: t.agentToken });
  assert.equal(identities.body.identities, [{ channel: 'email', handle: 'known@x.example' }]);
  // The next message finds it by the identity now.
  assert.is(await inbound({ id: t.inboxId, secret: t.webhookSecret }, 'KNOWN@x.example'), known.id);
});

contacts('a text from a contact\'s own number, written another way, finds that contact; numbers are kept in E.164', async () => {
  const texter = await contact({ name: 'Texter', phone: '+1 (415) 555-2671' });
  assert.is(texter.phone, '+14155552671');
  assert.is(await inbound(sms, '0014155552671'), texter.id);
  const identities = await call('GET', `/v1/contacts/${texter.id}/identities`, { token: t.agentToken });
  assert.equal(identities.body.identities, [{ channel: 'sms', handle: '+14155552671' }]);
  // An unknown handle still makes a contact of its own.
  const stranger = await inbound(sms, '+1 415 555 0199');
  assert.is.not(stranger, texter.id);
});

contacts('identities: added (201), added again (200), another contact\'s (CONFLICT), listed oldest first', async () => {
  const a = await contact({ name: 'Ida', identities: [{ channel: 'chat', handle: 'ida-chat' }] });
  const b = await contact({ name: 'Bea' });
  const add = (id: string, body: unknown) => call('POST', `/v1/contacts/${id}/identities`, { token: t.agentToken, body });
  const first = await add(a.id, { channel: 'whatsapp', handle: '+44 20 7946 0958' });
  assert.is(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.identity, { channel: 'whatsapp', handle: '+442079460958' });
  const again = await add(a.id, { channel: 'whatsapp', handle: '+442079460958' });
  assert.is(again.status, 200);
  const taken = await add(b.id, { channel: 'whatsapp', handle: '0044 20 7946 0958' });
  assert.is(taken.status, 409);
  assert.is(taken.body.error.code, 'CONFLICT');
  const bad = await add(a.id, { channel: 'pager', handle: 'x' });
  assert.is(bad.status, 400);
  const listed = await call('GET', `/v1/contacts/${a.id}/identities`, { token: t.agentToken });
  assert.equal(listed.body.identities.map((i: { channel: string }) => i.channel), ['chat', 'whatsapp']);
});

contacts('the list: newest first, searched by name, e-mail, phone or handle, paged without overlap, this tenant only', async () => {
  const made = [];
  for (const n of [1, 2, 3, 4, 5]) made.push(await contact({ name: `Paging Person ${n}`, email: `pager${n}@paging.example` }));
  await contact({ name: 'Hidden', identities: [{ channel: 'social', handle: 'paging-person-handle' }] });
  await contact({ name: 'Paging Person elsewhere' }, other.agentToken);
  const byName = await call('GET', '/v1/contacts?q=paging%20person', { token: t.agentToken });
  assert.equal(byName.body.contacts.map((c: { name: string }) => c.name), ['Paging Person 5', 'Paging Person 4', 'Paging Person 3', 'Paging Person 2', 'Paging Person 1']);
  const byHandle = await call('GET', '/v1/contacts?q=person-hand', { token: t.agentToken });
  assert.equal(byHandle.body.contacts.map((c: { name: string }) => c.name), ['Hidden']);
  const byEmail = await call('GET', '/v1/contacts?q=PAGER3@', { token: t.agentToken });
  assert.equal(byEmail.body.contacts.map((c: { id: string }) => c.id), [made[2].id]);
  const wildcard = await call('GET', '/v1/contacts?q=%25', { token: t.agentToken });
  assert.equal(wildcard.body.contacts, [], 'a % is a character, not a wildcard');
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { status: number; body: { contacts: { id: string }[]; nextCursor: string | null } } = await call('GET', `/v1/contacts?q=paging.example&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: t.agentToken });
    assert.is(page.status, 200, JSON.stringify(page.body));
    assert.ok(page.body.contacts.length <= 2);
    seen.push(...page.body.contacts.map((c) => c.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  assert.equal(seen, made.map((c) => c.id).reverse());
  const bad = await call('GET', '/v1/contacts?cursor=nonsense', { token: t.agentToken });
  assert.is(bad.status, 400);
  const asBot = await call('GET', '/v1/contacts', { token: t.botKey });
  assert.is(asBot.status, 403);
});

contacts('merge: identities, conversations, messages and timeline move to the contact kept; the source points to it', async () => {
  const kept = await contact({ name: 'Kept', email: 'kept@merge.example' });
  const source = await contact({ name: 'Duplicate', phone: '+14155550123', identities: [{ channel: 'chat', handle: 'dup-chat' }] });
  const fromEmail = await inbound({ id: t.inboxId, secret: t.webhookSecret }, 'dup@merge.example', 'first from the duplicate');
  // That handle made a contact of its own: merge it in too, below. First the source with its threads.
  const own = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, contactId: source.id, subject: 'Dup asks' } });
  assert.is(own.status, 201);
  const onRecord = await call('POST', '/v1/conversations', { token: t.agentToken, body: { inboxId: t.inboxId, entityType: 'contact', entityId: source.id, subject: 'About Dup' } });
  assert.is(onRecord.status, 201);
  const sent = await call('POST', `/v1/conversations/${onRecord.body.conversation.id}/messages`, { token: t.agentToken, body: { clientMessageId: 'merge-1', body: 'note on the record' } });
  assert.is(sent.status, 201);

  const asAgent = await call('POST', `/v1/contacts/${kept.id}/merge`, { token: t.agentToken, body: { sourceContactId: source.id } });
  assert.is(asAgent.status, 403);
  const self = await call('POST', `/v1/contacts/${kept.id}/merge`, { token: t.supervisorToken, body: { sourceContactId: kept.id } });
  assert.is(self.status, 400);
  const foreign = await call('POST', `/v1/contacts/${kept.id}/merge`, { token: t.supervisorToken, body: { sourceContactId: other.contactId } });
  assert.is(foreign.status, 404);

  const merged = await call('POST', `/v1/contacts/${kept.id}/merge`, { token: t.supervisorToken, body: { sourceContactId: source.id } });
  assert.is(merged.status, 200, JSON.stringify(merged.body));
  assert.is(merged.body.contact.email, 'kept@merge.example');
  assert.is(merged.body.contact.phone, '+14155550123', 'a field the kept contact lacked comes from the source');
  assert.equal(merged.body.contact.identities, [{ channel: 'chat', handle: 'dup-chat' }]);

  const gone = await call('GET', `/v1/contacts/${source.id}`, { token: t.agentToken });
  assert.is(gone.status, 404);
  assert.equal(gone.body.error.details, { mergedInto: kept.id });
  const twice = await call('POST', `/v1/contacts/${kept.id}/merge`, { token: t.supervisorToken, body: { sourceContactId: source.id } });
  assert.is(twice.status, 404);
  assert.equal(twice.body.error.details, { mergedInto: kept.id });

  const moved = await call('GET', `/v1/conversations/${own.body.conversation.id}`, { token: t.agentToken });
  assert.is(moved.body.conversation.contactId, kept.id);
  const record = await call('GET', `/v1/entities/contact/${kept.id}/conversations`, { token: t.agentToken });
  assert.ok(record.body.conversations.some((c: { id: string }) => c.id === onRecord.body.conversation.id), JSON.stringify(record.body));
  const timeline = await call('GET', `/v1/entities/contact/${kept.id}/timeline`, { token: t.agentToken });
  const kinds = timeline.body.activities.map((a: { kind: string }) => a.kind);
  assert.is(kinds[0], 'contact.merged', JSON.stringify(kinds));
  assert.ok(kinds.includes('message.created') || timeline.body.activities.some((a: { message: unknown }) => a.message), JSON.stringify(kinds));
  const history = await call('GET', `/v1/contacts/${kept.id}/history`, { token: t.agentToken });
  assert.is(history.status, 200);

  // The handle that made its own contact: merged in as well, and the next message from it finds the kept contact.
  const second = await call('POST', `/v1/contacts/${kept.id}/merge`, { token: t.supervisorToken, body: { sourceContactId: fromEmail } });
  assert.is(second.status, 200);
  assert.is(await inbound({ id: t.inboxId, secret: t.webhookSecret }, 'dup@merge.example', 'again'), kept.id);
  assert.is(await inbound(sms, '+1 415 555 0123'), kept.id, 'the number the source had now finds the kept contact');
  const listed = await call('GET', '/v1/contacts?q=Duplicate', { token: t.agentToken });
  assert.equal(listed.body.contacts, [], 'a merged contact is not listed');
});

contacts.run();
