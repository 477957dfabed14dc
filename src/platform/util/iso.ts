// Timestamps on the wire: ISO 8601, or null. Raw SQL rows may carry them as strings, entities as Dates.

// PostgreSQL's text form of a timestamptz in UTC ('2026-12-03 03:37:59.000336+00', the fraction only when not
// zero) is rearranged rather than parsed: a list or an SLA tick converts thousands. Milliseconds are truncated,
// as Date does. Anything else (another offset, a year past 9999) goes through Date.
const POSTGRES_UTC = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?\+00$/;

export const isoOrNull = (d: Date | string | null | undefined): string | null => {
  if (!d) return null;
  if (typeof d === 'string') {
    const m = POSTGRES_UTC.exec(d);
    if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  }
  return (d instanceof Date ? d : new Date(d)).toISOString();
};
