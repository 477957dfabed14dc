import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ANYONE, assignInTurn, rankCandidates, type Candidate } from '../../src/routing/round-robin.ts';
import { normalizeTags } from '../../src/platform/text/tags.ts';

const agent = (userId: string, over: Partial<Candidate> = {}): Candidate => ({
  userId, role: 'agent', active: true, presence: 'online', load: 0, capacity: null, position: 0, lastAutoAssignedUs: null, ...over,
});

const rr = suite('round robin');

/** `count` conversations anyone may take. */
const anyone = (count: number) => Array.from({ length: count }, () => ANYONE);

rr('ranks never-assigned agents first, then least recently assigned, ties by member order', () => {
  const ranked = rankCandidates([
    agent('a', { lastAutoAssignedUs: 20, position: 0 }),
    agent('b', { lastAutoAssignedUs: null, position: 2 }),
    agent('c', { lastAutoAssignedUs: 10, position: 1 }),
    agent('d', { lastAutoAssignedUs: null, position: 1 }),
    agent('e', { presence: 'away' }),
    agent('f', { role: 'bot' }),
    agent('g', { capacity: 1, load: 1 }),
  ]);
  assert.equal(ranked.map((c) => c.userId), ['d', 'b', 'c', 'a']);
});

rr('a batch goes round in turn', () => {
  assert.equal(assignInTurn([agent('a'), agent('b'), agent('c')], anyone(7)), ['a', 'b', 'c', 'a', 'b', 'c', 'a']);
});

rr('a full agent is skipped, and once nobody has room the rest waits', () => {
  const picks = assignInTurn([agent('a', { capacity: 2, load: 1 }), agent('b', { capacity: 3 }), agent('c', { capacity: 1 })], anyone(10));
  assert.equal(picks, ['a', 'b', 'c', 'b', 'b', null, null, null, null, null]);
});

rr('nobody to hand to: no picks', () => {
  assert.equal(assignInTurn([], anyone(3)), [null, null, null]);
  assert.equal(assignInTurn([agent('a')], anyone(0)), []);
});

rr('skills and language: each conversation goes to the next in turn who has them; one nobody can take waits', () => {
  const ranked = [agent('a', { skills: ['billing'], languages: ['en'] }), agent('b', { skills: ['billing', 'tech'], languages: ['fr'] }), agent('c', { languages: ['en'] })];
  const needs = [
    { skills: ['tech'], language: null, anyone: false },
    { skills: ['billing'], language: 'en', anyone: false },
    { skills: [], language: 'en', anyone: false },
    { skills: ['legal'], language: null, anyone: false },
    { skills: ['legal'], language: null, anyone: true },
  ];
  assert.equal(assignInTurn(ranked, needs), ['b', 'a', 'c', null, 'b']);
});

rr('weighted capacity: an agent of capacity 1 takes three conversations of weight 0.3, not four', () => {
  assert.equal(assignInTurn([agent('a', { capacity: 1 })], anyone(5), 0.3), ['a', 'a', 'a', null, null]);
  assert.equal(assignInTurn([agent('a', { capacity: 2, load: 1.4 })], anyone(5), 0.3), ['a', 'a', null, null, null]);
  assert.equal(assignInTurn([agent('a', { capacity: 1, load: 0.5 })], [ANYONE], 1), [null]);
});

rr('an agent wrapping up is not eligible until the wrap-up ends', () => {
  const now = 1_000_000;
  const ranked = rankCandidates([agent('a', { wrapUpUntilMs: now + 5_000 }), agent('b', { wrapUpUntilMs: now - 1 })], 1, now);
  assert.equal(ranked.map((c) => c.userId), ['b']);
});

rr('tags compare trimmed, lower-cased and once', () => {
  assert.equal(normalizeTags([' Billing', 'billing', 'FR ', '']), ['billing', 'fr']);
});

rr.run();
