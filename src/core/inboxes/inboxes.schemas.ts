// Input schemas of the inboxes API.
import { z } from 'zod';
import { CHANNELS, VISIBILITIES } from '../../../entities/enums.ts';
import { inboxRoutingFields } from '../../routing/routing.schemas.ts';
import { nameSchema } from '../../platform/text/display-name.ts';

const memberIds = z.array(z.uuid()).max(1000)
  .refine((ids) => new Set(ids).size === ids.length, 'memberIds must not repeat an id');

/** The satisfaction survey sent on resolution (src/features/csat). */
export const csatFields = {
  csatSurvey: z.boolean().optional(),
  csatMessage: z.string().trim().min(1).max(1000).refine((text) => text.includes('{{link}}'), 'csatMessage must contain {{link}}').nullish(),
};

const channelAddress = z.string().trim().min(1).max(320).nullish();
const connectedAccount = z.string().trim().min(1).max(255).nullish();

export const createInboxSchema = z.object({
  name: nameSchema(200),
  channel: z.enum(CHANNELS),
  address: channelAddress,
  connectedAccountId: connectedAccount,
  autoAssign: z.boolean().optional(),
  memberIds: memberIds.optional(),
  slaPolicyId: z.uuid().nullish(),
  /** Default: the tenant's defaultInboxVisibility (`metadata` unless the tenant chose otherwise). */
  visibility: z.enum(VISIBILITIES).optional(),
  ...inboxRoutingFields,
  ...csatFields,
}).strict();

/** PATCH /v1/inboxes/:id: name, auto-assignment, SLA policy and routing settings (visibility is fixed at creation). */
export const updateInboxSchema = z.object({
  name: nameSchema(200).optional(),
  address: channelAddress,
  connectedAccountId: connectedAccount,
  autoAssign: z.boolean().optional(),
  slaPolicyId: z.uuid().nullish(),
  ...inboxRoutingFields,
  ...csatFields,
}).strict();
export type UpdateInboxInput = z.infer<typeof updateInboxSchema>;

export const setMembersSchema = z.object({ memberIds }).strict();

export type CreateInboxInput = z.infer<typeof createInboxSchema>;
