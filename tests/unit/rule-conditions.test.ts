// The pure rules of issue 24's tools: custom attribute values against their definitions, automation rule
// conditions over an event's facts, and round robin's team restriction.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyAttributeChange, attributesMatch, filterValue } from '../../src/model/attribute-values.ts';
import { conditionsHold, type RuleFacts } from '../../src/features/automation/rule-conditions.ts';
import { assignInTurn, type Candidate } from '../../src/routing/round-robin.ts';
import type { ConversationDto, MessageDto } from '../../src/contract/dto.ts';

const rules = suite('rule conditions and attribute values');

const defs = [
  { key: 'plan', type: 'list' as const, options: ['free', 'pro'] },
  { key: 'seats', type: 'number' as const, options: null },
  { key: 'renewal', type: 'date' as const, options: null },
  { key: 'vip', type: 'checkbox' as const, options: null },
  { key: 'note', type: 'text' as const, options: null },
];

rules('values fit their definition or the whole change is refused; null removes a key', () => {
  assert.equal(applyAttributeChange(defs, { note: 'x' }, { plan: 'pro', seats: 3, renewal: '2028-02-29', vip: false, note: null }),
    { plan: 'pro', seats: 3, renewal: '2028-02-29', vip: false });
  for (const change of [{ plan: 'gold' }, { seats: Number.NaN }, { seats: '3' }, { renewal: '2027-02-29' }, { renewal: '2027-1-01' }, { vip: 'true' }, { note: 'x'.repeat(1001) }, { other: 1 }]) {
    assert.throws(() => applyAttributeChange(defs, {}, change), (e: Error & { code?: string }) => e.code === 'VALIDATION', JSON.stringify(change));
  }
  assert.equal([filterValue(defs[1], '12'), filterValue(defs[3], 'true'), filterValue(defs[0], 'pro')], [12, true, 'pro']);
  assert.throws(() => filterValue(defs[1], 'twelve'));
  assert.throws(() => filterValue(defs[1], ''));
  assert.ok(attributesMatch({ plan: 'pro' }, { plan: 'pro', seats: 2 }));
  assert.not.ok(attributesMatch({ plan: 'pro', seats: 3 }, { plan: 'pro', seats: 2 }));
  assert.ok(attributesMatch(undefined, {}));
});

const conversation = { id: 'c1', inboxId: 'i1', channel: 'email', status: 'open', priority: 'normal', customAttributes: { plan: 'pro' } } as unknown as ConversationDto;
const facts = (over: Partial<RuleFacts> = {}): RuleFacts => ({ conversation, message: null, tags: ['Billing'], withinBusinessHours: true, ...over });

rules('every condition must hold; lists are any-of, any case; message text only for a message', () => {
  assert.ok(conditionsHold([], facts()));
  assert.ok(conditionsHold([{ field: 'channel', operator: 'in', values: ['EMAIL', 'sms'] }, { field: 'tag', operator: 'in', values: ['billing'] }], facts()));
  assert.not.ok(conditionsHold([{ field: 'channel', operator: 'in', values: ['email'] }, { field: 'priority', operator: 'in', values: ['high'] }], facts()));
  assert.ok(conditionsHold([{ field: 'status', operator: 'not_in', values: ['resolved'] }], facts()));
  assert.ok(conditionsHold([{ field: 'attribute', key: 'plan', operator: 'equals', value: 'pro' }], facts()));
  assert.ok(conditionsHold([{ field: 'attribute', key: 'seats', operator: 'not_equals', value: 3 }], facts()));
  const message = { body: 'Where is my Refund?' } as MessageDto;
  assert.ok(conditionsHold([{ field: 'message', operator: 'contains', values: ['refund'] }], facts({ message })));
  assert.not.ok(conditionsHold([{ field: 'message', operator: 'contains', values: ['refund'] }], facts()));
  assert.ok(conditionsHold([{ field: 'message', operator: 'not_contains', values: ['invoice'] }], facts({ message })));
  assert.ok(conditionsHold([{ field: 'business_hours', operator: 'outside' }], facts({ withinBusinessHours: false })));
  assert.not.ok(conditionsHold([{ field: 'business_hours', operator: 'within' }], facts({ withinBusinessHours: false })));
});

rules('round robin gives a team\'s conversation only to its members, even past the skills fallback', () => {
  const base = { role: 'agent' as const, active: true, presence: 'online' as const, load: 0, capacity: null, lastAutoAssignedUs: null };
  const ann: Candidate = { ...base, userId: 'ann', position: 0, teams: [] };
  const bob: Candidate = { ...base, userId: 'bob', position: 1, teams: ['t1'] };
  assert.equal(assignInTurn([ann, bob], [{ skills: [], language: null, anyone: false, team: 't1' }, { skills: [], language: null, anyone: false }]), ['bob', 'ann']);
  assert.equal(assignInTurn([ann], [{ skills: [], language: null, anyone: true, team: 't1' }]), [null]);
});

rules.run();
