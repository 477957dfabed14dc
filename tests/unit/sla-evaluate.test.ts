import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BusinessHours } from '../../sla/business-hours.ts';
import { atCreation, dueAlerts, nextCheckAt, onHumanReply, onInbound, onStatusChange, type Policy, type SlaState } from '../../sla/evaluate.ts';

const policy: Policy = { id: 'p', firstResponseMinutes: 10, nextResponseMinutes: 20, resolutionMinutes: 100, warnAtPercent: 80, businessHours: null };
const t0 = new Date('2026-05-04T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function fresh(): SlaState {
  const base: SlaState = {
    status: 'open', slaCycle: 1, firstResponseDueAt: null, firstResponseWarnAt: null, firstResponseBreachedAt: null,
    slaFirstResponseMetAt: null, nextResponseDueAt: null, nextResponseWarnAt: null, nextResponseBreachedAt: null,
    slaNextResponseClock: 0, resolutionDueAt: null, resolutionWarnAt: null, resolutionBreachedAt: null, slaPausedAt: null, slaNextCheckAt: null,
  };
  return { ...base, ...atCreation(policy, t0) };
}
const apply = (s: SlaState, patch: Partial<SlaState>, status = s.status): SlaState => ({ ...s, ...patch, status });

const evaluate = suite('sla evaluate');

evaluate('creation starts resolution only; the first check is its warning', () => {
  const s = fresh();
  assert.equal(s.resolutionDueAt, at(100));
  assert.equal(s.resolutionWarnAt, at(80));
  assert.is(s.firstResponseDueAt, null);
  assert.equal(s.slaNextCheckAt, at(80));
});

evaluate('the first inbound message starts first response; a human reply meets it', () => {
  let s = apply(fresh(), onInbound(policy, fresh(), at(1)));
  assert.equal(s.firstResponseDueAt, at(11));
  assert.equal(s.firstResponseWarnAt, at(9));
  assert.equal(s.slaNextCheckAt, at(9));
  s = apply(s, onHumanReply(s, at(5)));
  assert.equal(s.slaFirstResponseMetAt, at(5));
  assert.equal(dueAlerts(s, at(50)), [], 'a met clock stays quiet');
  assert.equal(s.slaNextCheckAt, at(80));
});

evaluate('warning before breach, each reported when its time has come', () => {
  const s = apply(fresh(), onInbound(policy, fresh(), at(0)));
  assert.equal(dueAlerts(s, at(7)), []);
  assert.equal(dueAlerts(s, at(8)), [{ kind: 'first_response', type: 'warning', dueAt: at(10), cycle: 1 }]);
  assert.equal(dueAlerts(s, at(10)).map((a) => a.type), ['warning', 'breach']);
  assert.equal(nextCheckAt(s, at(8.5)), at(10));
  const breached = { ...s, firstResponseBreachedAt: at(10) };
  assert.equal(dueAlerts(breached, at(30)), []);
});

evaluate('an inbound message after the first response starts a next-response clock, met by the next reply', () => {
  let s = apply(fresh(), onInbound(policy, fresh(), at(0)));
  s = apply(s, onHumanReply(s, at(2)));
  s = apply(s, onInbound(policy, s, at(3)));
  assert.equal(s.nextResponseDueAt, at(23));
  assert.is(s.slaNextResponseClock, 1);
  // Another inbound while a reply is owed does not restart it.
  assert.equal(onInbound(policy, s, at(4)), {});
  s = apply(s, onHumanReply(s, at(6)));
  assert.is(s.nextResponseDueAt, null);
  s = apply(s, onInbound(policy, s, at(30)));
  assert.is(s.slaNextResponseClock, 2, 'each new clock is a new cycle for its events');
});

evaluate('without a next-response target no clock starts', () => {
  const p = { ...policy, nextResponseMinutes: null };
  let s = apply(fresh(), onInbound(p, fresh(), at(0)));
  s = apply(s, onHumanReply(s, at(1)));
  assert.equal(onInbound(p, s, at(2)), {});
});

evaluate('pending pauses resolution and moves its deadline by the paused time', () => {
  let s = fresh();
  s = apply(s, onStatusChange(policy, s, 'pending', at(10)), 'pending');
  assert.equal(s.slaPausedAt, at(10));
  assert.equal(dueAlerts(s, at(200)), [], 'a paused clock raises nothing');
  assert.is(s.slaNextCheckAt, null);
  s = apply(s, onStatusChange(policy, s, 'open', at(40)), 'open');
  assert.is(s.slaPausedAt, null);
  assert.equal(s.resolutionDueAt, at(130));
  assert.equal(s.resolutionWarnAt, at(110));
});

evaluate('snoozed pauses resolution like pending: no alert while snoozed, the deadline moves by the snoozed time', () => {
  let s = fresh();
  s = apply(s, onStatusChange(policy, s, 'snoozed', at(50)), 'snoozed');
  assert.equal(s.slaPausedAt, at(50));
  assert.equal(dueAlerts(s, at(150)), [], 'past the old deadline, still quiet');
  assert.is(s.slaNextCheckAt, null);
  s = apply(s, onStatusChange(policy, s, 'open', at(80)), 'open');
  assert.is(s.slaPausedAt, null);
  assert.equal(s.resolutionDueAt, at(130));
  assert.equal(s.resolutionWarnAt, at(110));
  assert.equal(s.slaNextCheckAt, at(110));
});

evaluate('snoozed over the spring change with a split shift: the deadline moves by the business time snoozed', () => {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
  const hours: BusinessHours = { timezone: 'Europe/Paris', weekly: Object.fromEntries(days.map((d) => [d, [['09:00', '12:00'], ['14:00', '18:00']]])) };
  const split: Policy = { ...policy, resolutionMinutes: 600, warnAtPercent: 80, businessHours: hours };
  // Created Friday 27 March 09:00 Paris (08:00Z): 420 minutes on Friday, 180 on Monday → Monday 12:00 Paris (UTC+2).
  let s: SlaState = { ...fresh(), ...atCreation(split, new Date('2026-03-27T08:00:00Z')) };
  assert.equal(s.resolutionDueAt, new Date('2026-03-30T10:00:00Z'));
  s = apply(s, onStatusChange(split, s, 'snoozed', new Date('2026-03-27T10:00:00Z')), 'snoozed');
  // Back on Monday 15:00 Paris: 540 business minutes snoozed (Friday 11:00–12:00, 14:00–18:00; Monday 09:00–12:00, 14:00–15:00).
  s = apply(s, onStatusChange(split, s, 'open', new Date('2026-03-30T13:00:00Z')), 'open');
  // Monday 12:00 + 540: Monday 14:00–18:00 (240), Tuesday 09:00–12:00 (180), Tuesday 14:00–16:00 (120).
  assert.equal(s.resolutionDueAt, new Date('2026-03-31T14:00:00Z'));
});

evaluate('resolving meets resolution; reopening starts a new cycle of every clock', () => {
  let s = apply(fresh(), onInbound(policy, fresh(), at(0)));
  s = apply(s, onStatusChange(policy, s, 'resolved', at(50)), 'resolved');
  assert.equal(dueAlerts(s, at(500)), []);
  assert.is(s.slaNextCheckAt, null);
  s = apply(s, onStatusChange(policy, s, 'open', at(60)), 'open');
  assert.is(s.slaCycle, 2);
  assert.equal(s.resolutionDueAt, at(160));
  assert.is(s.firstResponseDueAt, null);
  s = apply(s, onInbound(policy, s, at(61)));
  assert.equal(s.firstResponseDueAt, at(71));
  assert.equal(dueAlerts(s, at(71))[1], { kind: 'first_response', type: 'breach', dueAt: at(71), cycle: 2 });
});

evaluate.run();
