// The payloads of the client→server events, as the handlers parse them (and docs/realtime.md shows them).
import { z } from 'zod';
import { assignSchema } from '../src/routing/assign.service.ts';
import { conversationIdSchema, conversationStatusSchema } from '../src/core/conversations/conversations.schemas.ts';
import { sendMessageSchema, syncSchema } from '../src/core/messages/messages.schemas.ts';
import { PRESENCE } from '../src/contract/schemas.ts';

export { conversationIdSchema, conversationStatusSchema, sendMessageSchema, syncSchema };

export const typingSchema = z.object({ conversationId: z.uuid(), isTyping: z.boolean() }).strict();
export const readSchema = z.object({ conversationId: z.uuid(), seq: z.number().int().min(0) }).strict();
export const watchSchema = z.object({ inboxId: z.uuid().optional() }).strict();
export const conversationAssignSchema = z.object({ conversationId: z.uuid(), ...assignSchema.shape }).strict();
export const presenceSchema = z.object({ status: z.enum(PRESENCE) }).strict();
