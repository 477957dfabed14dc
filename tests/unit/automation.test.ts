// Choosing an automated reply and filling campaign templates: pure rules, no I/O.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chooseReply, type ReplyRule, type Situation } from '../../src/features/automation/choose-reply.ts';
import { mentions } from '../../src/platform/text/keywords.ts';
import { render, unknownPlaceholders } from '../../src/features/campaigns/template.ts';
import type { Contact } from '../../entities/index.ts';

const WEEKDAYS_9_TO_5 = { timezone: 'Europe/Paris', weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] } as Record<string, [string, string][]> };
// Monday 2026-11-23: 10:00 in Paris is 09:00 UTC; 20:00 in Paris is 19:00 UTC.
const MONDAY_OPEN = new Date('2026-11-23T09:00:00Z');
const MONDAY_CLOSED = new Date('2026-11-23T19:00:00Z');

let nextId = 0;
function rule(partial: Partial<ReplyRule>): ReplyRule {
  return {
    id: `r${++nextId}`, kind: 'greeting', inboxId: null, keywords: null, priority: 0, channels: null, activeHours: null,
    businessHours: null, enabled: true, createdAt: new Date(2026, 0, 1, 0, 0, nextId), ...partial,
  };
}

const situation = (s: Partial<Situation> = {}): Situation => ({
  inboxId: 'inbox-1', channel: 'email', body: 'hello', isNewConversation: false, agentOnline: true, inboxHours: null, now: MONDAY_OPEN, ...s,
});

const choose = suite('choose an automated reply');

choose('a greeting only answers a new conversation', () => {
  const greeting = rule({ kind: 'greeting' });
  assert.is(chooseReply([greeting], situation({ isNewConversation: true })), greeting);
  assert.is(chooseReply([greeting], situation()), null);
});

choose('keywords match whole words and phrases, ignoring case, in any script', () => {
  assert.ok(mentions('I want a REFUND now', 'refund'));
  assert.ok(mentions('money back, please', 'money back'));
  assert.not.ok(mentions('refunded', 'refund'));
  assert.ok(mentions('Où est ma commande?', 'commande'));
  assert.ok(mentions('price (c++)?', 'c++'));
});

choose('higher priority wins; on a tie the older rule', () => {
  const older = rule({ kind: 'keyword', keywords: ['help'], priority: 1 });
  const newer = rule({ kind: 'keyword', keywords: ['help'], priority: 1 });
  const top = rule({ kind: 'greeting', priority: 5 });
  assert.is(chooseReply([newer, older], situation({ body: 'help' })), older);
  assert.is(chooseReply([newer, older, top], situation({ body: 'help', isNewConversation: true })), top);
});

choose('away: when no agent is online, or outside its hours (or the inbox policy\'s)', () => {
  const away = rule({ kind: 'away' });
  assert.is(chooseReply([away], situation({ agentOnline: false })), away);
  assert.is(chooseReply([away], situation()), null);
  assert.is(chooseReply([away], situation({ inboxHours: WEEKDAYS_9_TO_5, now: MONDAY_CLOSED })), away);
  assert.is(chooseReply([away], situation({ inboxHours: WEEKDAYS_9_TO_5, now: MONDAY_OPEN })), null);
  const own = rule({ kind: 'away', businessHours: WEEKDAYS_9_TO_5 });
  assert.is(chooseReply([own], situation({ now: MONDAY_CLOSED })), own);
});

choose('conditions: enabled, inbox, channels and active hours', () => {
  const body = 'refund';
  const base = { kind: 'keyword' as const, keywords: ['refund'] };
  assert.is(chooseReply([rule({ ...base, enabled: false })], situation({ body })), null);
  assert.is(chooseReply([rule({ ...base, inboxId: 'inbox-2' })], situation({ body })), null);
  assert.is(chooseReply([rule({ ...base, channels: ['chat'] })], situation({ body })), null);
  const chat = rule({ ...base, channels: ['chat', 'email'] });
  assert.is(chooseReply([chat], situation({ body })), chat);
  assert.is(chooseReply([rule({ ...base, activeHours: WEEKDAYS_9_TO_5 })], situation({ body, now: MONDAY_CLOSED })), null);
  const daytime = rule({ ...base, activeHours: WEEKDAYS_9_TO_5 });
  assert.is(chooseReply([daytime], situation({ body, now: MONDAY_OPEN })), daytime);
});

choose.run();

// ---

const template = suite('campaign templates');

template('placeholders are filled from the contact; missing values are empty', () => {
  const contact = { name: 'Ann', email: 'ann@x.example', phone: null, companyId: 'acme' } as unknown as Contact;
  assert.is(render('Hi {{contact.name}} ({{ contact.email }}) {{contact.phone}}@{{contact.companyId}}', contact), 'Hi Ann (ann@x.example) @acme');
});

template('unknown placeholders are reported', () => {
  assert.equal(unknownPlaceholders('{{contact.name}} {{contact.age}} {{deal.value}}'), ['contact.age', 'deal.value']);
  assert.equal(unknownPlaceholders('no placeholders'), []);
});

template.run();
