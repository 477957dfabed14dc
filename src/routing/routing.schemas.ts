// Input pieces for routing: keyword rules and an inbox's routing settings (skills and languages are free tags, src/platform/text/tags.ts).
import { z } from 'zod';
import { languageSchema, tagsSchema } from '../platform/text/tags.ts';


/**
 * A rule: keywords (the first message mentions one) and/or contact attribute values (all held), and skills or a
 * language to give the new inbound threads that match.
 */
export const routingRuleSchema = z.object({
  keywords: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  attributes: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()]))
    .refine((a) => Object.keys(a).length <= 20, 'attributes: at most 20').default({}),
  skills: tagsSchema.default([]),
  language: languageSchema.nullish().transform((l) => l ?? null),
}).strict().refine((rule) => rule.skills.length > 0 || rule.language !== null, 'a routing rule needs skills or a language')
  .refine((rule) => rule.keywords.length > 0 || Object.keys(rule.attributes).length > 0, 'a routing rule needs keywords or attributes');

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
