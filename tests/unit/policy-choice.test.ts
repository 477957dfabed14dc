import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { choosePolicy, type Candidate } from '../../sla/policy-choice.ts';

const choice = suite('sla policy choice');
const facts = { inboxId: 'inbox-a', channel: 'email', priority: 'normal', tags: [] as string[] };
const policies: Candidate[] = [
  { id: 'urgent', isDefault: false, conditions: { priorities: ['urgent', 'high'] } },
  { id: 'billing-mail', isDefault: false, conditions: { channels: ['email'], tags: ['billing'] } },
  { id: 'inbox-b', isDefault: false, conditions: { inboxIds: ['inbox-b'] } },
  { id: 'plain', isDefault: false, conditions: null },
  { id: 'default', isDefault: true, conditions: null },
];

choice('the inbox\'s own policy wins while active; an inactive one (absent from the active list) gives none', () => {
  assert.is(choosePolicy(policies, 'plain', { ...facts, priority: 'urgent' })?.id, 'plain');
  assert.is(choosePolicy(policies, 'retired', facts), null);
});

choice('else the first active policy whose conditions all match', () => {
  assert.is(choosePolicy(policies, null, { ...facts, priority: 'high' })?.id, 'urgent');
  assert.is(choosePolicy(policies, null, { ...facts, tags: ['vip', 'billing'] })?.id, 'billing-mail');
  assert.is(choosePolicy(policies, null, { ...facts, channel: 'chat', tags: ['billing'] })?.id, 'default', 'every condition must match');
  assert.is(choosePolicy(policies, null, { ...facts, inboxId: 'inbox-b' })?.id, 'inbox-b');
  assert.is(choosePolicy(policies, null, { ...facts, priority: 'urgent', tags: ['billing'] })?.id, 'urgent', 'the first match, oldest first');
});

choice('else the default, else none; a policy without conditions is never chosen by them', () => {
  assert.is(choosePolicy(policies, null, facts)?.id, 'default');
  assert.is(choosePolicy(policies.filter((p) => !p.isDefault), null, facts), null);
});

choice.run();
