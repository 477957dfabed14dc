// Conversations: a thread with a contact in an inbox, attachable to any CRM record, with SLA clocks.
import { ADMIN_DELETES } from './rls.ts';
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';
import { Contact } from './contact.entity.ts';
import { CHANNELS, CHANNEL_TYPES, CONVERSATION_STATUSES, DIRECTIONS, ENTITY_TYPES, PRIORITIES, VISIBILITIES } from './enums.ts';
import { Inbox } from './inbox.entity.ts';
import { SlaPolicy } from './sla-policy.entity.ts';
import { Team } from './team.entity.ts';
import { User } from './user.entity.ts';
import { outboxTrigger } from './webhook-outbox.ts';
import { agentLoadTriggers } from './agent-load.entity.ts';

/** The indexed text of a conversation (queries must name the same expression). */
export const CONVERSATION_SEARCH_VECTOR = `(to_tsvector('simple'::regconfig, coalesce("subject", '')) || jsonb_to_tsvector('simple'::regconfig, "custom_attributes", '["string", "numeric"]'))`;
/** Which conversations the search index holds (queries must name the same predicate to use it). */
export const CONVERSATION_SEARCH_PREDICATE = `subject is not null or custom_attributes <> '{}'::jsonb`;

export const ConversationSchema = defineEntity({
  name: 'Conversation',
  tableName: 'conversations',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    inbox: () => p.manyToOne(Inbox).mapToPk().deleteRule('cascade'),
    channel: p.enum(CHANNELS),
    /** The inbox's visibility, copied at creation (an inbox's visibility never changes), so every read and broadcast knows it. */
    visibility: p.enum(VISIBILITIES).default('share_everything'),
    contact: () => p.manyToOne(Contact).mapToPk().nullable().deleteRule('set null'),
    /** Polymorphic CRM record: the type is checked, the id has no foreign key. */
    entityType: p.enum(ENTITY_TYPES).nullable(),
    entityId: p.string().length(255).nullable(),
    /** The CRM company the conversation belongs to: its contact's at creation, or set directly. */
    companyId: p.string().length(255).nullable(),
    subject: p.string().length(500).nullable(),
    /** One person (direct), several (group), or one-to-many (broadcast). */
    channelType: p.enum(CHANNEL_TYPES).default('direct'),
    /** A free object for the channel or an integration, kept as given. */
    metadata: p.json<Record<string, unknown>>().nullable(),
    /** Moved to the archive by retention: out of the working lists, still readable (GET /v1/archive/conversations). */
    archivedAt: p.datetime().nullable(),
    /** The identity the conversation came from (an inbound channel handle), if it came from one. */
    sourceChannel: p.enum(CHANNELS).nullable(),
    sourceHandle: p.string().length(320).nullable(),
    status: p.enum(CONVERSATION_STATUSES).default('new'),
    priority: p.enum(PRIORITIES).default('normal'),
    assignee: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    /** The team it is given to: round robin picks only among the team's members. */
    team: () => p.manyToOne(Team).mapToPk().nullable().deleteRule('set null'),
    /** Values of the tenant's conversation attributes (attribute_definitions), checked when set. */
    customAttributes: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    /** Muted: a customer's new message notifies nobody (the conversation still updates live). */
    muted: p.boolean().default(false),
    /** External thread id of the channel (an email thread, a chat session). */
    threadExternalId: p.string().length(255).nullable(),
    /** Last `seq` taken; the send path increments it under the row lock. */
    lastSeq: p.integer().default(0),
    lastMessageAt: p.datetime().nullable(),
    lastMessagePreview: p.string().length(200).nullable(),
    lastDirection: p.enum(DIRECTIONS).nullable(),
    messageCount: p.integer().default(0),
    /** Latest inbound message, and latest reply by a person or a bot (automated replies do not count). */
    lastInboundAt: p.datetime().nullable(),
    lastReplyAt: p.datetime().nullable(),
    firstResponseAt: p.datetime().nullable(),
    resolvedAt: p.datetime().nullable(),
    snoozedUntil: p.datetime().nullable(),
    /** Since when an unassigned conversation of an auto-assigning inbox waits for an agent. */
    waitingSince: p.datetime().nullable(),
    /** Only agents with all of these (and the language) get it from round robin, until the inbox's fallback wait. */
    requiredSkills: p.json<string[]>().defaultRaw(`'[]'`),
    language: p.string().length(35).nullable(),
    slaPolicy: () => p.manyToOne(SlaPolicy).mapToPk().nullable().deleteRule('set null'),
    slaCycle: p.integer().default(1),
    firstResponseDueAt: p.datetime().nullable(),
    firstResponseWarnAt: p.datetime().nullable(),
    /** When this cycle's first response was made (firstResponseAt keeps the very first one). */
    slaFirstResponseMetAt: p.datetime().nullable(),
    nextResponseDueAt: p.datetime().nullable(),
    nextResponseWarnAt: p.datetime().nullable(),
    /** Counts next-response clocks, so each has its own warning and breach. */
    slaNextResponseClock: p.integer().default(0),
    resolutionDueAt: p.datetime().nullable(),
    resolutionWarnAt: p.datetime().nullable(),
    firstResponseBreachedAt: p.datetime().nullable(),
    nextResponseBreachedAt: p.datetime().nullable(),
    resolutionBreachedAt: p.datetime().nullable(),
    /** When the resolution clock was paused (pending, snoozed); null while it runs. */
    slaPausedAt: p.datetime().nullable(),
    /** Earliest pending SLA warning or breach; the engine scans only rows where it has passed. */
    slaNextCheckAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // Every index here is written on each send (the roll-up moves the row), so each is partial where it can be:
  // a row outside the predicate costs that index nothing.
  indexes: [
    { name: 'conversations_inbox_thread_unique', expression: 'create unique index "conversations_inbox_thread_unique" on "conversations" ("inbox_id", "thread_external_id") where thread_external_id is not null' },
    // Inbox order, newest activity first (an expression index: the schema differ compares it as written).
    { name: 'conversations_tenant_last_message_index', expression: 'create index "conversations_tenant_last_message_index" on "conversations" ("tenant_id", "last_message_at" desc, "id" desc)' },
    { name: 'conversations_tenant_assignee_status_index', properties: ['tenant', 'assignee', 'status'], where: 'assignee_id is not null' },
    { name: 'conversations_tenant_entity_index', properties: ['tenant', 'entityType', 'entityId'], where: 'entity_type is not null' },
    // The SLA scan: only conversations with a pending check, ordered by when it falls due.
    { name: 'conversations_sla_next_check_index', properties: ['slaNextCheckAt'], where: 'sla_next_check_at is not null' },
    // Snoozed conversations, by when they wake up.
    { name: 'conversations_snoozed_index', properties: ['snoozedUntil'], where: "status = 'snoozed'" },
    // Open threads still waiting for a reply, oldest inbound first.
    { name: 'conversations_awaiting_reply_index', properties: ['tenant', 'lastInboundAt'], where: "status = 'open' and last_inbound_at is not null" },
    // Contacts' threads (history, company threads, and a channel's open thread for a contact).
    { name: 'conversations_tenant_contact_index', properties: ['tenant', 'contact'] },
    // Retention: done conversations not archived yet, oldest resolution first.
    { name: 'conversations_retention_index', properties: ['resolvedAt'], where: "status in ('resolved', 'closed') and archived_at is null" },
    // The archive, newest first.
    { name: 'conversations_archive_index', properties: ['tenant', 'archivedAt'], where: 'archived_at is not null' },
    // A company's record lists the conversations set on it.
    { name: 'conversations_tenant_company_index', properties: ['tenant', 'companyId'], where: 'company_id is not null' },
    // An agent's latest resolution in an inbox (the wrap-up pause of round robin and the live queue): one index
    // probe instead of a walk through everything the agent ever resolved. Open conversations are not in it.
    { name: 'conversations_assignee_resolved_index', properties: ['assignee', 'inbox', 'resolvedAt'], where: 'resolved_at is not null' },
    // The waiting queue of auto-assigning inboxes, oldest first.
    { name: 'conversations_waiting_index', properties: ['inbox', 'waitingSince'], where: 'waiting_since is not null' },
    // The live queue's waiting list: unassigned working conversations of a tenant, however many it has resolved
    // (without it each recomputation read every conversation of the table). Holds only unassigned open work, per inbox
    // in the list's order (src/routing/queue.ts names the same expression), so that the list reads its first rows of
    // each inbox instead of sorting all of them.
    { name: 'conversations_unassigned_index', expression: `create index "conversations_unassigned_index" on "conversations" ("tenant_id", "inbox_id", (coalesce("waiting_since", "created_at")), "id") where assignee_id is null and status in ('new', 'open', 'pending')` },
    // Search by subject; partial, so the many conversations without one (chat, SMS) cost their updates nothing here.
    { name: 'conversations_search_index', expression: `create index "conversations_search_index" on "conversations" using gin (${CONVERSATION_SEARCH_VECTOR}) where ${CONVERSATION_SEARCH_PREDICATE}` },
    { name: 'conversations_team_index', properties: ['tenant', 'team'], where: 'team_id is not null' },
  ],
  checks: [{ name: 'conversations_entity_pair_check', expression: '(entity_type is null) = (entity_id is null)' }],
  triggers: [
    // Every change moves updated_at: writers that set it themselves (the send statement, the ORM) skip the call;
    // the others (the SLA engine, routing's statements) have it set here. The condition is written as PostgreSQL
    // prints it back, so that comparing the schema with the entities finds nothing to change.
    { name: 'conversations_touch_updated_at', timing: 'before', events: ['update'], forEach: 'row', when: '(NOT (new.updated_at IS DISTINCT FROM old.updated_at))', body: 'new.updated_at := now(); return new;' },
    outboxTrigger('conversations', 'webhook_conversation_created', 'conversation.created', 'insert', 'id', 'id'),
    ...agentLoadTriggers,
    // What a CRM cares about, not each message's roll-up (message.created says that).
    outboxTrigger('conversations', 'webhook_conversation_updated', 'conversation.updated', 'update', 'id', 'id',
      `o.status is distinct from n.status or o.assignee_id is distinct from n.assignee_id or o.priority is distinct from n.priority or o.team_id is distinct from n.team_id or o.custom_attributes is distinct from n.custom_attributes or o.muted is distinct from n.muted or o.subject is distinct from n.subject or o.snoozed_until is distinct from n.snoozed_until or o.entity_type is distinct from n.entity_type or o.entity_id is distinct from n.entity_id or o.required_skills is distinct from n.required_skills or o.language is distinct from n.language or o.first_response_breached_at is distinct from n.first_response_breached_at or o.next_response_breached_at is distinct from n.next_response_breached_at or o.resolution_breached_at is distinct from n.resolution_breached_at`),
  ],
  ...tenantScoped,
  policies: [...tenantScoped.policies, ADMIN_DELETES],
});
export class Conversation extends ConversationSchema.class {}
ConversationSchema.setClass(Conversation);
