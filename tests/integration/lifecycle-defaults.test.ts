// A conversation's first status and an inbox's default visibility, as the specifications set them: a
// conversation is `new` until a person first writes in it (the customer, a bot or the system do not count),
// and an inbox created without a visibility masks its threads (`metadata`) unless its tenant chose otherwise.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, TEST_ADMIN_KEY, type TestServer } from '../helpers/app.ts';
import { newConversation, signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;

const lifecycle = suite('conversation lifecycle and defaults');

lifecycle.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Lifecycle');
});
lifecycle.after(async () => {
  await server.stop();
});

const conversation = async (id: string) => (await call('GET', `/v1/conversations/${id}`, { token: t.supervisorToken })).body.conversation;
const send = (id: string, token: string, body: Record<string, unknown>) =>
  call('POST', `/v1/conversations/${id}/messages`, { token, body: { clientMessageId: crypto.randomUUID(), ...body } });

lifecycle('a conversation is new until a person writes in it; customers and bots do not end it; its SLA runs meanwhile', async () => {
  const inbound = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'life-1', from: { handle: 'new@lifecycle.example' }, body: 'hello?' });
  assert.is(inbound.status, 202, JSON.stringify(inbound.body));
  const id = inbound.body.conversationId;
  const fresh = await conversation(id);
  assert.is(fresh.status, 'new');
  assert.type(fresh.sla.firstResponseDueAt, 'string', 'the first-response clock runs for a new conversation');

  const listed = await call('GET', '/v1/conversations?status=new&limit=100', { token: t.supervisorToken });
  assert.ok(listed.body.conversations.some((c: { id: string }) => c.id === id), 'listed by status=new');

  assert.is((await send(id, t.botKey, { body: 'A bot answers first' })).status, 201);
  assert.is((await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'life-2', from: { handle: 'new@lifecycle.example' }, body: 'a person please' })).status, 202);
  assert.is((await conversation(id)).status, 'new', 'neither the bot nor the customer touched it as a person');

  assert.is((await send(id, t.agentToken, { body: 'looking into it', direction: 'internal' })).status, 201);
  assert.is((await conversation(id)).status, 'open', "a person's note is the first human touch");
});

lifecycle('a conversation created over the API starts new; a person setting its status ends that', async () => {
  const id = await newConversation(call, t);
  assert.is((await conversation(id)).status, 'new');
  const pending = await call('POST', `/v1/conversations/${id}/status`, { token: t.agentToken, body: { status: 'pending' } });
  assert.is(pending.status, 200, JSON.stringify(pending.body));
  assert.is(pending.body.conversation.status, 'pending');
});

lifecycle('nobody sets new or archived by hand', async () => {
  const id = await newConversation(call, t);
  for (const status of ['new', 'archived']) {
    const res = await call('POST', `/v1/conversations/${id}/status`, { token: t.supervisorToken, body: { status } });
    assert.is(res.status, 400, `${status}: ${JSON.stringify(res.body)}`);
    assert.is(res.body.error.code, 'VALIDATION');
  }
  assert.is((await conversation(id)).status, 'new', 'unchanged');
});

lifecycle("an inbox without a visibility masks its threads unless the tenant chose otherwise; a named one wins", async () => {
  const tenant = await call('POST', '/v1/tenants', { headers: { 'x-admin-key': TEST_ADMIN_KEY }, body: { name: 'Defaults' } });
  assert.is(tenant.status, 201, JSON.stringify(tenant.body));
  assert.is(tenant.body.tenant.defaultInboxVisibility, 'metadata');
  const admin = tenant.body.admin.token;
  const inbox = async (body: Record<string, unknown>) => {
    const res = await call('POST', '/v1/inboxes', { token: admin, body: { name: 'Inbox', channel: 'email', ...body } });
    assert.is(res.status, 201, JSON.stringify(res.body));
    return res.body.inbox.visibility;
  };
  assert.is(await inbox({}), 'metadata');
  assert.is(await inbox({ visibility: 'subject' }), 'subject');

  const changed = await call('PATCH', '/v1/tenant', { token: admin, body: { defaultInboxVisibility: 'share_everything' } });
  assert.is(changed.status, 200, JSON.stringify(changed.body));
  assert.is(changed.body.tenant.defaultInboxVisibility, 'share_everything');
  assert.is(await inbox({}), 'share_everything');
  assert.is(await inbox({ visibility: 'metadata' }), 'metadata');

  const bad = await call('PATCH', '/v1/tenant', { token: admin, body: { defaultInboxVisibility: 'everything' } });
  assert.is(bad.status, 400);
});

lifecycle.run();
