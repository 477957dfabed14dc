// The console in headless Chromium (Debian's chromium through playwright-core) against the real server: an
// agent works a conversation end to end with the keyboard; two agents see each other's typing and messages;
// a supervisor watches a conversation wait in the live queue, get assigned, warn and breach; the reports page
// draws its charts; the 390 px layout; accessible names (axe-core); no console errors. Screenshots of each
// screen go to tests/output/e2e/.
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connectClient, type SwitchboardClient } from '../../src/clients/sdk/index.ts';
import { startServer, type TestServer } from '../helpers/app.ts';
import { signedInbound } from '../helpers/conversations.ts';
import { httpClient, type Call } from '../helpers/http.ts';
import { seedTenant, type SeededTenant } from '../helpers/seed.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', 'output', 'e2e');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const WAIT_MS = 20_000;

let server: TestServer;
let call: Call;
let t: SeededTenant;
let browser: Browser;
let ben: { id: string; token: string };
let carla: string;
const errors: string[] = [];

const e2e = suite('console in Chromium');

e2e.before(async () => {
  server = await startServer();
  call = httpClient(server.url);
  t = await seedTenant(call, 'Console');
  const admin = { token: t.adminToken };
  const created = await call('POST', '/v1/users', { ...admin, body: { name: 'Ben Agent', role: 'agent', capacity: 5 } });
  ben = { id: created.body.user.id, token: created.body.token };
  await call('PUT', `/v1/inboxes/${t.inboxId}/members`, { ...admin, body: { memberIds: [t.agentId, ben.id] } });
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'e2e-1', from: { handle: 'carla@example.com', name: 'Carla Jones' }, body: 'Hello, I need help with my order' });
  carla = first.body.conversationId;
  await mkdir(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
e2e.after(async () => {
  await browser?.close();
  await server.stop();
});

async function openConsole(token: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })).newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} (${page.url()})`); });
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${server.url}/#token=${token}`);
  // A link asks before it signs anyone in.
  await page.locator('[data-testid=link-confirm]').click();
  await page.locator('[data-testid=connection]', { hasText: 'live' }).waitFor();
  return page;
}

const row = (page: Page, id: string) => page.locator(`[data-testid=conversation][data-id="${id}"]`);
const message = (page: Page, text: string) => page.locator('[data-testid=message]', { hasText: text });

async function openThread(page: Page, id: string): Promise<void> {
  await page.locator('[data-testid=view-all]').click();
  await row(page, id).locator('button').click();
  await page.locator('[data-testid=thread]').waitFor();
}

/** axe-core's rules that need no colour judgement: every control named, landmarks and lists well formed. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: unknown) => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a'] }, rules: { 'color-contrast': { enabled: false } } });
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
}

e2e('an agent works a conversation with the keyboard: search, open, canned response, tag, snooze, resolve', async () => {
  const canned = await call('POST', '/v1/canned-responses', { token: t.supervisorToken, body: { shortcut: 'refund', title: 'Refund on its way', body: 'Your refund is on its way and should arrive in 3 days.', shared: true } });
  assert.is(canned.status, 201, JSON.stringify(canned.body));
  const tag = await call('POST', '/v1/tags', { token: t.supervisorToken, body: { name: 'billing' } });
  assert.is(tag.status, 201, JSON.stringify(tag.body));
  // bypassCSP lets the test inject axe-core; the page's own scripts are the same.
  const ada = await openConsole(t.agentToken, { bypassCSP: true });

  // The list names the customer, the channel and the inbox.
  await ada.locator('[data-testid=view-all]').click();
  const carlaRow = row(ada, carla);
  await carlaRow.locator('[data-testid=conversation-name]', { hasText: 'Carla Jones' }).waitFor();
  assert.match(await carlaRow.textContent() ?? '', /email/);
  assert.match(await carlaRow.textContent() ?? '', /Console support/);

  // "/" searches; Enter opens the first match.
  await ada.locator('body').press('/');
  await ada.keyboard.type('carla@');
  await ada.keyboard.press('Enter');
  await ada.locator('[data-testid=thread-title]', { hasText: 'Carla Jones' }).waitFor();
  assert.is(await message(ada, 'Hello, I need help').locator('[data-testid=sender]').textContent(), 'Carla Jones');
  await ada.locator('[data-testid=contact-name]', { hasText: 'Carla Jones' }).waitFor();
  await ada.locator('[data-testid=identities]', { hasText: 'carla@example.com' }).waitFor();

  // "r" replies; "/" in the composer offers canned responses, Enter inserts one, Enter sends it.
  await ada.locator('[data-testid=messages]').click();
  await ada.keyboard.press('r');
  await ada.keyboard.type('/ref');
  await ada.locator('[data-testid=canned-item]', { hasText: '/refund' }).waitFor();
  await ada.keyboard.press('Enter');
  assert.match(await ada.locator('[data-testid=composer]').inputValue(), /refund is on its way/);
  await ada.keyboard.press('Enter');
  const reply = message(ada, 'refund is on its way');
  await reply.waitFor();
  assert.is(await reply.getAttribute('data-direction'), 'outbound');
  assert.is(await reply.locator('[data-testid=sender]').textContent(), 'Console agent');
  const used = await call('GET', `/v1/canned-responses/${canned.body.cannedResponse.id}`, { token: t.agentToken });
  assert.is(used.body.cannedResponse.usageCount, 1, 'the canned response counted its use');
  // Her first reply ended the conversation's "new" status.
  await ada.locator('[data-testid=thread-status]', { hasText: 'open' }).waitFor();

  // A tag from the keyboard.
  await ada.locator('[data-testid=add-tag]').focus();
  await ada.keyboard.press('ArrowDown');
  await ada.locator('[data-testid=tag]', { hasText: 'billing' }).waitFor();
  const tags = await call('GET', `/v1/conversations/${carla}/tags`, { token: t.agentToken });
  assert.equal(tags.body.tags.map((x: { name: string }) => x.name), ['billing']);

  // Snooze until a chosen time.
  await ada.locator('[data-testid=snooze]').focus();
  await ada.keyboard.press('Enter');
  const until = new Date(Date.now() + 3 * 3600_000);
  const local = new Date(until.getTime() - until.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await ada.locator('[data-testid=snooze-until]').fill(local);
  await ada.locator('[data-testid=snooze-until]').press('Enter');
  await ada.locator('[data-testid=thread-status]', { hasText: 'snoozed until' }).waitFor();
  const snoozed = await call('GET', `/v1/conversations/${carla}`, { token: t.agentToken });
  assert.is(snoozed.body.conversation.status, 'snoozed');
  assert.ok(Math.abs(Date.parse(snoozed.body.conversation.snoozedUntil) - until.getTime()) < 120_000, 'snoozed until the chosen time');
  await ada.screenshot({ path: join(SHOTS, 'agent-thread.png') });

  // Resolve.
  await ada.locator('[data-testid=resolve]').focus();
  await ada.keyboard.press('Enter');
  await ada.locator('[data-testid=thread-status]', { hasText: 'resolved' }).waitFor();
  assert.is((await call('GET', `/v1/conversations/${carla}`, { token: t.agentToken })).body.conversation.status, 'resolved');

  // An agent is offered only what the role allows: no assignee list, and a refusal shows inline.
  assert.not.ok(await ada.locator('[data-testid=assignee]').isVisible());
  assert.equal(await accessibilityViolations(ada), []);
  await ada.context().close();
});

e2e('two agents see each other\'s typing and messages live; a note and a whisper look different', async () => {
  const second = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'e2e-2', from: { handle: 'dora@example.com', name: 'Dora' }, body: 'My parcel is late' });
  const id = second.body.conversationId as string;
  const ada = await openConsole(t.agentToken);
  const benPage = await openConsole(ben.token);
  await openThread(ada, id);
  await openThread(benPage, id);

  await ada.locator('[data-testid=composer]').click();
  await ada.keyboard.type('Hi Dora, Ada here', { delay: 20 });
  await benPage.locator('[data-testid=typing]', { hasText: 'Console agent is typing' }).waitFor();
  await ada.keyboard.press('Enter');
  await message(benPage, 'Hi Dora, Ada here').waitFor();
  await benPage.locator('[data-testid=typing]', { hasText: /^$/ }).waitFor();

  await benPage.locator('[data-testid=mode-note]').check();
  await benPage.locator('[data-testid=composer]').fill('Carrier lost it, refund approved');
  await benPage.locator('[data-testid=send]').click();
  const note = message(ada, 'Carrier lost it');
  await note.waitFor();
  assert.is(await note.getAttribute('data-direction'), 'internal');
  assert.match(await note.textContent() ?? '', /Internal note/);
  assert.match(await note.getAttribute('class') ?? '', /\bnote\b/);
  // The composer is back to replying after a note.
  assert.is(await benPage.locator('[data-testid=mode-reply]').isChecked(), true);

  await benPage.locator('[data-testid=mode-whisper]').check();
  await benPage.locator('[data-testid=whisper-to]').selectOption({ label: 'Console agent' });
  await benPage.locator('[data-testid=composer]').fill('Psst, check the refund policy');
  await benPage.locator('[data-testid=send]').click();
  const whisper = message(ada, 'check the refund policy');
  await whisper.waitFor();
  assert.match(await whisper.getAttribute('class') ?? '', /\bwhisper\b/);

  // Inbound on the left, replies and notes on the right.
  const inboundBox = await message(ada, 'My parcel is late').boundingBox();
  const outboundBox = await message(ada, 'Hi Dora, Ada here').boundingBox();
  assert.ok(inboundBox && outboundBox && inboundBox.x < outboundBox.x, 'inbound left of outbound');
  await ada.screenshot({ path: join(SHOTS, 'agent-ada.png') });
  await benPage.screenshot({ path: join(SHOTS, 'agent-ben.png') });
  await ada.context().close();
  await benPage.context().close();
});

e2e('the bell counts notifications live (an assignment, a mention) and opens their conversation', async () => {
  const ada = await openConsole(t.agentToken);
  const before = Number(await ada.locator('[data-testid=bell-count]').textContent() || 0);
  const gus = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'e2e-bell', from: { handle: 'gus@example.com', name: 'Gus' }, body: 'Is my refund coming?' });
  const id = gus.body.conversationId as string;
  await call('POST', `/v1/conversations/${id}/assign`, { token: t.supervisorToken, body: { assigneeId: t.agentId } });
  await call('POST', `/v1/conversations/${id}/messages`, { token: t.supervisorToken, body: { clientMessageId: 'bell-note', direction: 'internal', body: '@Console agent this one is urgent' } });
  await ada.locator('[data-testid=bell-count]', { hasText: String(before + 2) }).waitFor();
  await ada.locator('[data-testid=bell]').click();
  await ada.locator('[data-testid=notification][data-kind=mention]').first().waitFor();
  await ada.locator('[data-testid=notification][data-kind=assigned] button').first().click();
  await ada.locator('[data-testid=thread-title]', { hasText: 'Gus' }).waitFor();
  await ada.locator('[data-testid=bell]').click();
  await ada.locator('text=Mark all read').click();
  await ada.locator('[data-testid=bell-count]').waitFor({ state: 'hidden' });
  await ada.context().close();
});

e2e('a supervisor watches a conversation wait in the queue, get assigned, warn and breach', async () => {
  const admin = { token: t.adminToken };
  const eve = await call('POST', '/v1/users', { ...admin, body: { name: 'Eve Agent', role: 'agent', capacity: 3 } });
  // First response due in 6 s, warned at half of it.
  const policy = await call('POST', '/v1/sla-policies', { ...admin, body: { name: 'Fast', firstResponseMinutes: 0.1, resolutionMinutes: 60, warnAtPercent: 50 } });
  const inbox = await call('POST', '/v1/inboxes', { ...admin, body: { name: 'Urgent', channel: 'chat', autoAssign: true, memberIds: [eve.body.user.id], slaPolicyId: policy.body.policy.id } });
  const sam = await openConsole(t.supervisorToken, { bypassCSP: true });
  await sam.locator('[data-testid=tab-queue]').click();
  await sam.locator(`[data-testid=queue-inbox][data-id="${inbox.body.inbox.id}"]`).waitFor();

  // Nobody of the inbox is online: the conversation waits, live.
  const urgent = await signedInbound(call, inbox.body.inbox.id, inbox.body.webhookSecret, { externalId: 'e2e-3', from: { handle: 'dan', name: 'Dan' }, body: 'Urgent: the app is down' });
  const id = urgent.body.conversationId as string;
  const waiting = sam.locator(`[data-testid=waiting][data-id="${id}"]`);
  // Named once the board has read the conversation it had not loaded.
  await waiting.filter({ hasText: 'Dan' }).waitFor();
  await sam.screenshot({ path: join(SHOTS, 'supervisor-queue.png') });

  // Eve comes online: round robin assigns it to her and it leaves the queue.
  let client: SwitchboardClient | undefined;
  try {
    client = await connectClient({ url: server.url, token: eve.body.token });
    await waiting.waitFor({ state: 'detached' });
    await sam.locator(`[data-testid=agent][data-id="${eve.body.user.id}"] [data-testid=agent-presence]`, { hasText: 'online' }).first().waitFor();
    // Nobody answers: the warning, then the breach, arrive live.
    await sam.locator(`[data-testid=alert][data-level=warning][data-conversation="${id}"]`).waitFor();
    const breach = sam.locator(`[data-testid=alert][data-level=breach][data-conversation="${id}"]`);
    await breach.waitFor();
    assert.match(await breach.textContent() ?? '', /Breached · first response · Dan/);
    await sam.screenshot({ path: join(SHOTS, 'supervisor-alerts.png') });
    // One click opens it.
    await breach.locator('button').click();
    await sam.locator('[data-testid=thread-title]', { hasText: 'Dan' }).waitFor();
    await sam.locator('[data-testid=thread-sla]', { hasText: 'breached' }).waitFor();
    assert.is(await sam.locator('[data-testid=assignee]').inputValue(), eve.body.user.id);
  } finally {
    client?.close();
  }
  assert.equal(await accessibilityViolations(sam), []);
  await sam.context().close();
});

e2e('the reports page draws its charts from the report endpoints', async () => {
  const sam = await openConsole(t.supervisorToken);
  await sam.locator('[data-testid=tab-reports]').click();
  const volume = sam.locator('#chart-volume');
  await sam.waitForFunction(() => Number(document.querySelector<HTMLCanvasElement>('#chart-volume')?.dataset.drawn) > 0);
  assert.ok(Number(await volume.getAttribute('data-drawn')) >= 2, 'a bar per channel (email, chat)');
  for (const chart of ['chart-sla', 'chart-times', 'chart-load']) {
    assert.ok(Number(await sam.locator(`#${chart}`).getAttribute('data-drawn')) >= 1, `${chart} drawn`);
  }
  // Drawn pixels, not only a canvas.
  const painted = await sam.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('#chart-volume')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0) coloured++;
    return coloured;
  });
  assert.ok(painted > 1000, `the volume chart painted ${painted} pixels`);
  await sam.screenshot({ path: join(SHOTS, 'reports.png') });
  await sam.context().close();
});

e2e('at 390 px the list and the thread are separate screens', async () => {
  const phone = await openConsole(t.agentToken, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.locator('[data-testid=view-all]').click();
  await row(phone, carla).waitFor();
  await phone.screenshot({ path: join(SHOTS, 'phone-list.png') });
  await row(phone, carla).locator('button').click();
  await phone.locator('[data-testid=thread-title]', { hasText: 'Carla Jones' }).waitFor();
  assert.not.ok(await phone.locator('[data-testid=conversations]').isVisible(), 'the list gives the screen to the thread');
  const composer = await phone.locator('[data-testid=composer]').boundingBox();
  assert.ok(composer && composer.x >= 0 && composer.x + composer.width <= 390, 'the composer fits the screen');
  const header = await phone.locator('[data-testid=connection]').boundingBox();
  assert.ok(header && header.x + header.width <= 390, 'the header stays on screen');
  await phone.screenshot({ path: join(SHOTS, 'phone-thread.png') });
  await phone.locator('button[aria-label="Back to the list"]').click();
  await phone.locator('[data-testid=conversations]').waitFor();
  await phone.context().close();
});

e2e('a dropped connection shows, and the page recovers without a reload, with what it missed', async () => {
  const ada = await openConsole(t.agentToken);
  await openThread(ada, carla);
  await ada.evaluate(() => {
    const w = window as unknown as { marker: number; states: string[] };
    w.marker = 42;
    w.states = [];
    const badge = document.querySelector<HTMLElement>('[data-testid=connection]')!;
    new MutationObserver(() => w.states.push(badge.dataset.state ?? '')).observe(badge, { attributes: true, attributeFilter: ['data-state'] });
  });
  // Every connection drops (as a network blip would: the transport closes); a message arrives meanwhile.
  const errorsBefore = errors.length;
  for (const socket of server.app.io.sockets.sockets.values()) socket.conn.close();
  const away = await call('POST', `/v1/conversations/${carla}/messages`, { token: t.supervisorToken, body: { clientMessageId: 'while-away', body: 'Sent while you were away' } });
  assert.is(away.status, 201, JSON.stringify(away.body));
  // Reconnecting waits out the client's back-off, longer on a loaded machine.
  await message(ada, 'Sent while you were away').waitFor({ timeout: 60_000 });
  await ada.locator('[data-testid=connection]', { hasText: 'live' }).waitFor();
  assert.is(await ada.evaluate(() => (window as unknown as { marker?: number }).marker), 42, 'the same page, not a reload');
  const states = await ada.evaluate(() => (window as unknown as { states: string[] }).states);
  assert.ok(states.includes('offline') && states.at(-1) === 'live', `shown as it happened: ${states.join(' → ')}`);
  // Chromium reports a send on the socket the server closed under it; that drop is this test's own doing.
  errors.splice(errorsBefore, errors.length - errorsBefore, ...errors.slice(errorsBefore).filter((e) => !/WebSocket is already in CLOSING or CLOSED state/.test(e)));
  await ada.context().close();
});

e2e('a sign-in link asks first and names the account; cancelling keeps the session; the page runs under its CSP', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(WAIT_MS);
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
  await page.goto(`${server.url}/#token=${ben.token}`);
  await page.locator('[data-testid=link-text]', { hasText: 'signs you out of Console agent (agent) and in as Ben Agent (agent)' }).waitFor();
  await page.locator('[data-testid=link-cancel]').click();
  await page.locator('[data-testid=connection]', { hasText: 'live' }).waitFor();
  assert.is(await page.evaluate(() => sessionStorage.getItem('switchboard.token')), t.agentToken);
  // The favicon is served.
  assert.is((await call('GET', '/favicon.ico')).status, 200);
  await page.context().close();
});

e2e('the search box finds words of older messages through the server; the team filter keeps a team\'s conversations', async () => {
  const team = await call('POST', '/v1/teams', { token: t.supervisorToken, body: { name: 'Returns', memberIds: [ben.id] } });
  assert.is(team.status, 201, JSON.stringify(team.body));
  const first = await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'e2e-search-1', from: { handle: 'dora@example.com', name: 'Dora Diaz' }, body: 'My parcel tracking code is QX7741' });
  const id = first.body.conversationId;
  await signedInbound(call, t.inboxId, t.webhookSecret, { externalId: 'e2e-search-2', from: { handle: 'dora@example.com', name: 'Dora Diaz' }, body: 'Any update?' });
  assert.is((await call('POST', `/v1/conversations/${id}/team`, { token: t.supervisorToken, body: { teamId: team.body.team.id } })).status, 200);
  const page = await openConsole(t.supervisorToken);
  await page.locator('[data-testid=view-all]').click();
  await row(page, id).waitFor();
  // Only the server knows the first message's words (the row shows the last one).
  await page.locator('[data-testid=search]').fill('QX7741');
  await row(page, id).waitFor();
  await row(page, carla).waitFor({ state: 'detached' });
  await page.locator('[data-testid=search]').fill('');
  await row(page, carla).waitFor();
  await page.locator('[data-testid=team-filter]').selectOption({ label: 'Returns' });
  await row(page, carla).waitFor({ state: 'detached' });
  await row(page, id).waitFor();
  await page.screenshot({ path: join(SHOTS, 'team-filter.png') });
  await page.context().close();
});

e2e('no page logged an error', () => {
  assert.equal(errors, []);
});

e2e.run();
