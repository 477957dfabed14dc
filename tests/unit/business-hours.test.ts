import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addBusinessMinutes, businessMinutesBetween, type BusinessHours } from '../../sla/business-hours.ts';

const weekdays = (tz: string, span: [string, string] = ['09:00', '17:00'], extra: Partial<BusinessHours> = {}): BusinessHours => ({
  timezone: tz, weekly: { mon: [span], tue: [span], wed: [span], thu: [span], fri: [span] }, ...extra,
});
const allDay = (tz: string): BusinessHours => ({
  timezone: tz, weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])),
});
const iso = (d: Date) => d.toISOString();

const bh = suite('business hours');

bh('without business hours the clock runs around the clock', () => {
  assert.is(iso(addBusinessMinutes(new Date('2026-03-01T10:00:00Z'), 90, null)), '2026-03-01T11:30:00.000Z');
  assert.is(iso(addBusinessMinutes(new Date('2026-03-01T10:00:00Z'), 0.05, null)), '2026-03-01T10:00:03.000Z');
});

bh('time inside one open span', () => {
  // Tuesday 10:00 in Paris (UTC+1 in winter) + 60 min.
  assert.is(iso(addBusinessMinutes(new Date('2026-02-03T09:00:00Z'), 60, weekdays('Europe/Paris'))), '2026-02-03T10:00:00.000Z');
});

bh('the clock stops at closing time and resumes at the next opening', () => {
  // Tuesday 16:30 Paris + 60 min → Wednesday 09:30 Paris.
  assert.is(iso(addBusinessMinutes(new Date('2026-02-03T15:30:00Z'), 60, weekdays('Europe/Paris'))), '2026-02-04T08:30:00.000Z');
});

bh('weekends are skipped', () => {
  // Friday 16:00 Paris + 120 min → Monday 10:00 Paris.
  assert.is(iso(addBusinessMinutes(new Date('2026-02-06T15:00:00Z'), 120, weekdays('Europe/Paris'))), '2026-02-09T09:00:00.000Z');
});

bh('a start outside hours waits for the opening', () => {
  // Saturday noon + 30 min → Monday 09:30 Paris.
  assert.is(iso(addBusinessMinutes(new Date('2026-02-07T11:00:00Z'), 30, weekdays('Europe/Paris'))), '2026-02-09T08:30:00.000Z');
});

bh('holidays are skipped', () => {
  // Thursday 24 Dec 16:00 Paris + 120 min, with the 25th a holiday → Monday 28 Dec 10:00.
  const hours = weekdays('Europe/Paris', ['09:00', '17:00'], { holidays: ['2026-12-25'] });
  assert.is(iso(addBusinessMinutes(new Date('2026-12-24T15:00:00Z'), 120, hours)), '2026-12-28T09:00:00.000Z');
});

bh('overnight spans run past midnight', () => {
  const hours: BusinessHours = { timezone: 'UTC', weekly: { mon: [['22:00', '06:00']] } };
  // Monday 23:00 + 120 min → Tuesday 01:00 (still Monday's span).
  assert.is(iso(addBusinessMinutes(new Date('2026-02-02T23:00:00Z'), 120, hours)), '2026-02-03T01:00:00.000Z');
  // Tuesday 05:00 is inside Monday's overnight span: + 60 min → 06:00, then next Monday 22:00 for the rest.
  assert.is(iso(addBusinessMinutes(new Date('2026-02-03T05:00:00Z'), 90, hours)), '2026-02-09T22:30:00.000Z');
});

bh('Europe/Paris spring change: a day around the clock is 23 hours', () => {
  // Saturday 28 March 12:00 Paris (11:00Z) + 24 h of business time: 12 h on Saturday, then Sunday has
  // only 23 real hours, so the clock ends 12 real hours into Sunday: 13:00 Paris summer time (11:00Z).
  assert.is(iso(addBusinessMinutes(new Date('2026-03-28T11:00:00Z'), 24 * 60, allDay('Europe/Paris'))), '2026-03-29T11:00:00.000Z');
  // A 09:00-17:00 day across the change still opens at 09:00 local, now UTC+2.
  assert.is(iso(addBusinessMinutes(new Date('2026-03-27T15:00:00Z'), 120, weekdays('Europe/Paris'))), '2026-03-30T08:00:00.000Z');
});

bh('Europe/Paris autumn change: a day around the clock is 25 hours', () => {
  const minutes = businessMinutesBetween(new Date('2026-10-24T22:00:00Z'), new Date('2026-10-25T23:00:00Z'), allDay('Europe/Paris'));
  assert.is(minutes, 25 * 60);
  // Friday 16:00 Paris summer time (14:00Z) + 120 min → Monday 10:00 Paris winter time (09:00Z).
  assert.is(iso(addBusinessMinutes(new Date('2026-10-23T14:00:00Z'), 120, weekdays('Europe/Paris'))), '2026-10-26T09:00:00.000Z');
});

bh('America/New_York spring and autumn changes', () => {
  // Friday 6 March 16:00 EST (21:00Z) + 120 min → Monday 9 March 10:00 EDT (14:00Z).
  assert.is(iso(addBusinessMinutes(new Date('2026-03-06T21:00:00Z'), 120, weekdays('America/New_York'))), '2026-03-09T14:00:00.000Z');
  // Friday 30 October 16:00 EDT (20:00Z) + 120 min → Monday 2 November 10:00 EST (15:00Z).
  assert.is(iso(addBusinessMinutes(new Date('2026-10-30T20:00:00Z'), 120, weekdays('America/New_York'))), '2026-11-02T15:00:00.000Z');
  assert.is(businessMinutesBetween(new Date('2026-03-08T05:00:00Z'), new Date('2026-03-09T04:00:00Z'), allDay('America/New_York')), 23 * 60);
});

bh('business minutes between two instants count only open time', () => {
  // Friday 16:00 → Monday 10:00 Paris: 1 h Friday + 1 h Monday.
  assert.is(businessMinutesBetween(new Date('2026-02-06T15:00:00Z'), new Date('2026-02-09T09:00:00Z'), weekdays('Europe/Paris')), 120);
  assert.is(businessMinutesBetween(new Date('2026-02-09T09:00:00Z'), new Date('2026-02-06T15:00:00Z'), weekdays('Europe/Paris')), 0);
});

bh('a split shift: the clock stops over the break between two spans of one day', () => {
  const hours: BusinessHours = { timezone: 'UTC', weekly: { mon: [['09:00', '12:00'], ['13:00', '17:00']], tue: [['09:00', '12:00'], ['13:00', '17:00']] } };
  // Monday 11:30 + 60 min → 30 before the break, 30 after it: 13:30.
  assert.is(iso(addBusinessMinutes(new Date('2026-02-02T11:30:00Z'), 60, hours)), '2026-02-02T13:30:00.000Z');
  // A start in the break waits for the afternoon span.
  assert.is(iso(addBusinessMinutes(new Date('2026-02-02T12:15:00Z'), 15, hours)), '2026-02-02T13:15:00.000Z');
  // Monday 16:30 + 60 min → 30 on Monday, 30 on Tuesday morning.
  assert.is(iso(addBusinessMinutes(new Date('2026-02-02T16:30:00Z'), 60, hours)), '2026-02-03T09:30:00.000Z');
  assert.is(businessMinutesBetween(new Date('2026-02-02T11:00:00Z'), new Date('2026-02-02T14:00:00Z'), hours), 120);
});

bh('a split shift through the spring change: local spans keep their local hours on both sides', () => {
  const split = weekdays('Europe/Paris', ['09:00', '12:00']);
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) split.weekly[day] = [['09:00', '12:00'], ['14:00', '18:00']];
  // Friday 27 March 17:00 Paris (UTC+1) + 180 min: 60 on Friday, then Monday 30 March (UTC+2) 09:00–11:00.
  assert.is(iso(addBusinessMinutes(new Date('2026-03-27T16:00:00Z'), 180, split)), '2026-03-30T09:00:00.000Z');
  // Friday 11:00 → Monday 15:00 local: 60 + 240 on Friday, 180 + 60 on Monday.
  assert.is(businessMinutesBetween(new Date('2026-03-27T10:00:00Z'), new Date('2026-03-30T13:00:00Z'), split), 540);
});

bh.run();
