// What an SLA policy is: its input schema, business-hours validation, and how a conversation picks one.
import { IANAZone } from 'luxon';
import { z } from 'zod';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time is "HH:MM" (00:00 to 24:00)');
/** A span may cross midnight ("22:00"-"06:00" runs into the next day); an empty span is refused. */
const span = z.tuple([clock, clock]).refine(([from, to]) => from !== to, 'a span needs two different times');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a holiday is "YYYY-MM-DD"')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a calendar date');

export const businessHoursSchema = z.object({
  timezone: z.string().refine((tz) => IANAZone.isValidZone(tz), 'unknown IANA time zone'),
  weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(span).max(10)),
  holidays: z.array(isoDate).max(1000).optional(),
}).strict()
  .refine((bh) => Object.values(bh.weekly).some((spans) => spans && spans.length > 0), 'weekly needs at least one open span');

const minutes = z.number().positive().max(525_600); // a year

export const createPolicySchema = z.object({
  name: z.string().trim().min(1).max(200),
  firstResponseMinutes: minutes,
  nextResponseMinutes: minutes.nullish(),
  resolutionMinutes: minutes,
  warnAtPercent: z.number().int().min(1).max(99).optional(),
  businessHours: businessHoursSchema.nullish(),
  isDefault: z.boolean().optional(),
}).strict();

export type CreatePolicyInput = z.infer<typeof createPolicySchema>;
export type BusinessHoursInput = z.infer<typeof businessHoursSchema>;
