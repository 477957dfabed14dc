// CSAT: resolving a conversation of a surveying inbox sends the customer one survey message with a signed
// link; the rating (1–5) and comment come back through the link (page or JSON) or the channel, once; reports
// average them per agent, team and inbox.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sign } from '../../src/features/inbound/signature.ts';
import { startServer, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';
import { connect, waitFor, type ClientSocket } from '../helpers/sockets.ts';

let server: TestServer;
let call: Call;
let t: SeededTenant;
let other: SeededTenant;
let agentSocket: ClientSocket;
const csat = suite('csat');

const as = (token: string, method: string, path: string, body?: unknown) => call(method, path, { token, body });

csat.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Surveys');
  other = await seedTenant(call, 'Elsewhere');
  agentSocket = await connect(server.url, t.agentToken);
  const on = await as(t.adminToken, 'PATCH', `/v1/inboxes/${t.inboxId}`, { csatSurvey: true, csatMessage: 'Please rate us: {{link}}' });
  assert.is(on.status, 200, JSON.stringify(on.body));
  assert.equal([on.body.inbox.csatSurvey, on.body.inbox.csatMessage], [true, 'Please rate us: {{link}}']);
});
csat.after(async () => {
  agentSocket.close();
  await server.stop();
});

/** A customer's thread, answered and resolved by the agent; answers the survey message's link path. */
async function resolvedThread(externalId: string, handle: string): Promise<{ id: string; path: string }> {
  const inbound = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId, from: { handle }, body: 'Help please' });
  const id = inbound.body.conversationId;
  await as(t.adminToken, 'POST', `/v1/conversations/${id}/assign`, { assigneeId: t.agentId });
  await as(t.agentToken, 'POST', `/v1/conversations/${id}/messages`, { clientMessageId: `${externalId}-reply`, body: 'Done!' });
  const surveyed = waitFor<{ message: { conversationId: string; body: string; senderType: string } }>(agentSocket, 'message:new',
    (e) => e.message.conversationId === id && e.message.body.startsWith('Please rate us'));
  await as(t.agentToken, 'POST', `/v1/conversations/${id}/status`, { status: 'resolved' });
  const { message } = await surveyed;
  assert.is(message.senderType, 'system');
  const link = /https?:\/\/\S+\/v1\/csat\/(\S+)$/.exec(message.body);
  assert.ok(link, message.body);
  return { id, path: `/v1/csat/${link[1]}` };
}

csat('resolution sends one survey; the customer rates through the link once; the page shows the form, then thanks', async () => {
  const { id, path } = await resolvedThread('cs-1', 'una@example.com');
  const page = await fetch(`${server.url}${path}`);
  assert.is(page.status, 200);
  const html = await page.text();
  assert.ok(html.includes('name="rating" value="5"'), html);
  const answered = await call('POST', path, { body: { rating: 4, comment: 'Quick and kind' } });
  assert.is(answered.status, 200, JSON.stringify(answered.body));
  assert.equal([answered.body.survey.rating, answered.body.survey.comment, answered.body.survey.source, answered.body.survey.agentId], [4, 'Quick and kind', 'link', t.agentId]);
  const again = await call('POST', path, { body: { rating: 1 } });
  assert.is(again.status, 409);
  assert.ok((await (await fetch(`${server.url}${path}`)).text()).includes('You rated this conversation 4 of 5'));
  const surveys = await as(t.agentToken, 'GET', `/v1/conversations/${id}/csat`);
  assert.equal(surveys.body.surveys.map((s: { rating: number }) => s.rating), [4]);

  // Resolving it again without reopening sends nothing new; a new resolution after a reopen asks again.
  await as(t.agentToken, 'POST', `/v1/conversations/${id}/status`, { status: 'resolved' });
  await as(t.agentToken, 'POST', `/v1/conversations/${id}/status`, { status: 'open' });
  const second = waitFor<{ message: { conversationId: string; body: string } }>(agentSocket, 'message:new', (e) => e.message.conversationId === id && e.message.body.startsWith('Please rate us'));
  await as(t.agentToken, 'POST', `/v1/conversations/${id}/status`, { status: 'resolved' });
  await second;
  assert.is((await as(t.agentToken, 'GET', `/v1/conversations/${id}/csat`)).body.surveys.length, 2);
});

csat('the survey form posts a plain HTML form; bad ratings and forged links are refused', async () => {
  const { path } = await resolvedThread('cs-2', 'vic@example.com');
  const form = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'rating=5&comment=Great' });
  assert.is(form.status, 200);
  assert.ok((await form.text()).includes('You rated this conversation 5 of 5'));
  const { path: third } = await resolvedThread('cs-3', 'wes@example.com');
  for (const body of [{ rating: 0 }, { rating: 6 }, { rating: 'x' }, {}]) assert.is((await call('POST', third, { body })).status, 400, JSON.stringify(body));
  const token = third.split('/').pop()!;
  const forged = `/v1/csat/${token.slice(0, -4)}AAAA`;
  assert.is((await call('POST', forged, { body: { rating: 5 } })).status, 404);
  assert.is((await fetch(`${server.url}${forged}`)).status, 404);
  // Another survey's id under this one's signature is no link either.
  const [, signature] = token.split('.');
  assert.is((await call('POST', `/v1/csat/${crypto.randomUUID()}.${signature}`, { body: { rating: 5 } })).status, 404);
});

csat('the channel answers for its customer (signed); reports average per agent, team and inbox; another tenant sees nothing', async () => {
  await resolvedThread('cs-4', 'xia@example.com');
  const raw = JSON.stringify({ from: { handle: 'xia@example.com' }, rating: 2, comment: 'Slow' });
  const unsigned = await call('POST', `/v1/inboxes/${t.inboxId}/inbound/csat`, { raw, headers: { 'x-switchboard-signature': sign('wrong-secret', raw, Math.floor(Date.now() / 1000)) } });
  assert.is(unsigned.status, 401);
  const answered = await call('POST', `/v1/inboxes/${t.inboxId}/inbound/csat`, { raw, headers: { 'x-switchboard-signature': sign(t.webhookSecret, raw, Math.floor(Date.now() / 1000)) } });
  assert.is(answered.status, 200, JSON.stringify(answered.body));
  assert.equal([answered.body.survey.rating, answered.body.survey.source], [2, 'inbound']);
  const none = JSON.stringify({ from: { handle: 'nobody@example.com' }, rating: 5 });
  assert.is((await call('POST', `/v1/inboxes/${t.inboxId}/inbound/csat`, { raw: none, headers: { 'x-switchboard-signature': sign(t.webhookSecret, none, Math.floor(Date.now() / 1000)) } })).status, 404);

  const report = await as(t.supervisorToken, 'GET', '/v1/reports/csat');
  assert.is(report.status, 200, JSON.stringify(report.body));
  const agent = report.body.byAgent.find((r: { id: string }) => r.id === t.agentId);
  // Ratings so far: 4 (cs-1), 5 (cs-2), 2 (cs-4); cs-1's second survey and cs-3's are unanswered.
  assert.equal([agent.surveys, agent.responses, agent.average, agent.satisfied], [5, 3, 3.67, 0.667]);
  assert.ok(report.body.byInbox.some((r: { id: string; responses: number }) => r.id === t.inboxId && r.responses === 3));
  assert.is((await as(t.agentToken, 'GET', '/v1/reports/csat')).status, 403);
  const theirs = await as(other.supervisorToken, 'GET', '/v1/reports/csat');
  assert.equal([theirs.body.byAgent, theirs.body.byInbox], [[], []]);
});

csat.run();
