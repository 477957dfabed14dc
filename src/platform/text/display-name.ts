// Names people and channels give (users, contacts, inboxes, tags, a sender's `from.name`): NFC-normalised,
// without control characters, bidirectional overrides or invisible characters (which make "\u202Enimda"
// read as "admin"), whitespace collapsed. Joiners stay: scripts and emoji sequences need them.
import { z } from 'zod';

// Bidi embeddings, overrides, isolates and marks; zero-width and other format characters except the joiners
// (U+200C, U+200D); Hangul fillers and other blank letters that render as nothing.
const INVISIBLE = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u115F\u1160\u3164\uFFA0\u2800]|(?![\u200C\u200D])\p{Cf}/gu;

export function cleanName(text: string): string {
  return text.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

/** A required name of at most `max` characters, cleaned first (so a name of invisible characters only is empty). */
export const nameSchema = (max: number) => z.string().transform(cleanName).pipe(z.string().min(1).max(max));

/** An optional, nullable name (an alias): empty after cleaning means none. */
export const optionalNameSchema = (max: number) =>
  z.string().transform(cleanName).pipe(z.string().max(max)).transform((v) => v || null).nullish();
