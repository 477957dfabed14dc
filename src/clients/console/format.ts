// Times and durations in the browser's locale: relative for today, with the date when older.
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'narrow' });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** "5 min ago" today (within the hour), "14:05" earlier today, "2 Dec 2026" before. */
export function whenShort(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
  if (Math.abs(minutes) < 60 && sameDay(at, now)) return minutes === 0 ? relative.format(0, 'second') : relative.format(minutes, 'minute');
  return sameDay(at, now) ? timeOnly.format(at) : dateOnly.format(at);
}

/** Time of day today, else date and time. */
export function whenFull(iso: string, now = new Date()): string {
  const at = new Date(iso);
  return sameDay(at, now) ? timeOnly.format(at) : dateAndTime.format(at);
}

/** "in 12 min", "3 h ago": a deadline relative to now. */
export function untilDue(iso: string, now = Date.now()): string {
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute');
  if (Math.abs(minutes) < 48 * 60) return relative.format(Math.round(minutes / 60), 'hour');
  return relative.format(Math.round(minutes / 1440), 'day');
}

/** Seconds as "4 min 10 s", "2 h 5 min". */
export function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

/** A value for <input type="datetime-local"> (local time, minutes). */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
