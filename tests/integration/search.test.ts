// Full-text search: stemmed message words and prefixes as one types, ranked, snippets as segments (never
// HTML), conversations by subject and tag, contacts by name and handle, the filters, paging, and what a reader
// may not read never matching (a masked thread's words, another tenant's, a bot's view of notes).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let other: SeededTenant;
let refund: string;
let masked: string;

const searching = suite('search');

const say = (id: string, token: string, body: string, extra: Record<string, unknown> = {}) =>
  call('POST', `/v1/conversations/${id}/messages`, { token, body: { clientMessageId: crypto.randomUUID(), body, ...extra } });

searching.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Searching');
  other = await seedTenant(call, 'Elsewhere');
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, {
    externalId: 's-1', from: { handle: 'olga@shop.example', name: 'Olga Petrova' }, subject: 'Refund for order 7781', body: 'I was charged twice for my subscriptions, please refund one',
  });
  refund = first.body.conversationId;
  await say(refund, t.agentToken, 'Refunds are processed within five days');
  await say(refund, t.agentToken, 'Checked the payment provider: double charge confirmed', { direction: 'internal' });
  const shipping = await newConversation(call, t, { subject: 'Shipping delay' });
  await say(shipping, t.agentToken, 'Your parcel left the warehouse');
  const inbox = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Legal', channel: 'email', visibility: 'metadata' } });
  masked = await newConversation(call, t, { inboxId: inbox.body.inbox.id, subject: 'Confidential settlement' });
  await say(masked, t.adminToken, 'The settlement amount is confidential');
  const theirs = await signedInbound(call, other.inboxId, other.webhookSecret, { externalId: 'o-1', from: { handle: 'x@elsewhere.example' }, body: 'refund please, charged twice' });
  assert.is(theirs.status, 202);
});
searching.after(async () => {
  await server.stop();
});

const find = async (token: string, query: string) => {
  const res = await call('GET', `/v1/search?${query}`, { token });
  assert.is(res.status, 200, JSON.stringify(res.body));
  return res.body as { hits: any[]; nextCursor: string | null };
};
const text = (hit: any) => hit.snippet?.map((s: any) => s.text).join('') ?? '';
const marked = (hit: any) => hit.snippet?.filter((s: any) => s.match).map((s: any) => s.text.toLowerCase()) ?? [];

searching('stemmed words and prefixes match messages, ranked, with the matched words marked as segments', async () => {
  const { hits } = await find(t.agentToken, 'q=charging&types=messages');
  const bodies = hits.map((h) => h.message.body);
  assert.ok(bodies.includes('I was charged twice for my subscriptions, please refund one'), 'charging → charge (stemmed)');
  assert.ok(bodies.includes('Checked the payment provider: double charge confirmed'), 'notes for people');
  const hit = hits.find((h) => h.message.direction === 'inbound');
  assert.is(hit.conversationId, refund);
  assert.ok(marked(hit).includes('charged'), JSON.stringify(hit.snippet));
  assert.match(text(hit), /Refund for order 7781/, 'the subject is searched too');
  // As one types: a prefix.
  const typing = await find(t.agentToken, 'q=subscri&types=messages');
  assert.is(typing.hits.length, 1);
  // Every word must match; ranked highest first.
  assert.is((await find(t.agentToken, 'q=refund+parcel&types=messages')).hits.length, 0);
  const ranks = hits.map((h) => h.rank);
  assert.equal(ranks, [...ranks].sort((a, b) => b - a));
});

searching('conversations by subject and by tag; contacts by name and handle', async () => {
  const tag = await call('POST', '/v1/tags', { token: t.supervisorToken, body: { name: 'billing' } });
  await call('POST', `/v1/conversations/${refund}/tags`, { token: t.agentToken, body: { tagId: tag.body.tag.id } });
  assert.equal((await find(t.agentToken, 'q=shipp&types=conversations')).hits.map((h) => h.conversation.subject), ['Shipping delay']);
  assert.equal((await find(t.agentToken, 'q=billing&types=conversations')).hits.map((h) => h.id), [refund]);
  const people = await find(t.agentToken, 'q=petro&types=contacts');
  assert.equal(people.hits.map((h) => h.contact.name), ['Olga Petrova']);
  assert.equal((await find(t.agentToken, 'q=olga@shop&types=contacts')).hits.map((h) => h.contact.name), ['Olga Petrova']);
});

searching('filters narrow messages and conversations; a filter leaves contacts out', async () => {
  assert.ok((await find(t.agentToken, 'q=olga')).hits.some((h) => h.type === 'contact'), 'without a filter, contacts too');
  assert.not.ok((await find(t.agentToken, `q=olga&inboxId=${t.inboxId}`)).hits.some((h) => h.type === 'contact'));
  const inInbox = await find(t.agentToken, `q=refund&inboxId=${t.inboxId}`);
  assert.ok(inInbox.hits.length > 0 && inInbox.hits.every((h) => h.type !== 'contact'));
  assert.is((await find(t.agentToken, `q=refund&inboxId=${t.inboxId}&status=closed`)).hits.length, 0);
  assert.is((await find(t.agentToken, 'q=refund&channel=sms')).hits.length, 0);
  assert.is((await find(t.agentToken, 'q=refund&tag=billing&types=messages')).hits.length, 2);
  assert.is((await find(t.agentToken, `q=refund&until=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`)).hits.length, 0);
  for (const bad of ['', 'q=', 'q=%21%21', 'q=x&types=files', 'q=x&status=lost', 'q=x&cursor=nope', 'q=x&since=yesterday']) {
    assert.is((await call('GET', `/v1/search?${bad}`, { token: t.agentToken })).status, 400, bad);
  }
});

searching('pages by cursor without overlap', async () => {
  const first = await find(t.agentToken, 'q=refund&limit=1');
  assert.is(first.hits.length, 1);
  assert.type(first.nextCursor, 'string');
  const second = await find(t.agentToken, `q=refund&limit=1&cursor=${first.nextCursor}`);
  const seen = new Set(first.hits.map((h) => `${h.type}:${h.id}`));
  assert.ok(second.hits.length > 0 && second.hits.every((h) => !seen.has(`${h.type}:${h.id}`)));
});

searching('nothing a reader may not read: a masked thread\'s words, another tenant\'s, a bot\'s notes', async () => {
  assert.is((await find(t.agentToken, 'q=settlement')).hits.length, 0, 'not a participant: no match at all');
  const admin = await find(t.adminToken, 'q=settlement');
  assert.ok(admin.hits.some((h) => h.type === 'message') && admin.hits.some((h) => h.type === 'conversation'), 'who may read it finds it');
  assert.not.ok((await find(other.agentToken, 'q=subscriptions')).hits.length, 'another tenant');
  assert.is((await find(t.agentToken, 'q=twice&types=messages')).hits.length, 1, 'not the other tenant\'s message');
  assert.is((await call('GET', '/v1/search?q=charge', { token: t.botKey })).status, 403, 'people only');
});

searching('the tenant\'s language stems new messages', async () => {
  const changed = await call('PATCH', '/v1/tenant', { token: t.adminToken, body: { searchLanguage: 'german' } });
  assert.is(changed.body.tenant.searchLanguage, 'german');
  const id = await newConversation(call, t);
  await say(id, t.agentToken, 'Die Rechnungen wurden verschickt');
  const hits = (await find(t.agentToken, 'q=rechnung&types=messages')).hits;
  assert.equal(hits.map((h) => h.message.body), ['Die Rechnungen wurden verschickt']);
  assert.is((await call('PATCH', '/v1/tenant', { token: t.adminToken, body: { searchLanguage: 'klingon' } })).status, 400);
});

searching.run();
