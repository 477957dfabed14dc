// Wire shapes (docs/openapi.json components, docs/realtime.md). Imports nothing: clients may import it as is.
export type Role = 'admin' | 'supervisor' | 'agent' | 'bot';
export type PresenceStatus = 'online' | 'away' | 'busy' | 'offline';
export type Channel = 'email' | 'sms' | 'chat' | 'phone' | 'social' | 'whatsapp' | 'instagram' | 'messenger' | 'api';
export type Visibility = 'metadata' | 'subject' | 'share_everything';
export type EntityType = 'contact' | 'company' | 'deal' | 'ticket' | 'task' | 'project';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type ConversationStatus = 'new' | 'open' | 'pending' | 'snoozed' | 'resolved' | 'closed' | 'archived';
/** What a person or bot may set: `new` ends at the first human touch, `archived` is retention's. */
export type SettableStatus = Exclude<ConversationStatus, 'new' | 'archived'>;
export type Direction = 'inbound' | 'outbound' | 'internal';
export type SenderType = 'contact' | 'user' | 'bot' | 'system';
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
export type AssignmentType = 'manual' | 'auto_round_robin' | 'transfer' | 'unassign' | 'reassign_offline' | 'reassign_timeout';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface TenantDto {
  id: string;
  name: string;
  /** Sanitized HTML bodies (`htmlBodySafe`) keep remote images only when true. */
  remoteImages: boolean;
  /** Done conversations move to the archive this many days after their resolution; null: never. */
  retentionConversationsDays: number | null;
  retentionAttachmentsDays: number | null;
  defaultInboxVisibility: Visibility;
  /** The stemming its messages are searched with (a PostgreSQL text search configuration). */
  searchLanguage: string;
  createdAt: string;
}

export interface UserDto {
  id: string;
  tenantId: string;
  name: string;
  /** The name without markup, entity-escaped, for rendering. */
  nameSafe: string;
  email: string | null;
  role: Role;
  capacity: number | null;
  active: boolean;
  /** Routing tags: round robin gives a conversation only to agents with its required skills and language. */
  skills: string[];
  languages: string[];
  presence: PresenceStatus;
  createdAt: string;
}

export interface InboxDto {
  id: string;
  name: string;
  channel: Channel;
  /** The channel's own address as customers see it, and the provider account it is connected through. */
  address: string | null;
  connectedAccountId: string | null;
  visibility: Visibility;
  autoAssign: boolean;
  slaPolicyId: string | null;
  /** Member user ids in round-robin order. */
  memberIds: string[];
  /** Routing: grace before an absent assignee's work moves, skills fallback, weight, wrap-up, defaults. */
  reassignAfterSeconds: number;
  reassignWhenAway: boolean;
  reassignTimeoutMinutes: number | null;
  skillFallbackSeconds: number;
  conversationWeight: number;
  wrapUpSeconds: number;
  defaultSkills: string[];
  defaultLanguage: string | null;
  /** In order: a new inbound thread whose first message mentions a keyword gets the skills (added) and the language. */
  routingRules: { keywords: string[]; attributes: Record<string, string | number | boolean>; skills: string[]; language: string | null }[];
  /** On resolution the customer gets a satisfaction survey (a signed link), with this text (`{{link}}` where the link goes). */
  csatSurvey: boolean;
  csatMessage: string | null;
  createdAt: string;
}

export interface BusinessHours {
  timezone: string;
  weekly: Partial<Record<Weekday, [string, string][]>>;
  holidays?: string[];
}

export interface SlaPolicyDto {
  id: string;
  name: string;
  description: string | null;
  /** Inactive: not given to new conversations. */
  isActive: boolean;
  /** Which new conversations it applies to (when their inbox names no policy); the first match of the active ones wins. */
  conditions: { inboxIds?: string[]; channels?: Channel[]; priorities?: Priority[]; tags?: string[]; attributes?: Record<string, string | number | boolean> } | null;
  firstResponseMinutes: number;
  nextResponseMinutes: number | null;
  resolutionMinutes: number;
  warnAtPercent: number;
  businessHours: BusinessHours | null;
  isDefault: boolean;
  createdAt: string;
}

export interface IdentityDto {
  channel: Channel;
  handle: string;
}

export interface ContactDto {
  id: string;
  name: string;
  nameSafe: string;
  email: string | null;
  phone: string | null;
  companyId: string | null;
  identities: IdentityDto[];
  /** Values of the tenant's contact attributes, by key. */
  customAttributes: Record<string, unknown>;
  createdAt: string;
}

export interface ConversationSlaDto {
  policyId: string | null;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
  firstResponseBreachedAt: string | null;
  nextResponseBreachedAt: string | null;
  resolutionBreachedAt: string | null;
}

export interface ConversationDto {
  id: string;
  inboxId: string;
  channel: Channel;
  /** The inbox's visibility; with `masked` true the viewer is not a participant and sees no content. */
  visibility: Visibility;
  masked: boolean;
  subject: string | null;
  status: ConversationStatus;
  priority: Priority;
  /** Routing: round robin offers it only to agents with these skills and this language (until the inbox's fallback). */
  requiredSkills: string[];
  language: string | null;
  assigneeId: string | null;
  /** The team it is given to: round robin picks among the team's members only. */
  teamId: string | null;
  /** Values of the tenant's conversation attributes, by key. */
  customAttributes: Record<string, unknown>;
  /** A customer's new message notifies nobody. */
  muted: boolean;
  contactId: string | null;
  entityType: EntityType | null;
  entityId: string | null;
  /** The CRM company it belongs to: its contact's at creation, or set directly. */
  companyId: string | null;
  channelType: ChannelType;
  /** A free object for the channel or an integration, as given at creation. */
  metadata: Record<string, unknown> | null;
  /** The identity it came from (an inbound handle on a channel), null when an agent or a bot started it. */
  source: IdentityDto | null;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  lastDirection: Direction | null;
  messageCount: number;
  lastInboundAt: string | null;
  lastReplyAt: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  snoozedUntil: string | null;
  sla: ConversationSlaDto;
  createdAt: string;
  /** Every change moves it (messages, status, assignment, the SLA engine's stamps). */
  updatedAt: string;
  /** Moved to the archive by retention (out of the working lists); null while it is not. */
  archivedAt: string | null;
}

export interface AttachmentDto {
  type: 'image' | 'video' | 'audio' | 'file' | 'location' | 'other';
  url: string;
  mime: string | null;
  filename: string | null;
  size: number | null;
  width: number | null;
  height: number | null;
  duration: number | null;
  thumbnailUrl: string | null;
  /** Where the channel's platform keeps the file, and a free object about it. */
  platformUrl: string | null;
  metadata: Record<string, unknown> | null;
  /** When retention archived it (the tenant's `retentionAttachmentsDays` after it arrived); it stays readable. */
  archivedAt: string | null;
}

export interface MessageDto {
  id: string;
  conversationId: string;
  seq: number;
  direction: Direction;
  senderType: SenderType;
  authorId: string | null;
  contactId: string | null;
  /** The identity an inbound message came from (its channel and handle as it arrived); null for the others. */
  source: IdentityDto | null;
  /** The subject line, for channels that have one (e-mail). */
  subject: string | null;
  type: MessageType;
  body: string;
  /** As given; render `htmlBodySafe` instead (no scripts, handlers or unsafe URLs). */
  htmlBody: string | null;
  htmlBodySafe: string | null;
  status: MessageStatus;
  /** When each delivery status was first reported, and a failure's reason. */
  deliveredAt: string | null;
  readAt: string | null;
  failedAt: string | null;
  errorMessage: string | null;
  /** A free object for the channel or the integration, as it was sent. */
  metadata: Record<string, unknown> | null;
  clientMessageId: string | null;
  externalId: string | null;
  attachments: AttachmentDto[];
  recipients: RecipientDto[];
  /** Internal notes only. */
  pinnedAt: string | null;
  pinnedById: string | null;
  /** A whisper: an internal note only this user (and supervisors, admins and the author) receives and reads. */
  whisperToId: string | null;
  /** True when the viewer is not a participant of a masked thread: body empty, no attachments. */
  masked: boolean;
  sentAt: string;
  createdAt: string;
  /** The last change to the message (a status, a pin, a deletion), as the database keeps it. */
  updatedAt: string;
  /** Deleted by an admin: a tombstone (empty body, no attachments) that keeps its seq. */
  deletedAt: string | null;
}

export type RecipientRole = 'from' | 'to' | 'cc' | 'bcc';

export interface RecipientDto {
  role: RecipientRole;
  address: string;
  alias: string | null;
  contactId: string | null;
  userId: string | null;
}

export interface AssignmentDto {
  id: string;
  conversationId: string;
  assigneeId: string | null;
  previousAssigneeId: string | null;
  type: AssignmentType;
  byUserId: string | null;
  reason: string | null;
  assignedAt: string;
  unassignedAt: string | null;
}

export interface TagDto {
  id: string;
  name: string;
  color: string | null;
  description: string | null;
  createdAt: string;
}

export interface GrantDto {
  conversationId: string;
  userId: string;
  grantedById: string | null;
  createdAt: string;
}

export interface CannedResponseDto {
  id: string;
  shortcut: string;
  title: string | null;
  body: string;
  category: string | null;
  /** Null: shared with the tenant. */
  ownerId: string | null;
  channels: Channel[] | null;
  usageCount: number;
  lastUsedAt: string | null;
  createdAt: string;
}

export type ChannelType = 'direct' | 'group' | 'broadcast';
export type MessageType = 'text' | 'image' | 'video' | 'audio' | 'file' | 'location' | 'template' | 'interactive';

export type AutomatedReplyKind = 'keyword' | 'greeting' | 'away';
export type AutomatedReplyType = 'text' | 'buttons' | 'quick_replies';
export interface ReplyMetadata { options: { label: string; value: string }[] }

export interface AutomatedReplyDto {
  id: string;
  name: string;
  kind: AutomatedReplyKind;
  inboxId: string | null;
  keywords: string[] | null;
  body: string;
  /** Plain text, or buttons or quick replies described by `replyMetadata` for channels that show them. */
  replyType: AutomatedReplyType;
  replyMetadata: ReplyMetadata | null;
  priority: number;
  channels: Channel[] | null;
  activeHours: BusinessHours | null;
  businessHours: BusinessHours | null;
  enabled: boolean;
  createdAt: string;
}

export type CampaignRecipientStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface CampaignProgressDto {
  total: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

export interface CampaignDto {
  id: string;
  name: string;
  inboxId: string;
  template: string;
  status: 'sending' | 'done';
  createdById: string | null;
  progress: CampaignProgressDto;
  createdAt: string;
  completedAt: string | null;
}

export interface CampaignRecipientDto {
  contactId: string;
  conversationId: string | null;
  messageId: string | null;
  status: CampaignRecipientStatus;
  error: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  failedAt: string | null;
  updatedAt: string;
}

export interface ActivityDto {
  id: string;
  kind: string;
  entityType: string;
  entityId: string;
  conversationId: string | null;
  actorId: string | null;
  refId: string | null;
  data: Record<string, unknown> | null;
  /** The message, for message activities (masked like every other read). */
  message: MessageDto | null;
  occurredAt: string;
}

/** An SLA breach (GET /v1/sla/breaches). */
export interface BreachDto {
  id: string;
  conversationId: string;
  kind: 'first_response' | 'next_response' | 'resolution';
  dueAt: string;
  breachedAt: string;
  /** When the SLA engine saw the breach (its tick): detection latency is detectedAt − dueAt. */
  detectedAt: string;
  assigneeId: string | null;
  policyId: string | null;
}

// The live queue (GET /v1/queue, queue:updated).
export type SlaRisk = 'breached' | 'at_risk' | 'ok';

export interface QueuedConversation {
  conversationId: string;
  waitingSeconds: number;
  priority: Priority;
  requiredSkills: string[];
  language: string | null;
  /** The team it is given to; only its members may get it from round robin. */
  teamId: string | null;
  /** null: no SLA policy. */
  slaRisk: SlaRisk | null;
  /** The earliest open due date (first response, next response, resolution). */
  dueAt: string | null;
}

export interface QueueAgent {
  userId: string;
  name: string;
  presence: PresenceStatus;
  /** Weighted open load over all inboxes. */
  load: number;
  capacity: number | null;
  /** Wrapping up in this inbox until then; null when not. */
  wrapUpUntil: string | null;
}

export interface InboxQueue {
  inboxId: string;
  name: string;
  autoAssign: boolean;
  conversationWeight: number;
  waiting: QueuedConversation[];
  agents: QueueAgent[];
}

export interface QueueDto {
  inboxes: InboxQueue[];
  /** Waiting conversations per team; `teamId: null` counts those of no team. */
  teams: { teamId: string | null; name: string | null; waiting: number }[];
  generatedAt: string;
}

/** A conversation's transcript (GET /v1/conversations/:id/transcript): every message as the reader may see it. */
export interface TranscriptDto {
  conversation: ConversationDto;
  contact: ContactDto | null;
  messages: MessageDto[];
  /** Display names of the people and bots who wrote, by user id. */
  authors: Record<string, string>;
  notesIncluded: boolean;
  generatedAt: string;
}

/** One entry of the audit log (GET /v1/audit): who did what to what, and when. */
export interface AuditEntryDto {
  id: string;
  actorId: string | null;
  actorName: string;
  actorRole: string;
  action: string;
  targetType: string;
  targetId: string | null;
  /** What was asked for (the request's fields, secrets left out). */
  details: Record<string, unknown> | null;
  occurredAt: string;
}

export type NotificationKind = 'assigned' | 'mention' | 'sla_warning' | 'customer_replied';

/** One of a person's notifications (GET /v1/notifications, the `notification` event). */
export interface NotificationDto {
  id: string;
  kind: NotificationKind;
  conversationId: string;
  /** The message it is about: a mention's note, the customer's message. */
  messageId: string | null;
  /** Who caused it (who assigned, who mentioned); null for a customer or the SLA engine. */
  actorId: string | null;
  /** Kind-specific facts: an SLA warning's `kind` and `dueAt`. */
  data: Record<string, unknown> | null;
  readAt: string | null;
  createdAt: string;
}

/** A mention of the caller (GET /v1/mentions): the note, as they may read it. */
export interface MentionDto {
  id: string;
  conversationId: string;
  authorId: string | null;
  message: MessageDto | null;
  readAt: string | null;
  createdAt: string;
}

/** One search result (GET /v1/search): a message, a conversation or a contact, with where it matched. */
export interface SearchHitDto {
  type: 'message' | 'conversation' | 'contact';
  id: string;
  rank: number;
  /** The matched text as segments (`match` true for matched words; never HTML); null for contacts. */
  snippet: { text: string; match: boolean }[] | null;
  conversationId: string | null;
  message: MessageDto | null;
  conversation: ConversationDto | null;
  contact: ContactDto | null;
}

/** A team of agents (GET /v1/teams): conversations given to it go, by round robin, to its members only. */
export interface TeamDto {
  id: string;
  name: string;
  description: string | null;
  memberIds: string[];
  createdAt: string;
}

export type AttributeSubject = 'contact' | 'conversation';
export type AttributeType = 'text' | 'number' | 'date' | 'list' | 'checkbox';

/** A custom attribute the tenant defined for contacts or conversations; values are checked against it. */
export interface AttributeDefinitionDto {
  id: string;
  appliesTo: AttributeSubject;
  /** Where values live in `customAttributes`. */
  key: string;
  label: string;
  type: AttributeType;
  /** A list attribute's allowed values; null for the other types. */
  options: string[] | null;
  createdAt: string;
}

/** One step of a macro or an automation rule, done on a conversation. */
export type ActionDto =
  | { type: 'assign_agent'; userId: string | null }
  | { type: 'assign_team'; teamId: string | null }
  | { type: 'add_tag'; tagId: string }
  | { type: 'remove_tag'; tagId: string }
  | { type: 'set_priority'; priority: Priority }
  | { type: 'set_attribute'; key: string; value: string | number | boolean | null }
  | { type: 'send_canned_response'; cannedResponseId: string }
  | { type: 'add_note'; body: string }
  | { type: 'mute' }
  | { type: 'snooze'; minutes: number }
  | { type: 'resolve' }
  /** Automation rules only: an `automation.triggered` delivery to this endpoint. */
  | { type: 'send_webhook'; webhookId: string };

/** A named list of actions an agent runs on a conversation with one call. */
export interface MacroDto {
  id: string;
  name: string;
  /** Null: shared with the tenant; else only its owner's. */
  ownerId: string | null;
  actions: ActionDto[];
  createdAt: string;
}

/** What the outcome of running actions on a conversation was, per action. */
export interface ActionResultDto {
  type: ActionDto['type'];
  ok: boolean;
  /** Why it failed (its error code and message). */
  error: string | null;
}

export type AutomationEvent = 'conversation.created' | 'message.created' | 'conversation.updated' | 'sla.warning' | 'sla.breach';

/** One condition of an automation rule; all of a rule's must hold. */
export type ConditionDto =
  | { field: 'channel' | 'inbox' | 'status' | 'priority' | 'tag'; operator: 'in' | 'not_in'; values: string[] }
  | { field: 'attribute'; key: string; operator: 'equals' | 'not_equals'; value: string | number | boolean }
  | { field: 'message'; operator: 'contains' | 'not_contains'; values: string[] }
  | { field: 'business_hours'; operator: 'within' | 'outside' };

export interface AutomationRuleDto {
  id: string;
  name: string;
  event: AutomationEvent;
  conditions: ConditionDto[];
  actions: ActionDto[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One execution of a rule (GET /v1/automation-rules/:id/runs). */
export interface AutomationRunDto {
  id: string;
  ruleId: string;
  eventKey: string;
  conversationId: string | null;
  /** `running`: its actions are under way (or were interrupted by a stop of the node). */
  outcome: 'running' | 'done' | 'failed';
  results: ActionResultDto[];
  ranAt: string;
}

/** A satisfaction survey sent on a resolution, and its answer once given. */
export interface CsatSurveyDto {
  id: string;
  conversationId: string;
  inboxId: string;
  agentId: string | null;
  teamId: string | null;
  rating: number | null;
  comment: string | null;
  source: 'link' | 'inbound' | null;
  sentAt: string;
  answeredAt: string | null;
}
