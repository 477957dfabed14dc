// Messages: gap-free `seq` per conversation, idempotent on clientMessageId and on the channel's externalId.
import { ADMIN_DELETES } from './rls.ts';
import { defineEntity, p } from '@mikro-orm/core';
import { Contact } from './contact.entity.ts';
import { Conversation } from './conversation.entity.ts';
import { createdAt, tenantScoped, uuidKey } from './common.ts';
import { Tenant } from './tenant.entity.ts';
import { CHANNELS, DIRECTIONS, MESSAGE_STATUSES, MESSAGE_TYPES, SENDER_TYPES } from './enums.ts';
import { Inbox } from './inbox.entity.ts';
import { User } from './user.entity.ts';

/** The indexed text of a message, exactly as the search index writes it (queries must name the same expression). */
export const MESSAGE_SEARCH_VECTOR = `to_tsvector("search_config", coalesce("subject", '') || ' ' || "body")`;

export const MessageSchema = defineEntity({
  name: 'Message',
  tableName: 'messages',
  properties: {
    id: uuidKey(),
    // No foreign keys on what the send statement takes from the row it holds locked (tenant, conversation,
    // inbox) or from the authenticated sender (author): each would cost every insert a lookup and a share lock,
    // on rows all of a tenant's or a sender's sends share. Deleting a conversation deletes its messages itself.
    tenant: () => p.manyToOne(Tenant).mapToPk().createForeignKeyConstraint(false),
    conversation: () => p.manyToOne(Conversation).mapToPk().createForeignKeyConstraint(false),
    inbox: () => p.manyToOne(Inbox).mapToPk().createForeignKeyConstraint(false),
    seq: p.integer(),
    direction: p.enum(DIRECTIONS),
    senderType: p.enum(SENDER_TYPES),
    author: () => p.manyToOne(User).mapToPk().nullable().createForeignKeyConstraint(false),
    contact: () => p.manyToOne(Contact).mapToPk().nullable().deleteRule('set null'),
    /** The identity an inbound message came from: the channel and the handle as it arrived. */
    sourceChannel: p.enum(CHANNELS).nullable(),
    sourceHandle: p.string().length(320).nullable(),
    /** E-mail and other channels with a subject line. */
    subject: p.text().nullable(),
    /** What the message is to the channel: text, media, a location, a template or an interactive message. */
    type: p.enum(MESSAGE_TYPES).default('text'),
    body: p.text(),
    /** HTML as given (email channels, rich composers); `htmlBodySafe` is its sanitized form for rendering. */
    htmlBody: p.text().nullable(),
    htmlBodySafe: p.text().nullable(),
    status: p.enum(MESSAGE_STATUSES).default('sent'),
    /** When each delivery status was reported (the first report of it), and a failure's reason. */
    deliveredAt: p.datetime().nullable(),
    readAt: p.datetime().nullable(),
    failedAt: p.datetime().nullable(),
    errorMessage: p.text().nullable(),
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
    /** Deleted by an admin: body and attachments erased, the row kept as a tombstone so seqs stay gap-free. */
    deletedAt: p.datetime().nullable(),
    deletedBy: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    /** Set by the database at every change (a trigger), whoever writes the row. */
    updatedAt: p.datetime().defaultRaw('now()'),
    /** The text search configuration (stemming) its subject and body are indexed with: its tenant's at the time. */
    searchConfig: p.string().columnType('regconfig').defaultRaw(`'english'::regconfig`),
  },
  uniques: [
    // Also the index for paging a conversation by seq.
    { name: 'messages_conversation_seq_unique', properties: ['conversation', 'seq'] },
  ],
  // Partial where a column is often empty: a row without the value costs no entry (inbound messages have no
  // clientMessageId or author, outbound ones no externalId or contact).
  indexes: [
    { name: 'messages_conversation_client_message_unique', expression: 'create unique index "messages_conversation_client_message_unique" on "messages" ("conversation_id", "client_message_id") where client_message_id is not null' },
    { name: 'messages_inbox_external_unique', expression: 'create unique index "messages_inbox_external_unique" on "messages" ("inbox_id", "external_id") where external_id is not null' },
    // Recent inbound messages; time-windowed reports (volume) read the block-range index, which a new row
    // at the end of the table hardly ever touches.
    { name: 'messages_tenant_inbound_sent_index', properties: ['tenant', 'sentAt'], where: "direction = 'inbound'" },
    { name: 'messages_sent_brin', expression: 'create index "messages_sent_brin" on "messages" using brin ("sent_at")' },
    { name: 'messages_contact_sent_index', properties: ['contact', 'sentAt'], where: 'contact_id is not null' },
    // Authors are participants of a thread (visibility masking).
    { name: 'messages_conversation_author_index', properties: ['conversation', 'author'], where: 'author_id is not null' },
    // Delivery monitoring: messages still pending or failed, oldest first. Partial, so a message that went
    // out (sent, delivered, read) costs it nothing.
    { name: 'messages_status_created_index', properties: ['status', 'createdAt'], where: "status in ('pending', 'failed')" },
    // Full-text search (GET /v1/search): the words of subject and body, stemmed in the message's configuration.
    // An expression index: the vector is not stored in the row, and queries name the same expression.
    { name: 'messages_search_index', expression: `create index "messages_search_index" on "messages" using gin (${MESSAGE_SEARCH_VECTOR})` },
  ],
  triggers: [{ name: 'messages_touch_updated_at', timing: 'before', events: ['update'], forEach: 'row', body: 'new.updated_at := now(); return new;' }],
  // Its webhook deliveries are written by the send statement itself (messages/send-statement.ts, outboxInsert).
  ...tenantScoped,
  policies: [...tenantScoped.policies, ADMIN_DELETES],
});
export class Message extends MessageSchema.class {}
MessageSchema.setClass(Message);
