// The wire shapes of dto.ts as zod schemas: what the OpenAPI document and docs/realtime.md describe, and what
// tests check every answer against (VALIDATE_RESPONSES). A type-level test keeps them equal to dto.ts.
import { z } from 'zod';
// The value lists are the database's own (its check constraints), in a leaf module that imports nothing.
import {
  ASSIGNMENT_TYPES, AUTOMATED_REPLY_TYPES, CHANNEL_TYPES, CHANNELS, CONVERSATION_STATUSES, DIRECTIONS, ENTITY_TYPES, MESSAGE_STATUSES, MESSAGE_TYPES, PRIORITIES, ROLES,
  NOTIFICATION_KINDS, SENDER_TYPES, ATTRIBUTE_SUBJECTS, ATTRIBUTE_TYPES, AUTOMATION_EVENTS, AUTOMATION_RUN_OUTCOMES, CSAT_SOURCES,
  VISIBILITIES,
  PRESENCE_STATUSES as PRESENCE,
} from '../../entities/enums.ts';
import { ERROR_STATUS } from './error-codes.ts';

export {
  ASSIGNMENT_TYPES, CHANNELS, CONVERSATION_STATUSES, DIRECTIONS, ENTITY_TYPES, MESSAGE_STATUSES, PRESENCE, PRIORITIES, ROLES, SENDER_TYPES, VISIBILITIES,
};

const id = z.uuid();
const time = z.string().describe('ISO-8601 time, UTC');
const nullableTime = time.nullable();

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const ERROR_CODES = Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]];

export const errorBodySchema = z.object({
  code: z.enum(ERROR_CODES), message: z.string(), details: z.object({ mergedInto: z.uuid().optional() }).strict().optional(),
}).strict();
export const errorSchema = z.object({ error: errorBodySchema }).strict().meta({ id: 'Error' });

export const tenantSchema = z.object({
  id, name: z.string(), remoteImages: z.boolean(), retentionConversationsDays: z.number().int().nullable(),
  retentionAttachmentsDays: z.number().int().nullable(), defaultInboxVisibility: z.enum(VISIBILITIES), searchLanguage: z.string(), createdAt: time,
}).strict().meta({ id: 'Tenant' });

export const userSchema = z.object({
  id, tenantId: id, name: z.string(), nameSafe: z.string(), email: z.string().nullable(), role: z.enum(ROLES),
  capacity: z.number().nullable(), active: z.boolean(), skills: z.array(z.string()), languages: z.array(z.string()),
  presence: z.enum(PRESENCE), createdAt: time,
}).strict().meta({ id: 'User' });

export const routingRuleSchema = z.object({
  keywords: z.array(z.string()), attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), skills: z.array(z.string()), language: z.string().nullable(),
}).strict();

export const inboxSchema = z.object({
  id, name: z.string(), channel: z.enum(CHANNELS), address: z.string().nullable(), connectedAccountId: z.string().nullable(), visibility: z.enum(VISIBILITIES), autoAssign: z.boolean(), slaPolicyId: id.nullable(),
  memberIds: z.array(id), reassignAfterSeconds: z.number(), reassignWhenAway: z.boolean(), reassignTimeoutMinutes: z.number().nullable(),
  skillFallbackSeconds: z.number(), conversationWeight: z.number(), wrapUpSeconds: z.number(), defaultSkills: z.array(z.string()),
  defaultLanguage: z.string().nullable(), routingRules: z.array(routingRuleSchema), csatSurvey: z.boolean(), csatMessage: z.string().nullable(), createdAt: time,
}).strict().meta({ id: 'Inbox' });

export const businessHoursOutSchema = z.object({
  timezone: z.string(), weekly: z.partialRecord(z.enum(WEEKDAYS), z.array(z.tuple([z.string(), z.string()]))), holidays: z.array(z.string()).optional(),
}).strict();

export const slaPolicySchema = z.object({
  id, name: z.string(), description: z.string().nullable(), isActive: z.boolean(),
  conditions: z.object({
    inboxIds: z.array(id).optional(), channels: z.array(z.enum(CHANNELS)).optional(), priorities: z.array(z.enum(PRIORITIES)).optional(),
    tags: z.array(z.string()).optional(), attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  }).strict().nullable(),
  firstResponseMinutes: z.number(), nextResponseMinutes: z.number().nullable(), resolutionMinutes: z.number(),
  warnAtPercent: z.number(), businessHours: businessHoursOutSchema.nullable(), isDefault: z.boolean(), createdAt: time,
}).strict().meta({ id: 'SlaPolicy' });

export const identitySchema = z.object({ channel: z.enum(CHANNELS), handle: z.string() }).strict();

export const contactSchema = z.object({
  id, name: z.string(), nameSafe: z.string(), email: z.string().nullable(), phone: z.string().nullable(), companyId: z.string().nullable(),
  identities: z.array(identitySchema), customAttributes: z.record(z.string(), z.unknown()), createdAt: time,
}).strict().meta({ id: 'Contact' });

export const conversationSlaSchema = z.object({
  policyId: id.nullable(), firstResponseDueAt: nullableTime, nextResponseDueAt: nullableTime, resolutionDueAt: nullableTime,
  firstResponseBreachedAt: nullableTime, nextResponseBreachedAt: nullableTime, resolutionBreachedAt: nullableTime,
}).strict();

export const conversationSchema = z.object({
  id, inboxId: id, channel: z.enum(CHANNELS), visibility: z.enum(VISIBILITIES), masked: z.boolean(), subject: z.string().nullable(),
  status: z.enum(CONVERSATION_STATUSES), priority: z.enum(PRIORITIES), requiredSkills: z.array(z.string()), language: z.string().nullable(),
  assigneeId: id.nullable(), teamId: id.nullable(), customAttributes: z.record(z.string(), z.unknown()), muted: z.boolean(),
  contactId: id.nullable(), entityType: z.enum(ENTITY_TYPES).nullable(), entityId: z.string().nullable(),
  companyId: z.string().nullable(), channelType: z.enum(CHANNEL_TYPES), metadata: z.record(z.string(), z.unknown()).nullable(),
  source: identitySchema.nullable(), lastMessageAt: nullableTime, lastMessagePreview: z.string().nullable(), lastDirection: z.enum(DIRECTIONS).nullable(),
  messageCount: z.number().int(), lastInboundAt: nullableTime, lastReplyAt: nullableTime, firstResponseAt: nullableTime,
  resolvedAt: nullableTime, snoozedUntil: nullableTime, sla: conversationSlaSchema, createdAt: time, updatedAt: time,
  archivedAt: nullableTime,
}).strict().meta({ id: 'Conversation' });

export const attachmentSchema = z.object({
  type: z.enum(['image', 'video', 'audio', 'file', 'location', 'other']), url: z.string(), mime: z.string().nullable(), filename: z.string().nullable(),
  size: z.number().nullable(), width: z.number().nullable(), height: z.number().nullable(), duration: z.number().nullable(), thumbnailUrl: z.string().nullable(),
  platformUrl: z.string().nullable(), metadata: z.record(z.string(), z.unknown()).nullable(), archivedAt: nullableTime,
}).strict().meta({ id: 'Attachment' });

export const recipientSchema = z.object({
  role: z.enum(['from', 'to', 'cc', 'bcc']), address: z.string(), alias: z.string().nullable(), contactId: id.nullable(), userId: id.nullable(),
}).strict().meta({ id: 'Recipient' });

export const messageSchema = z.object({
  id, conversationId: id, seq: z.number().int(), direction: z.enum(DIRECTIONS), senderType: z.enum(SENDER_TYPES), authorId: id.nullable(),
  contactId: id.nullable(), source: identitySchema.nullable(), subject: z.string().nullable(), type: z.enum(MESSAGE_TYPES), body: z.string(), htmlBody: z.string().nullable(),
  htmlBodySafe: z.string().nullable(), status: z.enum(MESSAGE_STATUSES), deliveredAt: nullableTime, readAt: nullableTime, failedAt: nullableTime,
  errorMessage: z.string().nullable(), metadata: z.record(z.string(), z.unknown()).nullable(),
  clientMessageId: z.string().nullable(), externalId: z.string().nullable(), attachments: z.array(attachmentSchema), recipients: z.array(recipientSchema),
  pinnedAt: nullableTime, pinnedById: id.nullable(), whisperToId: id.nullable(), masked: z.boolean(), sentAt: time, createdAt: time,
  updatedAt: time, deletedAt: nullableTime,
}).strict().meta({ id: 'Message' });

export const assignmentSchema = z.object({
  id, conversationId: id, assigneeId: id.nullable(), previousAssigneeId: id.nullable(), type: z.enum(ASSIGNMENT_TYPES), byUserId: id.nullable(),
  reason: z.string().nullable(), assignedAt: time, unassignedAt: nullableTime,
}).strict().meta({ id: 'Assignment' });

export const tagSchema = z.object({ id, name: z.string(), color: z.string().nullable(), description: z.string().nullable(), createdAt: time }).strict().meta({ id: 'Tag' });

export const grantSchemaOut = z.object({ conversationId: id, userId: id, grantedById: id.nullable(), createdAt: time }).strict().meta({ id: 'Grant' });

export const cannedResponseSchema = z.object({
  id, shortcut: z.string(), title: z.string().nullable(), body: z.string(), category: z.string().nullable(), ownerId: id.nullable(), channels: z.array(z.enum(CHANNELS)).nullable(),
  usageCount: z.number().int(), lastUsedAt: nullableTime, createdAt: time,
}).strict().meta({ id: 'CannedResponse' });

/** Buttons or quick replies: what each shows and what it sends back. */
export const replyMetadataSchema = z.object({
  options: z.array(z.object({ label: z.string().trim().min(1).max(100), value: z.string().trim().min(1).max(500) }).strict()).min(1).max(10),
}).strict();

export const automatedReplySchema = z.object({
  id, name: z.string(), kind: z.enum(['keyword', 'greeting', 'away']), inboxId: id.nullable(), keywords: z.array(z.string()).nullable(), body: z.string(),
  replyType: z.enum(AUTOMATED_REPLY_TYPES), replyMetadata: replyMetadataSchema.nullable(),
  priority: z.number(), channels: z.array(z.enum(CHANNELS)).nullable(), activeHours: businessHoursOutSchema.nullable(),
  businessHours: businessHoursOutSchema.nullable(), enabled: z.boolean(), createdAt: time,
}).strict().meta({ id: 'AutomatedReply' });

export const campaignProgressSchema = z.object({
  total: z.number(), pending: z.number(), sent: z.number(), delivered: z.number(), read: z.number(), failed: z.number(),
}).strict();

export const campaignSchema = z.object({
  id, name: z.string(), inboxId: id, template: z.string(), status: z.enum(['sending', 'done']), createdById: id.nullable(),
  progress: campaignProgressSchema, createdAt: time, completedAt: nullableTime,
}).strict().meta({ id: 'Campaign' });

export const campaignRecipientSchema = z.object({
  contactId: id, conversationId: id.nullable(), messageId: id.nullable(), status: z.enum(MESSAGE_STATUSES), error: z.string().nullable(),
  sentAt: nullableTime, deliveredAt: nullableTime, readAt: nullableTime, failedAt: nullableTime, updatedAt: time,
}).strict().meta({ id: 'CampaignRecipient' });

export const activitySchema = z.object({
  id, kind: z.string(), entityType: z.string(), entityId: z.string(), conversationId: id.nullable(), actorId: id.nullable(), refId: id.nullable(),
  data: z.record(z.string(), z.unknown()).nullable(), message: messageSchema.nullable(), occurredAt: time,
}).strict().meta({ id: 'Activity' });

export const breachSchema = z.object({
  id, conversationId: id, kind: z.enum(['first_response', 'next_response', 'resolution']), dueAt: time, breachedAt: time,
  detectedAt: time, assigneeId: id.nullable(), policyId: id.nullable(),
}).strict().meta({ id: 'Breach' });

export const queuedConversationSchema = z.object({
  conversationId: id, waitingSeconds: z.number(), priority: z.enum(PRIORITIES), requiredSkills: z.array(z.string()), language: z.string().nullable(), teamId: id.nullable(),
  slaRisk: z.enum(['breached', 'at_risk', 'ok']).nullable(), dueAt: nullableTime,
}).strict();

export const queueAgentSchema = z.object({
  userId: id, name: z.string(), presence: z.enum(PRESENCE), load: z.number(), capacity: z.number().nullable(), wrapUpUntil: nullableTime,
}).strict();

export const queueSchema = z.object({
  inboxes: z.array(z.object({
    inboxId: id, name: z.string(), autoAssign: z.boolean(), conversationWeight: z.number(),
    waiting: z.array(queuedConversationSchema), agents: z.array(queueAgentSchema),
  }).strict()),
  teams: z.array(z.object({ teamId: id.nullable(), name: z.string().nullable(), waiting: z.number().int() }).strict()),
  generatedAt: time,
}).strict().meta({ id: 'Queue' });

export const apiKeySchema = z.object({ id, prefix: z.string(), createdAt: time, revokedAt: nullableTime }).strict().meta({ id: 'ApiKey' });

export const webhookSchemaOut = z.object({
  id, url: z.string(), events: z.array(z.string()), active: z.boolean(), consecutiveFailures: z.number(), disabledAt: nullableTime, createdAt: time,
}).strict().meta({ id: 'Webhook' });

export const webhookDeliverySchema = z.object({
  id, webhookId: id, eventId: z.string(), eventType: z.string(), status: z.string(), attempts: z.number(), nextAttemptAt: nullableTime,
  lastAttemptAt: nullableTime, lastStatus: z.number().nullable(), lastError: z.string().nullable(), deliveredAt: nullableTime, createdAt: time,
}).strict().meta({ id: 'WebhookDelivery' });

export const transcriptSchema = z.object({
  conversation: conversationSchema, contact: contactSchema.nullable(), messages: z.array(messageSchema),
  authors: z.record(z.string(), z.string()), notesIncluded: z.boolean(), generatedAt: time,
}).strict().meta({ id: 'Transcript' });

export const auditEntrySchema = z.object({
  id, actorId: id.nullable(), actorName: z.string(), actorRole: z.string(), action: z.string(), targetType: z.string(),
  targetId: z.string().nullable(), details: z.record(z.string(), z.unknown()).nullable(), occurredAt: time,
}).strict().meta({ id: 'AuditEntry' });

export const notificationSchema = z.object({
  id, kind: z.enum(NOTIFICATION_KINDS), conversationId: id, messageId: id.nullable(), actorId: id.nullable(),
  data: z.record(z.string(), z.unknown()).nullable(), readAt: nullableTime, createdAt: time,
}).strict().meta({ id: 'Notification' });

export const mentionSchema = z.object({
  id, conversationId: id, authorId: id.nullable(), message: messageSchema.nullable(), readAt: nullableTime, createdAt: time,
}).strict().meta({ id: 'Mention' });

export const searchHitSchema = z.object({
  type: z.enum(['message', 'conversation', 'contact']), id, rank: z.number(),
  snippet: z.array(z.object({ text: z.string(), match: z.boolean() }).strict()).nullable(),
  conversationId: id.nullable(), message: messageSchema.nullable(), conversation: conversationSchema.nullable(), contact: contactSchema.nullable(),
}).strict().meta({ id: 'SearchHit' });

export const teamSchema = z.object({ id, name: z.string(), description: z.string().nullable(), memberIds: z.array(id), createdAt: time }).strict().meta({ id: 'Team' });

export const attributeDefinitionSchema = z.object({
  id, appliesTo: z.enum(ATTRIBUTE_SUBJECTS), key: z.string(), label: z.string(), type: z.enum(ATTRIBUTE_TYPES), options: z.array(z.string()).nullable(), createdAt: time,
}).strict().meta({ id: 'AttributeDefinition' });

const attributeValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

/** The actions of macros and automation rules: what they are on the wire, in and out. */
export const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign_agent'), userId: id.nullable() }).strict(),
  z.object({ type: z.literal('assign_team'), teamId: id.nullable() }).strict(),
  z.object({ type: z.literal('add_tag'), tagId: id }).strict(),
  z.object({ type: z.literal('remove_tag'), tagId: id }).strict(),
  z.object({ type: z.literal('set_priority'), priority: z.enum(PRIORITIES) }).strict(),
  z.object({ type: z.literal('set_attribute'), key: z.string().max(64), value: attributeValue.nullable() }).strict(),
  z.object({ type: z.literal('send_canned_response'), cannedResponseId: id }).strict(),
  z.object({ type: z.literal('add_note'), body: z.string().min(1).max(20_000) }).strict(),
  z.object({ type: z.literal('mute') }).strict(),
  z.object({ type: z.literal('snooze'), minutes: z.number().int().min(1).max(30 * 1440) }).strict(),
  z.object({ type: z.literal('resolve') }).strict(),
  z.object({ type: z.literal('send_webhook'), webhookId: id }).strict(),
]).meta({ id: 'Action' });

export const macroSchema = z.object({ id, name: z.string(), ownerId: id.nullable(), actions: z.array(actionSchema), createdAt: time }).strict().meta({ id: 'Macro' });

export const actionResultSchema = z.object({ type: z.enum(actionSchema.options.map((o) => o.shape.type.value) as [ActionType, ...ActionType[]]), ok: z.boolean(), error: z.string().nullable() }).strict();
type ActionType = z.infer<typeof actionSchema>['type'];

export const conditionSchema = z.union([
  z.object({ field: z.enum(['channel', 'inbox', 'status', 'priority', 'tag']), operator: z.enum(['in', 'not_in']), values: z.array(z.string().min(1).max(200)).min(1).max(100) }).strict(),
  z.object({ field: z.literal('attribute'), key: z.string().max(64), operator: z.enum(['equals', 'not_equals']), value: attributeValue }).strict(),
  z.object({ field: z.literal('message'), operator: z.enum(['contains', 'not_contains']), values: z.array(z.string().min(1).max(200)).min(1).max(100) }).strict(),
  z.object({ field: z.literal('business_hours'), operator: z.enum(['within', 'outside']) }).strict(),
]).meta({ id: 'Condition' });

export const automationRuleSchema = z.object({
  id, name: z.string(), event: z.enum(AUTOMATION_EVENTS), conditions: z.array(conditionSchema), actions: z.array(actionSchema), active: z.boolean(),
  createdAt: time, updatedAt: time,
}).strict().meta({ id: 'AutomationRule' });

export const automationRunSchema = z.object({
  id, ruleId: id, eventKey: z.string(), conversationId: id.nullable(), outcome: z.enum(AUTOMATION_RUN_OUTCOMES), results: z.array(actionResultSchema), ranAt: time,
}).strict().meta({ id: 'AutomationRun' });

export const csatSurveySchema = z.object({
  id, conversationId: id, inboxId: id, agentId: id.nullable(), teamId: id.nullable(), rating: z.number().int().nullable(), comment: z.string().nullable(),
  source: z.enum(CSAT_SOURCES).nullable(), sentAt: time, answeredAt: nullableTime,
}).strict().meta({ id: 'CsatSurvey' });
