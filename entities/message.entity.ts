// Messages: gap-free `seq` per conversation, idempotent on clientMessageId and on the channel's externalId.
import { defineEntity, p } from '@mikro-orm/core';
import { Contact } from './contact.entity.ts';
import { Conversation } from './conversation.entity.ts';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';
import { DIRECTIONS, MESSAGE_STATUSES, SENDER_TYPES } from './enums.ts';
import { Inbox } from './inbox.entity.ts';
import { outboxTrigger } from './webhook-outbox.ts';
import { User } from './user.entity.ts';

export const MessageSchema = defineEntity({
  name: 'Message',
  tableName: 'messages',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    conversation: () => p.manyToOne(Conversation).mapToPk().deleteRule('cascade'),
    inbox: () => p.manyToOne(Inbox).mapToPk().deleteRule('cascade'),
    seq: p.integer(),
    direction: p.enum(DIRECTIONS),
    senderType: p.enum(SENDER_TYPES),
    author: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    contact: () => p.manyToOne(Contact).mapToPk().nullable().deleteRule('set null'),
    body: p.text(),
    /** HTML as given (email channels, rich composers); `htmlBodySafe` is its sanitized form for rendering. */
    htmlBody: p.text().nullable(),
    htmlBodySafe: p.text().nullable(),
    status: p.enum(MESSAGE_STATUSES).default('sent'),
    clientMessageId: p.string().length(255).nullable(),
    externalId: p.string().length(255).nullable(),
    metadata: p.json<Record<string, unknown>>().nullable(),
    /** Internal notes can be pinned to the top of a thread. */
    pinnedAt: p.datetime().nullable(),
    pinnedBy: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    /** A whisper: an internal note for this agent only (and supervisors, admins and its author). */
    whisperTo: () => p.manyToOne(User).mapToPk().nullable().deleteRule('cascade'),
    sentAt: p.datetime(),
    createdAt: createdAt(),
  },
  uniques: [
    // Also the index for paging a conversation by seq.
    { name: 'messages_conversation_seq_unique', properties: ['conversation', 'seq'] },
    { name: 'messages_conversation_client_message_unique', properties: ['conversation', 'clientMessageId'] },
    { name: 'messages_inbox_external_unique', properties: ['inbox', 'externalId'] },
  ],
  indexes: [
    { name: 'messages_tenant_direction_sent_index', properties: ['tenant', 'direction', 'sentAt'] },
    { name: 'messages_contact_sent_index', properties: ['contact', 'sentAt'] },
    // Authors are participants of a thread (visibility masking).
    { name: 'messages_conversation_author_index', properties: ['conversation', 'author'] },
  ],
  triggers: [outboxTrigger('webhook_message_created', 'message.created', ['insert'], 'new.id', 'new.conversation_id')],
  ...tenantScoped,
});
export class Message extends MessageSchema.class {}
MessageSchema.setClass(Message);
