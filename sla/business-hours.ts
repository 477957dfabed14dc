// Business time: what business hours are (their input schema), adding minutes and measuring spans inside
// weekly open hours, in the policy's time zone.
// Luxon does the calendar and daylight-saving arithmetic; nothing here adds hand-written offsets.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

export interface BusinessHours {
  timezone: string;
  weekly: Partial<Record<string, [string, string][]>>;
  holidays?: string[];
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Far enough for any sane policy; bounds the search when holidays close everything for a long time. */
const MAX_DAYS = 3 * 366;
const MINUTE_MS = 60_000;

/** Weekly open spans in a time zone, with holidays: what a policy or an automated reply's hours accept. */
const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time is "HH:MM" (00:00 to 24:00)');
/** A span may cross midnight ("22:00"-"06:00" runs into the next day); an empty span is refused. */
const span = z.tuple([clockSchema, clockSchema]).refine(([from, to]) => from !== to, 'a span needs two different times');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a holiday is "YYYY-MM-DD"')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a calendar date');

export const businessHoursSchema = z.object({
  timezone: z.string().refine((tz) => IANAZone.isValidZone(tz), 'unknown IANA time zone'),
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(span).max(10)),
  holidays: z.array(isoDate).max(1000).optional(),
}).strict()
  .refine((bh) => Object.values(bh.weekly).some((spans) => spans && spans.length > 0), 'weekly needs at least one open span');
export type BusinessHoursInput = z.infer<typeof businessHoursSchema>;

interface Interval { start: number; end: number }

function at(day: DateTime, clock: string): DateTime {
  const [h, m] = clock.split(':').map(Number);
  // 24:00 is the end of the day; a time skipped by a spring change resolves forward (Luxon's rule).
  return h === 24 ? day.plus({ days: 1 }).startOf('day') : day.set({ hour: h, minute: m, second: 0, millisecond: 0 });
}

/** Open intervals that start on the local calendar day `day` (overnight spans run into the next day). */
function intervalsOf(day: DateTime, hours: BusinessHours): Interval[] {
  if (hours.holidays?.includes(day.toISODate()!)) return [];
  const spans = hours.weekly[WEEKDAYS[day.weekday - 1]] ?? [];
  return spans.map(([from, to]) => {
    const start = at(day, from);
    let end = at(day, to);
    if (end <= start) end = at(day.plus({ days: 1 }), to);
    return { start: start.toMillis(), end: end.toMillis() };
  }).filter((i) => i.end > i.start);
}

/** Open intervals overlapping [fromMs, ∞), in order, merged where they touch or overlap. */
function* openIntervals(fromMs: number, hours: BusinessHours): Generator<Interval> {
  // Start a day early: yesterday's overnight span may still be open.
  let day = DateTime.fromMillis(fromMs, { zone: hours.timezone }).startOf('day').minus({ days: 1 });
  let pending: Interval | null = null;
  for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) {
    const today = intervalsOf(day, hours).sort((a, b) => a.start - b.start);
    for (const interval of today) {
      if (interval.end <= fromMs) continue;
      const clipped = { start: Math.max(interval.start, fromMs), end: interval.end };
      if (pending && clipped.start <= pending.end) pending.end = Math.max(pending.end, clipped.end);
      else {
        if (pending) yield pending;
        pending = clipped;
      }
    }
  }
  if (pending) yield pending;
}

/** The instant `minutes` of business time after `start`; without hours, plain elapsed time. */
export function addBusinessMinutes(start: Date, minutes: number, hours: BusinessHours | null | undefined): Date {
  if (!hours) return new Date(start.getTime() + minutes * MINUTE_MS);
  let left = minutes * MINUTE_MS;
  for (const { start: s, end } of openIntervals(start.getTime(), hours)) {
    if (end - s >= left) return new Date(s + left);
    left -= end - s;
  }
  throw new Error('business hours never open within three years');
}

/** Business minutes between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(from: Date, to: Date, hours: BusinessHours | null | undefined): number {
  if (to <= from) return 0;
  if (!hours) return (to.getTime() - from.getTime()) / MINUTE_MS;
  let total = 0;
  for (const { start, end } of openIntervals(from.getTime(), hours)) {
    if (start >= to.getTime()) break;
    total += Math.min(end, to.getTime()) - start;
  }
  return total / MINUTE_MS;
}

/** Whether `instant` falls inside the open hours (automated away replies, active-hours conditions). */
export function isOpenAt(instant: Date, hours: BusinessHours): boolean {
  const first = openIntervals(instant.getTime(), hours).next();
  return !first.done && first.value.start <= instant.getTime();
}
