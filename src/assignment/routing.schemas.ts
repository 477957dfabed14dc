// Input pieces for routing: skills and languages (free tags), and an inbox's routing settings.
import { z } from 'zod';
import { normalizeTags } from './round-robin.ts';

export const tagsSchema = z.array(z.string().trim().min(1).max(64)).max(50).transform((tags) => normalizeTags(tags));
export const languageSchema = z.string().trim().min(2).max(35).transform((l) => l.toLowerCase());

/** A keyword rule: at least one keyword, and skills or a language to give the threads whose first message mentions it. */
export const routingRuleSchema = z.object({
  keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(50),
  skills: tagsSchema.default([]),
  language: languageSchema.nullish().transform((l) => l ?? null),
}).strict().refine((rule) => rule.skills.length > 0 || rule.language !== null, 'a routing rule needs skills or a language');

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
  routingRules: z.array(routingRuleSchema).max(50).optional(),
};
