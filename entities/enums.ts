// Value lists shared by the schema (check constraints) and validation. Imports nothing.
export const ROLES = ['admin', 'supervisor', 'agent', 'bot'] as const;
export const HUMAN_ROLES = ['admin', 'supervisor', 'agent'] as const;
export const PRESENCE_STATUSES = ['online', 'away', 'busy', 'offline'] as const;
export const CHANNELS = ['email', 'sms', 'chat', 'phone', 'social', 'whatsapp', 'instagram', 'messenger', 'api'] as const;
export const VISIBILITIES = ['metadata', 'subject', 'share_everything'] as const;
export const ENTITY_TYPES = ['contact', 'company', 'deal', 'ticket', 'task', 'project'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
// `new` until a person first touches the conversation; `archived` is set by retention only.
export const CONVERSATION_STATUSES = ['new', 'open', 'pending', 'snoozed', 'resolved', 'closed', 'archived'] as const;
/** The statuses a person (or bot) may set. */
export const SETTABLE_STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export const DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export const SENDER_TYPES = ['contact', 'user', 'bot', 'system'] as const;
export const MESSAGE_STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export const RECIPIENT_ROLES = ['from', 'to', 'cc', 'bcc'] as const;
export const CHANNEL_TYPES = ['direct', 'group', 'broadcast'] as const;
export const MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'file', 'location', 'template', 'interactive'] as const;
export const ATTACHMENT_TYPES = ['image', 'video', 'audio', 'file', 'location', 'other'] as const;
export const ASSIGNMENT_TYPES = ['manual', 'auto_round_robin', 'transfer', 'unassign', 'reassign_offline', 'reassign_timeout'] as const;
export const SLA_KINDS = ['first_response', 'next_response', 'resolution'] as const;
export const SLA_EVENT_TYPES = ['warning', 'breach'] as const;
export const AUTOMATED_REPLY_KINDS = ['keyword', 'greeting', 'away'] as const;
export const AUTOMATED_REPLY_TYPES = ['text', 'buttons', 'quick_replies'] as const;
export const CAMPAIGN_RECIPIENT_STATUSES = ['pending', 'sent', 'delivered', 'read', 'failed'] as const;
export const CAMPAIGN_STATUSES = ['sending', 'done'] as const;
export const ATTRIBUTE_SUBJECTS = ['contact', 'conversation'] as const;
export const ATTRIBUTE_TYPES = ['text', 'number', 'date', 'list', 'checkbox'] as const;
export const AUTOMATION_EVENTS = ['conversation.created', 'message.created', 'conversation.updated', 'sla.warning', 'sla.breach'] as const;
/** `running`: claimed, its actions under way (a run left so was interrupted by a stop). */
export const AUTOMATION_RUN_OUTCOMES = ['running', 'done', 'failed'] as const;
export const CSAT_SOURCES = ['link', 'inbound'] as const;
export const NOTIFICATION_KINDS = ['assigned', 'mention', 'sla_warning', 'customer_replied'] as const;
/** PostgreSQL's text search configurations: the stemming a tenant's messages are indexed and searched with. */
export const SEARCH_LANGUAGES = [
  'simple', 'arabic', 'armenian', 'basque', 'catalan', 'danish', 'dutch', 'english', 'finnish', 'french', 'german', 'greek', 'hindi',
  'hungarian', 'indonesian', 'irish', 'italian', 'lithuanian', 'nepali', 'norwegian', 'portuguese', 'romanian', 'russian', 'serbian',
  'spanish', 'swedish', 'tamil', 'turkish', 'yiddish',
] as const;
