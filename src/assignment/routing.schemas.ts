// Input pieces for routing: skills and languages (free tags), and an inbox's routing settings.
import { z } from 'zod';
import { normalizeTags } from './round-robin.ts';

export const tagsSchema = z.array(z.string().trim().min(1).max(64)).max(50).transform((tags) => normalizeTags(tags));
export const languageSchema = z.string().trim().min(2).max(35).transform((l) => l.toLowerCase());

const seconds = z.number().int().min(0).max(7 * 86_400);

/** Every field optional: the same shape creates (defaults apply) and updates an inbox. */
export const inboxRoutingFields = {
  reassignAfterSeconds: seconds.optional(),
  reassignWhenAway: z.boolean().optional(),
  reassignTimeoutMinutes: z.number().positive().max(7 * 1440).nullish(),
  skillFallbackSeconds: seconds.optional(),
  conversationWeight: z.number().min(0.01).max(100).optional(),
  wrapUpSeconds: seconds.optional(),
  defaultSkills: tagsSchema.optional(),
  defaultLanguage: languageSchema.nullish(),
};
