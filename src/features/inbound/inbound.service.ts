// Inbound channel messages: handle → identity → contact, then the contact's open thread (or a new one),
// idempotent on externalId even when the same delivery arrives twice at once.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Contact, Identity, Inbox, Message } from '../../../entities/index.ts';
import { sql } from '../../platform/db/sql.ts';
import type { EventBus } from '../../platform/events/domain-events.ts';
import type { MessageSender } from '../../core/messages/send.service.ts';
import { addressListSchema, recipientList } from '../../core/messages/recipients.ts';
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
  sentAt: z.iso.datetime({ offset: true }).optional(),
  threadExternalId: z.string().trim().min(1).max(255).optional(),
  to: addressListSchema.optional(),
  cc: addressListSchema.optional(),
}).strict();

export type InboundInput = z.infer<typeof inboundSchema>;

async function resolveContact(em: EntityManager, inbox: Inbox, from: InboundInput['from']): Promise<string> {
  const found = await em.findOne(Identity, { channel: inbox.channel, handle: from.handle });
  if (found) return found.contact;
  return em.transactional(async (tx) => {
    const contact = tx.create(Contact, { tenant: inbox.tenant, name: from.name ?? from.handle });
    await tx.flush();
    // Two first messages from one handle at once: the unique key keeps one identity; the loser's contact is dropped.
    const [claimed] = await sql<{ contact_id: string }>(tx, `
      insert into identities (id, tenant_id, contact_id, channel, handle, created_at) values (?, ?, ?, ?, ?, now())
      on conflict (tenant_id, channel, handle) do update set handle = excluded.handle
      returning contact_id`, [crypto.randomUUID(), inbox.tenant, contact.id, inbox.channel, from.handle]);
    if (claimed.contact_id !== contact.id) tx.remove(contact);
    await tx.flush();
    return claimed.contact_id;
  });
}

export async function receiveInbound(
  em: EntityManager, bus: EventBus, routing: Routing, messages: MessageSender, inbox: Inbox, input: InboundInput, autoReplier?: AutoReplier,
): Promise<{ conversationId: string; messageId: string; duplicate: boolean }> {
  const seen = await em.findOne(Message, { inbox: inbox.id, externalId: input.externalId });
  if (seen) return { conversationId: seen.conversation, messageId: seen.id, duplicate: true };
  const contactId = await resolveContact(em, inbox, input.from);
  const { conversationId, isNew } = await threadFor(em, bus, inbox, contactId, input.threadExternalId, input.body);
  try {
    const result = await messages.send(em, {
      tenantId: inbox.tenant, conversationId, direction: 'inbound', senderType: 'contact', authorId: null, contactId,
      body: input.body, htmlBody: input.htmlBody, clientMessageId: null, externalId: input.externalId,
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
