// Free tags (conversation tags, agents' skills, languages): how they are normalised, read back from jsonb and
// validated on input. Shared by conversations, inboxes and routing, so it lives on the floor.
import { z } from 'zod';
import { fromJson } from '../db/rows.ts';

/** Skills and languages compare trimmed and lower-cased. */
export function normalizeTags(tags: readonly string[] | null | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

/** A jsonb tag list as a query answers it (see fromJson); anything else is no tags. */
export function tagList(value: unknown): string[] {
  const list = fromJson<unknown>(value);
  return Array.isArray(list) ? list.filter((t): t is string => typeof t === 'string') : [];
}

export const tagsSchema = z.array(z.string().trim().min(1).max(64)).max(50).transform((tags) => normalizeTags(tags));
export const languageSchema = z.string().trim().min(2).max(35).transform((l) => l.toLowerCase());
