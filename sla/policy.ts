// What an SLA policy is: its input schema (business hours validate in business-hours.ts).
import { z } from 'zod';
import { businessHoursSchema } from './business-hours.ts';
import { CHANNELS, PRIORITIES } from '../entities/enums.ts';

const minutes = z.number().positive().max(525_600); // a year
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(100).optional();

const conditionsSchema = z.object({
  inboxIds: list(z.uuid()),
  channels: list(z.enum(CHANNELS)),
  priorities: list(z.enum(PRIORITIES)),
  tags: list(z.string().trim().min(1).max(64).transform((t) => t.toLowerCase())),
  /** Custom attribute values the conversation (over its contact) must hold. */
  attributes: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()]))
    .refine((a) => Object.keys(a).length >= 1 && Object.keys(a).length <= 20, 'attributes: 1 to 20 keys').optional(),
}).strict().refine((c) => Object.values(c).some((v) => v !== undefined), 'conditions: name at least one of inboxIds, channels, priorities, tags, attributes');

export const createPolicySchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(2000).nullish(),
  /** Inactive: kept, but not given to new conversations. */
  isActive: z.boolean().optional(),
  /** The first active policy whose conditions all match a new conversation applies (when its inbox names none). */
  conditions: conditionsSchema.nullish(),
  firstResponseMinutes: minutes,
  nextResponseMinutes: minutes.nullish(),
  resolutionMinutes: minutes,
  warnAtPercent: z.number().int().min(1).max(99).optional(),
  businessHours: businessHoursSchema.nullish(),
  isDefault: z.boolean().optional(),
}).strict();

export type CreatePolicyInput = z.infer<typeof createPolicySchema>;
