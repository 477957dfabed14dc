// Input schemas for conversations, shared by HTTP and socket handlers.
import { z } from 'zod';
import { languageSchema, tagsSchema } from '../../platform/text/tags.ts';
import { CHANNEL_TYPES, CONVERSATION_STATUSES, ENTITY_TYPES, PRIORITIES, SETTABLE_STATUSES } from '../../../entities/enums.ts';
import { pageLimit } from '../../platform/util/paging.ts';
import { metadataSchema } from '../../platform/util/metadata.ts';
import { attributeChangeSchema, attributeFilterSchema } from '../attributes/attributes.service.ts';

export const conversationIdSchema = z.object({ conversationId: z.uuid() }).strict();

export const createConversationSchema = z.object({
  inboxId: z.uuid(),
  contactId: z.uuid().nullish(),
  entityType: z.enum(ENTITY_TYPES).nullish(),
  entityId: z.string().trim().min(1).max(255).nullish(),
  subject: z.string().trim().max(500).nullish(),
  /** Default: the contact's company. */
  companyId: z.string().trim().min(1).max(255).nullish(),
  channelType: z.enum(CHANNEL_TYPES).optional(),
  metadata: metadataSchema.nullish(),
  priority: z.enum(PRIORITIES).optional(),
  /** Default: the inbox's defaultSkills and defaultLanguage. */
  requiredSkills: tagsSchema.optional(),
  language: languageSchema.nullish(),
  /** Checked against the tenant's conversation attributes. */
  customAttributes: attributeChangeSchema.optional(),
  teamId: z.uuid().nullish(),
}).strict().refine((v) => !v.entityType === !v.entityId, 'entityType and entityId go together');

const statusFields = {
  /** `new` and `archived` are not set by hand: the first human touch and retention set them. */
  status: z.enum(SETTABLE_STATUSES),
  snoozedUntil: z.iso.datetime({ offset: true }).optional(),
};
const statusRules = <T extends z.ZodType<{ status: string; snoozedUntil?: string }>>(schema: T) =>
  schema.refine((v) => v.status !== 'snoozed' || v.snoozedUntil, 'snoozedUntil is required to snooze')
    .refine((v) => v.status === 'snoozed' || !v.snoozedUntil, 'snoozedUntil only goes with status snoozed');

export const statusChangeSchema = statusRules(z.object(statusFields).strict());
/** The same change on a socket, naming its conversation. */
export const conversationStatusSchema = statusRules(z.object({ conversationId: z.uuid(), ...statusFields }).strict());

export const listConversationsSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  assigneeId: z.union([z.uuid(), z.literal('none')]).optional(),
  inboxId: z.uuid().optional(),
  /** A contact's conversations (the console's contact panel). */
  contactId: z.uuid().optional(),
  /** A team's conversations, or `none` for those of no team. */
  teamId: z.union([z.uuid(), z.literal('none')]).optional(),
  /** `key:value` on the conversation's custom attributes; repeat for several (all must hold). */
  attribute: attributeFilterSchema.optional(),
  entityType: z.enum(ENTITY_TYPES).optional(),
  entityId: z.string().min(1).max(255).optional(),
  limit: pageLimit(100, 50),
  cursor: z.string().max(200).optional(),
}).strict();

export type CreateConversationInput = z.infer<typeof createConversationSchema>;
export type StatusChangeInput = z.infer<typeof statusChangeSchema>;
export type ListConversationsInput = z.infer<typeof listConversationsSchema>;
