// Transcripts: a conversation as JSON and as readable text, internal notes only when asked for (never for a
// bot), a masked thread hidden from a reader who may not read it, another tenant's conversation not found,
// and the transcript sent to the webhooks that subscribe to it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let other: SeededTenant;
let receiver: Receiver;
let id: string;

const transcripts = suite('transcripts');

transcripts.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Transcripts');
  other = await seedTenant(call, 'Elsewhere');
  receiver = await startReceiver(() => 200);
  const inbound = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'tr-1', from: { handle: 'ivy@example.com', name: 'Ivy Customer' }, body: 'Where is my invoice?' });
  id = inbound.body.conversationId;
  const send = (body: Record<string, unknown>) => call('POST', `/v1/conversations/${id}/messages`, { token: t.agentToken, body: { clientMessageId: crypto.randomUUID(), ...body } });
  assert.is((await send({ body: 'Here it is', attachments: [{ type: 'file', url: 'https://cdn.example/invoice-7.pdf', filename: 'invoice-7.pdf' }] })).status, 201);
  assert.is((await send({ body: 'Sent invoice 7 again', direction: 'internal' })).status, 201);
});
transcripts.after(async () => {
  await receiver.close();
  await server.stop();
});

transcripts('JSON: every message in order with its sender named; notes only when asked for', async () => {
  const plain = await call('GET', `/v1/conversations/${id}/transcript`, { token: t.agentToken });
  assert.is(plain.status, 200, JSON.stringify(plain.body));
  const tr = plain.body.transcript;
  assert.equal(tr.messages.map((m: { body: string }) => m.body), ['Where is my invoice?', 'Here it is']);
  assert.is(tr.notesIncluded, false);
  assert.is(tr.contact.name, 'Ivy Customer');
  assert.is(tr.authors[t.agentId], 'Transcripts agent');
  assert.is(tr.messages[1].attachments[0].url, 'https://cdn.example/invoice-7.pdf');
  const withNotes = await call('GET', `/v1/conversations/${id}/transcript?notes=true`, { token: t.agentToken });
  assert.equal(withNotes.body.transcript.messages.map((m: { direction: string }) => m.direction), ['inbound', 'outbound', 'internal']);
  // A bot never gets internal notes, asked or not.
  const bot = await call('GET', `/v1/conversations/${id}/transcript?notes=true`, { token: t.botKey });
  assert.is(bot.body.transcript.messages.length, 2);
  assert.is(bot.body.transcript.notesIncluded, false);
  assert.is((await call('GET', `/v1/conversations/${id}/transcript?notes=maybe`, { token: t.agentToken })).status, 400);
});

transcripts('text: a readable document with a header, senders, attachments as links', async () => {
  const res = await call('GET', `/v1/conversations/${id}/transcript.txt?notes=true`, { token: t.agentToken });
  assert.is(res.status, 200);
  assert.match(res.headers['content-type'], /^text\/plain/);
  assert.match(res.headers['content-disposition'], /attachment; filename="conversation-/);
  const text = String(res.body);
  assert.match(text, /Customer: Ivy Customer <ivy@example.com>/);
  assert.match(text, /\] Ivy Customer:\nWhere is my invoice\?/);
  assert.match(text, /\] Transcripts agent:\nHere it is\nAttachment: invoice-7.pdf https:\/\/cdn.example\/invoice-7.pdf/);
  assert.match(text, /\] Transcripts agent \(internal note\):\nSent invoice 7 again/);
  const without = String((await call('GET', `/v1/conversations/${id}/transcript.txt`, { token: t.agentToken })).body);
  assert.not.match(without, /Sent invoice 7 again/);
});

transcripts('a masked thread: a reader who may not read it gets no content, in JSON or in text', async () => {
  const inbox = await call('POST', '/v1/inboxes', { token: t.adminToken, body: { name: 'Private', channel: 'email', visibility: 'metadata' } });
  const masked = await newConversation(call, t, { inboxId: inbox.body.inbox.id });
  await call('POST', `/v1/conversations/${masked}/messages`, { token: t.adminToken, body: { clientMessageId: 'secret-1', body: 'The secret number is 4242' } });
  const json = await call('GET', `/v1/conversations/${masked}/transcript`, { token: t.agentToken });
  assert.is(json.status, 200, JSON.stringify(json.body));
  assert.is(json.body.transcript.messages[0].masked, true);
  assert.not.match(JSON.stringify(json.body), /4242/);
  const text = await call('GET', `/v1/conversations/${masked}/transcript.txt`, { token: t.agentToken });
  assert.not.match(String(text.body), /4242/);
  assert.match(String(text.body), /\(hidden\)/);
  const author = await call('GET', `/v1/conversations/${masked}/transcript.txt`, { token: t.adminToken });
  assert.match(String(author.body), /4242/, 'who may read it reads it');
});

transcripts('another tenant gets NOT_FOUND', async () => {
  for (const path of [`/v1/conversations/${id}/transcript`, `/v1/conversations/${id}/transcript.txt`]) {
    const res = await call('GET', path, { token: other.agentToken });
    assert.is(res.status, 404, path);
  }
  assert.is((await call('POST', `/v1/conversations/${id}/transcript/send`, { token: other.agentToken, body: {} })).status, 404);
});

transcripts('sent on request to the webhooks that subscribe to conversation.transcript, signed like every delivery', async () => {
  const none = await call('POST', `/v1/conversations/${id}/transcript/send`, { token: t.agentToken, body: {} });
  assert.is(none.status, 202, JSON.stringify(none.body));
  assert.is(none.body.queued, 0, 'nobody subscribes yet');
  const hook = await call('POST', '/v1/webhooks', { token: t.adminToken, body: { url: `${receiver.url}/transcripts`, events: ['conversation.transcript'] } });
  assert.is(hook.status, 201, JSON.stringify(hook.body));
  const sent = await call('POST', `/v1/conversations/${id}/transcript/send`, { token: t.agentToken, body: { notes: true } });
  assert.is(sent.body.queued, 1);
  const [delivery] = await receiver.waitFor((r) => r.path === '/transcripts');
  const payload = JSON.parse(delivery.body);
  assert.is(payload.type, 'conversation.transcript');
  assert.is(payload.data.transcript.conversation.id, id);
  assert.is(payload.data.transcript.messages.length, 3);
  assert.ok(delivery.headers['webhook-signature'], 'signed');
  assert.is((await call('POST', `/v1/conversations/${id}/transcript/send`, { token: t.agentToken, body: { notes: 'yes' } })).status, 400);
});

transcripts.run();
