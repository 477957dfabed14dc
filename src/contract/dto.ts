// Wire shapes of PROTOCOL.md §6 and of the admin API. Imports nothing: clients may import it as is.
export type Role = 'admin' | 'supervisor' | 'agent' | 'bot';
export type PresenceStatus = 'online' | 'away' | 'busy' | 'offline';
export type Channel = 'email' | 'sms' | 'chat' | 'phone' | 'social' | 'whatsapp' | 'instagram' | 'messenger' | 'api';
export type Visibility = 'metadata' | 'subject' | 'share_everything';
export type EntityType = 'contact' | 'company' | 'deal' | 'ticket' | 'task' | 'project';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type ConversationStatus = 'open' | 'pending' | 'snoozed' | 'resolved' | 'closed';
export type Direction = 'inbound' | 'outbound' | 'internal';
export type SenderType = 'contact' | 'user' | 'bot' | 'system';
export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
export type AssignmentType = 'manual' | 'auto_round_robin' | 'transfer' | 'unassign' | 'reassign_offline' | 'reassign_timeout';
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface TenantDto {
  id: string;
  name: string;
  createdAt: string;
}

export interface UserDto {
  id: string;
  tenantId: string;
  name: string;
  email: string | null;
  role: Role;
  capacity: number | null;
  active: boolean;
  presence: PresenceStatus;
  createdAt: string;
}

export interface InboxDto {
  id: string;
  name: string;
  channel: Channel;
  visibility: Visibility;
  autoAssign: boolean;
  slaPolicyId: string | null;
  /** Member user ids in round-robin order. */
  memberIds: string[];
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
  email: string | null;
  phone: string | null;
  companyId: string | null;
  identities: IdentityDto[];
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
  subject: string | null;
  status: ConversationStatus;
  priority: Priority;
  assigneeId: string | null;
  contactId: string | null;
  entityType: EntityType | null;
  entityId: string | null;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  lastDirection: Direction | null;
  messageCount: number;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  snoozedUntil: string | null;
  sla: ConversationSlaDto;
  createdAt: string;
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
}

export interface MessageDto {
  id: string;
  conversationId: string;
  seq: number;
  direction: Direction;
  senderType: SenderType;
  authorId: string | null;
  contactId: string | null;
  body: string;
  status: MessageStatus;
  clientMessageId: string | null;
  externalId: string | null;
  attachments: AttachmentDto[];
  sentAt: string;
  createdAt: string;
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
