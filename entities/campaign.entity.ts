// Campaigns: one templated outbound message per contact, each tracked from its delivery statuses.
import { defineEntity, p } from '@mikro-orm/core';
import { Contact } from './contact.entity.ts';
import { Conversation } from './conversation.entity.ts';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';
import { CAMPAIGN_RECIPIENT_STATUSES, CAMPAIGN_STATUSES } from './enums.ts';
import { Inbox } from './inbox.entity.ts';
import { Message } from './message.entity.ts';
import { User } from './user.entity.ts';

export const CampaignSchema = defineEntity({
  name: 'Campaign',
  tableName: 'campaigns',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(200),
    inbox: () => p.manyToOne(Inbox).mapToPk().deleteRule('cascade'),
    template: p.text(),
    status: p.enum(CAMPAIGN_STATUSES).default('sending'),
    createdBy: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    createdAt: createdAt(),
    completedAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'campaigns_tenant_created_index', properties: ['tenant', 'createdAt'] }],
  ...tenantScoped,
});
export class Campaign extends CampaignSchema.class {}
CampaignSchema.setClass(Campaign);

export const CampaignRecipientSchema = defineEntity({
  name: 'CampaignRecipient',
  tableName: 'campaign_recipients',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    campaign: () => p.manyToOne(Campaign).mapToPk().deleteRule('cascade'),
    contact: () => p.manyToOne(Contact).mapToPk().deleteRule('cascade'),
    conversation: () => p.manyToOne(Conversation).mapToPk().nullable().deleteRule('set null'),
    message: () => p.manyToOne(Message).mapToPk().nullable().deleteRule('set null'),
    status: p.enum(CAMPAIGN_RECIPIENT_STATUSES).default('pending'),
    error: p.text().nullable(),
    /** A sender took it at this time; a crashed sender's claim expires. */
    claimedAt: p.datetime().nullable(),
    /** When its message was written, and when its delivery statuses came. */
    sentAt: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    readAt: p.datetime().nullable(),
    failedAt: p.datetime().nullable(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'campaign_recipients_campaign_contact_unique', properties: ['campaign', 'contact'] }],
  indexes: [
    { name: 'campaign_recipients_campaign_status_index', properties: ['campaign', 'status'] },
    { name: 'campaign_recipients_message_index', properties: ['message'] },
    // The sender's queue: pending recipients of every campaign.
    { name: 'campaign_recipients_pending_index', properties: ['claimedAt'], where: "status = 'pending'" },
  ],
  ...tenantScoped,
});
export class CampaignRecipient extends CampaignRecipientSchema.class {}
CampaignRecipientSchema.setClass(CampaignRecipient);
