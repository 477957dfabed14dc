// Opaque page cursors for lists ordered by a time and then an id (conversation lists, timelines, histories).
// A cursor comes back from the client, so it is checked like any input: a JSON object with a UUID and a
// time a database can hold, else VALIDATION (never a query that fails inside PostgreSQL).
import { z } from 'zod';
import { AppError } from '../errors.ts';

export interface TimeCursor { t: string; id: string }
/** For lists where rows without a time (no message yet) come first. */
export interface NullableTimeCursor { t: string | null; id: string }

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

const time = z.string().max(40).refine((t) => {
  const ms = Date.parse(t);
  return Number.isFinite(ms) && ms >= EARLIEST && ms <= LATEST;
}).transform((t) => new Date(t).toISOString());
const cursorSchema = z.object({ t: time.nullable(), id: z.uuid() }).strict();

export const encodeTimeCursor = (at: Date | string | null, id: string): string =>
  Buffer.from(JSON.stringify({ t: at === null ? null : new Date(at).toISOString(), id })).toString('base64url');

function decode(cursor: string): NullableTimeCursor {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: refused below
  }
  throw AppError.validation('cursor: not a cursor from a previous page');
}

/** A cursor not made by `encodeTimeCursor` (or naming no time) is a VALIDATION error. */
export function decodeTimeCursor(cursor: string): TimeCursor {
  const value = decode(cursor);
  if (value.t === null) throw AppError.validation('cursor: not a cursor from a previous page');
  return { t: value.t, id: value.id };
}

/** The same, where a cursor may stand before every timed row (`t` null). */
export const decodeNullableTimeCursor = decode;
