// Opaque page cursors for lists ordered by a time and then an id (timelines, message histories).
import { AppError } from '../errors.ts';
import { isUuid } from './uuid.ts';

export interface TimeCursor { t: string; id: string }

export const encodeTimeCursor = (at: Date | string, id: string): string =>
  Buffer.from(JSON.stringify({ t: new Date(at).toISOString(), id })).toString('base64url');

/** A cursor not made by `encodeTimeCursor` is a VALIDATION error. */
export function decodeTimeCursor(cursor: string): TimeCursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as TimeCursor;
    if (typeof v.t === 'string' && !Number.isNaN(Date.parse(v.t)) && typeof v.id === 'string' && isUuid(v.id)) return v;
  } catch {
    // fall through
  }
  throw AppError.validation('cursor: not a cursor from a previous page');
}
