// Input schemas for messages, shared by `message:send`, `POST …/messages` and sync.
import { z } from 'zod';
import { ATTACHMENT_TYPES, MESSAGE_STATUSES, MESSAGE_TYPES } from '../../../entities/enums.ts';
import { outboundRecipientsSchema } from './recipients.ts';
import { pageLimit } from '../../platform/util/paging.ts';
import { metadataSchema } from '../../platform/util/metadata.ts';

const attachment = z.object({
  type: z.enum(ATTACHMENT_TYPES).default('file'),
  url: z.url({ protocol: /^https?$/ }).max(2048),
  mime: z.string().max(255).nullish(),
  filename: z.string().max(255).nullish(),
  size: z.number().int().min(0).nullish(),
  width: z.number().int().min(0).nullish(),
  height: z.number().int().min(0).nullish(),
  duration: z.number().min(0).nullish(),
  thumbnailUrl: z.url({ protocol: /^https?$/ }).max(2048).nullish(),
  platformUrl: z.url({ protocol: /^https?$/ }).max(2048).nullish(),
  metadata: metadataSchema.nullish(),
}).strict();

/** What a message is besides its text, for channels with a subject line and typed messages. */
export const messageShapeFields = {
  subject: z.string().trim().max(998).nullish(),
  type: z.enum(MESSAGE_TYPES).optional(),
  metadata: metadataSchema.nullish(),
};

const messageFields = {
  clientMessageId: z.string().trim().min(1).max(255),
  body: z.string(),
  ...messageShapeFields,
  htmlBody: z.string().optional(),
  direction: z.enum(['outbound', 'internal']).optional(),
  attachments: z.array(attachment).max(20).optional(),
  recipients: outboundRecipientsSchema.optional(),
  cannedResponseId: z.uuid().nullish(),
  whisperTo: z.uuid().nullish(),
};

const whisperIsInternal = (v: { direction?: string; whisperTo?: string | null }) => !v.whisperTo || v.direction === 'internal';
const WHISPER_RULE = { message: 'whisperTo goes with direction internal', path: ['whisperTo'] };

export const sendMessageSchema = z.object({ conversationId: z.uuid(), ...messageFields }).strict().refine(whisperIsInternal, WHISPER_RULE);
export const postMessageSchema = z.object(messageFields).strict().refine(whisperIsInternal, WHISPER_RULE);

// A socket payload is JSON: numbers come as numbers (no coercion, unlike a query string).
export const syncSchema = z.object({
  conversationId: z.uuid(),
  afterSeq: z.number().int().min(0),
  limit: z.number().int().min(1).optional().transform((n) => Math.min(n ?? 100, 500))
    .describe('page size, 100 by default; above 500 the largest page (500) is answered'),
}).strict();

export const historyQuerySchema = z.object({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: pageLimit(500, 100),
}).strict();

export const messageStatusSchema = z.object({
  status: z.enum(MESSAGE_STATUSES),
  at: z.iso.datetime({ offset: true }).optional(),
  error: z.string().max(2000).nullish(),
}).strict();

export type SendMessageInput = z.infer<typeof sendMessageSchema>;
export type MessageStatusInput = z.infer<typeof messageStatusSchema>;
