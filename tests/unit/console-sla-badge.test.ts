// The console's SLA badge: breached beats everything, a met first response no longer counts, a deadline
// within ten minutes (or one the server warned about) is a warning, done conversations show none.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ConversationDto } from '../../src/clients/sdk/index.ts';
import { nextDue, slaBadge } from '../../src/clients/console/sla-badge.ts';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

function conversation(over: Partial<ConversationDto> = {}, sla: Partial<ConversationDto['sla']> = {}): ConversationDto {
  return {
    status: 'open', firstResponseAt: null,
    sla: {
      policyId: 'p', firstResponseDueAt: at(30), nextResponseDueAt: null, resolutionDueAt: at(600),
      firstResponseBreachedAt: null, nextResponseBreachedAt: null, resolutionBreachedAt: null, ...sla,
    },
    ...over,
  } as ConversationDto;
}

test('the earliest running deadline; a met first response drops out', () => {
  assert.is(nextDue(conversation()), at(30));
  assert.is(nextDue(conversation({ firstResponseAt: at(-5) })), at(600));
});

test('ok with time left, a warning when near or warned, breached once any clock breached', () => {
  assert.equal(slaBadge(conversation(), false, NOW)?.level, 'ok');
  assert.match(slaBadge(conversation(), false, NOW)!.text, /30/);
  assert.is(slaBadge(conversation({}, { firstResponseDueAt: at(5) }), false, NOW)?.level, 'warning');
  assert.is(slaBadge(conversation(), true, NOW)?.level, 'warning');
  assert.is(slaBadge(conversation({}, { resolutionBreachedAt: at(-1) }), false, NOW)?.level, 'breached');
});

test('no badge without a policy or once done', () => {
  assert.is(slaBadge(conversation({}, { policyId: null }), false, NOW), null);
  assert.is(slaBadge(conversation({ status: 'resolved' }), false, NOW), null);
});

test.run();
