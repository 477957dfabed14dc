// Addresses on a message (from, to, cc, bcc), resolved to contacts or users when known.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';
import { Contact } from './contact.entity.ts';
import { Conversation } from './conversation.entity.ts';
import { RECIPIENT_ROLES } from './enums.ts';
import { Message } from './message.entity.ts';
import { User } from './user.entity.ts';

export const MessageRecipientSchema = defineEntity({
  name: 'MessageRecipient',
  tableName: 'message_recipients',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    message: () => p.manyToOne(Message).mapToPk().deleteRule('cascade'),
    /** Copied from the message: a company's threads and a thread's participants are found through it. */
    conversation: () => p.manyToOne(Conversation).mapToPk().deleteRule('cascade'),
    role: p.enum(RECIPIENT_ROLES),
    address: p.string().length(320),
    alias: p.string().length(200).nullable(),
    contact: () => p.manyToOne(Contact).mapToPk().nullable().deleteRule('set null'),
    user: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    createdAt: createdAt(),
  },
  indexes: [
    { name: 'message_recipients_message_index', properties: ['message'] },
    { name: 'message_recipients_contact_index', properties: ['contact', 'conversation'] },
    { name: 'message_recipients_conversation_user_index', properties: ['conversation', 'user'] },
  ],
  ...tenantScoped,
});
export class MessageRecipient extends MessageRecipientSchema.class {}
MessageRecipientSchema.setClass(MessageRecipient);
