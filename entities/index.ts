// Every entity, listed explicitly for the ORM (no folder scanning).
import { Activity } from './activity.entity.ts';
import { AgentLoad } from './agent-load.entity.ts';
import { AuditEntry } from './audit-entry.entity.ts';
import { Notification } from './notification.entity.ts';
import { NotificationCount } from './notification-count.entity.ts';
import { ApiKey } from './api-key.entity.ts';
import { Attachment } from './attachment.entity.ts';
import { AutomatedReply } from './automated-reply.entity.ts';
import { Campaign, CampaignRecipient } from './campaign.entity.ts';
import { CannedResponse } from './canned-response.entity.ts';
import { Contact } from './contact.entity.ts';
import { ConversationAssignment } from './conversation-assignment.entity.ts';
import { ConversationGrant } from './conversation-grant.entity.ts';
import { Conversation } from './conversation.entity.ts';
import { Identity } from './identity.entity.ts';
import { InboxMember } from './inbox-member.entity.ts';
import { Inbox } from './inbox.entity.ts';
import { MessageRecipient } from './message-recipient.entity.ts';
import { MessageStatusUpdate } from './message-status-update.entity.ts';
import { Message } from './message.entity.ts';
import { ReadCursor } from './read-cursor.entity.ts';
import { SlaEvent } from './sla-event.entity.ts';
import { SlaPolicy } from './sla-policy.entity.ts';
import { ConversationTag, Tag } from './tag.entity.ts';
import { Tenant } from './tenant.entity.ts';
import { User } from './user.entity.ts';
import { Webhook, WebhookDelivery } from './webhook.entity.ts';
import { Team, TeamMember } from './team.entity.ts';
import { AttributeDefinition } from './attribute-definition.entity.ts';
import { Macro } from './macro.entity.ts';
import { AutomationRule, AutomationRun } from './automation-rule.entity.ts';
import { CsatSurvey } from './csat-survey.entity.ts';

export {
  Activity, AgentLoad, ApiKey, AuditEntry, Notification, NotificationCount, Attachment, AutomatedReply, Campaign, CampaignRecipient, CannedResponse, Contact, Conversation,
  ConversationAssignment, ConversationGrant, ConversationTag, Identity, Inbox, InboxMember, Message, MessageRecipient, MessageStatusUpdate, ReadCursor,
  SlaEvent, SlaPolicy, Tag, Tenant, User, Webhook, WebhookDelivery, Team, TeamMember, AttributeDefinition, Macro, AutomationRule, AutomationRun, CsatSurvey,
};

export const allEntities = [
  Tenant, User, ApiKey, SlaPolicy, Inbox, InboxMember, Contact, Identity, Conversation, Message,
  MessageRecipient, Attachment, MessageStatusUpdate, ConversationAssignment, Tag, ConversationTag,
  CannedResponse, AutomatedReply, SlaEvent, ReadCursor, Activity, ConversationGrant, Campaign, CampaignRecipient,
  Webhook, WebhookDelivery, AuditEntry, Notification, Team, TeamMember, AttributeDefinition, Macro, AutomationRule, AutomationRun, CsatSurvey, AgentLoad, NotificationCount,
];
