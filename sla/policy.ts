// What an SLA policy is: its input schema (business hours validate in business-hours.ts).
import { z } from 'zod';
import { businessHoursSchema } from './business-hours.ts';

const minutes = z.number().positive().max(525_600); // a year

export const createPolicySchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(2000).nullish(),
  /** Inactive: kept, but not given to new conversations. */
  isActive: z.boolean().optional(),
  firstResponseMinutes: minutes,
  nextResponseMinutes: minutes.nullish(),
  resolutionMinutes: minutes,
  warnAtPercent: z.number().int().min(1).max(99).optional(),
  businessHours: businessHoursSchema.nullish(),
  isDefault: z.boolean().optional(),
}).strict();

export type CreatePolicyInput = z.infer<typeof createPolicySchema>;
