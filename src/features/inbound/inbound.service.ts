// Inbound channel messages: handle → identity → contact (src/core/contacts resolves it), then the contact's open thread (or a new one),
// idempotent on externalId even when the same delivery arrives twice at once.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Inbox, Message } from '../../../entities/index.ts';
import { resolveHandle } from '../../core/contacts/contacts.service.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import type { MessageSender } from '../../core/messages/send.service.ts';
import { addressListSchema, recipientList } from '../../core/messages/recipients.ts';
import { messageShapeFields } from '../../core/messages/messages.schemas.ts';
import type { AutoReplier } from '../automation/automated-replies.service.ts';
import type { Routing } from '../../routing/routing-port.ts';
import { threadFor } from '../../core/conversations/threads.ts';
import { isUniqueViolation } from '../../platform/errors.ts';
import { optionalNameSchema } from '../../platform/text/display-name.ts';

export const inboundSchema = z.object({
  externalId: z.string().trim().min(1).max(255),
  from: z.object({ handle: z.string().trim().min(1).max(320), name: optionalNameSchema(200) }).strict(),
  body: z.string(),
  htmlBody: z.string().optional(),
  ...messageShapeFields,
  sentAt: z.iso.datetime({ offset: true }).optional(),
  threadExternalId: z.string().trim().min(1).max(255).optional(),
  to: addressListSchema.optional(),
  cc: addressListSchema.optional(),
}).strict();

export type InboundInput = z.infer<typeof inboundSchema>;

export async function receiveInbound(
  em: EntityManager, bus: EventBus, routing: Routing, messages: MessageSender, inbox: Inbox, input: InboundInput, autoReplier?: AutoReplier,
): Promise<{ conversationId: string; messageId: string; duplicate: boolean }> {
  const seen = await em.findOne(Message, { inbox: inbox.id, externalId: input.externalId });
  if (seen) return { conversationId: seen.conversation, messageId: seen.id, duplicate: true };
  const { contactId, handle } = await resolveHandle(em, inbox.tenant, inbox.channel, input.from.handle, input.from.name);
  const source = { channel: inbox.channel, handle };
  const { conversationId, isNew } = await threadFor(em, bus, inbox, contactId, input.threadExternalId, input.body, source);
  try {
    const result = await messages.send(em, {
      tenantId: inbox.tenant, conversationId, direction: 'inbound', senderType: 'contact', authorId: null, contactId,
      body: input.body, htmlBody: input.htmlBody, clientMessageId: null, externalId: input.externalId,
      source, subject: input.subject ?? null, type: input.type, metadata: input.metadata ?? null,
      sentAt: input.sentAt ? new Date(input.sentAt) : undefined,
      recipients: recipientList({ from: { address: input.from.handle, alias: input.from.name ?? null, contactId }, to: input.to, cc: input.cc }),
    });
    if (result.reopened) await routing.reopened(inbox.tenant, conversationId);
    else if (!result.duplicate) await routing.route(inbox.tenant, conversationId);
    if (!result.duplicate && autoReplier && result.conversation) {
      await autoReplier.afterInbound(em, inbox, result.message, result.conversation.sla.policyId, isNew);
    }
    return { conversationId, messageId: result.message.id, duplicate: result.duplicate };
  } catch (err) {
    // The same externalId landed first through another request (unique per inbox): answer the first.
    if (!isUniqueViolation(err)) throw err;
    const first = await em.fork().findOne(Message, { inbox: inbox.id, externalId: input.externalId }, { filters: false });
    if (!first) throw err;
    return { conversationId: first.conversation, messageId: first.id, duplicate: true };
  }
}
