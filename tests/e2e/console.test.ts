// The console in headless Chromium (Debian's chromium through playwright-core) against the real server:
// two agents in two pages see each other's messages and typing live, a note is marked as one, and an SLA
// breach appears on the supervisor's board. Screenshots go to tests/output/e2e/.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', 'output', 'e2e');
const WAIT_MS = 20_000;

let server: TestServer;
let call: Call;
let t: SeededTenant;
let browser: Browser;
let secondAgentToken: string;
let conversationId: string;
let urgentInbox: { id: string; secret: string };

const e2e = suite('console in Chromium');

e2e.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Console');
  const admin = { token: t.adminToken };
  const ben = await call('POST', '/v1/users', { ...admin, body: { name: 'Ben Agent', role: 'agent', capacity: 5 } });
  secondAgentToken = ben.body.token;
  await call('PUT', `/v1/inboxes/${t.inboxId}/members`, { ...admin, body: { memberIds: [t.agentId, ben.body.user.id] } });
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'e2e-1', from: { handle: 'carla@example.com', name: 'Carla' }, body: 'Hello, I need help with my order' });
  conversationId = first.body.conversationId;
  // A second inbox whose first-response target is 3 s: its conversation breaches while the test watches.
  const policy = await call('POST', '/v1/sla-policies', { ...admin, body: { name: 'Fast', firstResponseMinutes: 0.05, resolutionMinutes: 60 } });
  const urgent = await call('POST', '/v1/inboxes', { ...admin, body: { name: 'Urgent', channel: 'chat', slaPolicyId: policy.body.policy.id } });
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  urgentInbox = { id: urgent.body.inbox.id, secret: urgent.body.webhookSecret };
});
e2e.after(async () => {
  await browser?.close();
  await server.stop();
});

async function openConsole(token: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.goto(`${server.url}/#token=${token}`);
  // A link asks before it signs anyone in.
  await page.locator('[data-testid=link-confirm]').click();
  await page.locator('[data-testid=connection]', { hasText: 'live' }).waitFor();
  return page;
}

async function openThread(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid=conversation][data-id="${id}"]`).click();
  await page.locator('[data-testid=thread]').waitFor();
}

const message = (page: Page, text: string) => page.locator('[data-testid=message]', { hasText: text });

e2e('two agents see each other\'s messages and typing live; a note is marked', async () => {
  const ada = await openConsole(t.agentToken);
  const ben = await openConsole(secondAgentToken);
  await openThread(ada, conversationId);
  await openThread(ben, conversationId);
  for (const page of [ada, ben]) {
    assert.is(await message(page, 'Hello, I need help').getAttribute('data-direction'), 'inbound');
  }

  await ada.locator('[data-testid=composer]').click();
  await ada.keyboard.type('Hi Carla, Ada here', { delay: 20 });
  await ben.locator('[data-testid=typing]', { hasText: 'is typing' }).waitFor();
  assert.match(await ben.locator('[data-testid=typing]').textContent() ?? '', /Console agent is typing/);
  await ada.keyboard.press('Enter');
  await message(ben, 'Hi Carla, Ada here').waitFor();
  assert.is(await message(ben, 'Hi Carla, Ada here').getAttribute('data-direction'), 'outbound');
  // The sender's stop shows: the indicator clears once the message is sent.
  await ben.locator('[data-testid=typing]', { hasText: /^$/ }).waitFor();

  await ben.locator('[data-testid=composer]').fill('Ben here too, looking at it');
  await ben.locator('[data-testid=send]').click();
  await message(ada, 'Ben here too').waitFor();

  await ben.locator('[data-testid=internal]').check();
  await ben.locator('[data-testid=composer]').fill('Order 1042 was lost by the carrier');
  await ben.locator('[data-testid=send]').click();
  const note = message(ada, 'lost by the carrier');
  await note.waitFor();
  assert.is(await note.getAttribute('data-direction'), 'internal');
  assert.match(await note.textContent() ?? '', /Internal note/);

  // Inbound on the left, replies and notes on the right.
  const inboundBox = await message(ada, 'Hello, I need help').boundingBox();
  const outboundBox = await message(ada, 'Hi Carla, Ada here').boundingBox();
  assert.ok(inboundBox && outboundBox && inboundBox.x < outboundBox.x, 'inbound left of outbound');

  await ada.screenshot({ path: join(SHOTS, 'agent-ada.png') });
  await ben.screenshot({ path: join(SHOTS, 'agent-ben.png') });
});

e2e('a breach appears on the supervisor board as it happens, with agents\' presence', async () => {
  const sam = await openConsole(t.supervisorToken);
  await sam.locator('[data-testid=board]').waitFor();
  // The conversation starts after the board is up, so its breach can only arrive live.
  const urgent = await signedInbound(call, urgentInbox.id, urgentInbox.secret, { externalId: 'e2e-2', from: { handle: 'dan@example.com', name: 'Dan' }, body: 'Urgent: the app is down' });
  const breachingId = urgent.body.conversationId as string;
  await sam.locator(`[data-testid=conversation][data-id="${breachingId}"]`).waitFor();
  const alert = sam.locator(`[data-testid=alert][data-level=breach][data-conversation="${breachingId}"]`);
  await alert.first().waitFor();
  assert.match(await alert.first().textContent() ?? '', /Breached: first response/);
  const row = sam.locator(`[data-testid=conversation][data-id="${breachingId}"] [data-testid=sla]`);
  await row.filter({ hasText: 'breached' }).waitFor();
  // The two agents' pages of the previous test are still open: they show as online.
  await sam.locator(`[data-testid=agent][data-id="${t.agentId}"] [data-testid=agent-presence]`, { hasText: 'online' }).waitFor();
  await sam.screenshot({ path: join(SHOTS, 'supervisor-board.png') });
});

e2e('a sign-in link asks first and names the account; cancelling keeps the session; the page runs under its CSP', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(WAIT_MS);
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const response = await page.goto(`${server.url}/#token=${t.agentToken}`);
  const headers = response!.headers();
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.match(headers['content-security-policy'], /script-src 'self'/);
  assert.is(headers['x-frame-options'], 'DENY');
  assert.is(headers['x-content-type-options'], 'nosniff');
  assert.is(headers['referrer-policy'], 'no-referrer');
  // Not signed in until the person says so, and told whose account it is.
  await page.locator('[data-testid=link-text]', { hasText: 'Console agent (agent)' }).waitFor();
  assert.is(await page.evaluate(() => sessionStorage.getItem('switchboard.token')), null);
  assert.not.match(page.url(), /token=/);
  await page.locator('[data-testid=link-confirm]').click();
  await page.locator('[data-testid=me]', { hasText: 'agent' }).waitFor();
  // Another person's link while signed in (the tab's session survives leaving the page): cancel keeps the first account.
  await page.goto('about:blank');
  await page.goto(`${server.url}/#token=${secondAgentToken}`);
  await page.locator('[data-testid=link-text]', { hasText: 'signs you out of Console agent (agent) and in as Ben Agent (agent)' }).waitFor();
  await page.locator('[data-testid=link-cancel]').click();
  await page.locator('[data-testid=connection]', { hasText: 'live' }).waitFor();
  assert.is(await page.evaluate(() => sessionStorage.getItem('switchboard.token')), t.agentToken);
  assert.equal(errors, []);
});

e2e.run();
