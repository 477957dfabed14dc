// Replies the server sends by itself: on a keyword, as a greeting to a new thread, or as an away notice.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';
import { AUTOMATED_REPLY_KINDS, AUTOMATED_REPLY_TYPES } from './enums.ts';
import { Inbox } from './inbox.entity.ts';
import type { BusinessHoursColumn } from './sla-policy.entity.ts';

export const AutomatedReplySchema = defineEntity({
  name: 'AutomatedReply',
  tableName: 'automated_replies',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(200),
    kind: p.enum(AUTOMATED_REPLY_KINDS),
    /** Null: every inbox of the tenant. */
    inbox: () => p.manyToOne(Inbox).mapToPk().nullable().deleteRule('cascade'),
    keywords: p.json<string[]>().nullable(),
    body: p.text(),
    /** How channels that can show more than text present it: plain text, buttons or quick replies. */
    replyType: p.enum(AUTOMATED_REPLY_TYPES).default('text'),
    /** The buttons or quick replies (`{ options: [{ label, value }] }`), as channels need them. */
    replyMetadata: p.json<Record<string, unknown>>().nullable(),
    /** Higher first; at most one automated reply answers an inbound message. */
    priority: p.integer().default(0),
    /** Conditions: the channels it answers on (null: all) and the hours it is active in (null: always). */
    channels: p.json<string[]>().nullable(),
    activeHours: p.json<BusinessHoursColumn>().nullable(),
    /** For `away`: the hours outside which it answers (null: the inbox SLA policy's business hours). */
    businessHours: p.json<BusinessHoursColumn>().nullable(),
    enabled: p.boolean().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  indexes: [{ name: 'automated_replies_tenant_priority_index', properties: ['tenant', 'priority'] }],
  ...tenantScoped,
});
export class AutomatedReply extends AutomatedReplySchema.class {}
AutomatedReplySchema.setClass(AutomatedReply);
