// Input schemas of the users API.
import { z } from 'zod';
import { tagsSchema } from '../../platform/text/tags.ts';
import { ROLES } from '../../../entities/enums.ts';
import { nameSchema } from '../../platform/text/display-name.ts';

const email = z.string().trim().toLowerCase().email().max(320);
const capacity = z.number().int().min(0).max(10_000);

export const createUserSchema = z.object({
  name: nameSchema(200),
  email: email.nullish(),
  role: z.enum(ROLES),
  capacity: capacity.nullish(),
  skills: tagsSchema.optional(),
  languages: tagsSchema.optional(),
}).strict();

export const updateUserSchema = z.object({
  name: nameSchema(200).optional(),
  email: email.nullish(),
  role: z.enum(ROLES).optional(),
  capacity: capacity.nullish(),
  active: z.boolean().optional(),
  skills: tagsSchema.optional(),
  languages: tagsSchema.optional(),
}).strict();

export type CreateUserInput = z.infer<typeof createUserSchema>;
export type UpdateUserInput = z.infer<typeof updateUserSchema>;
