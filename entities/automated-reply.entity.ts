// Replies the server sends by itself: on a new conversation, outside business hours, or on a keyword.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantFilter, tenantRef, uuidKey } from './common.ts';
import { AUTOMATED_REPLY_TRIGGERS } from './enums.ts';
import { Inbox } from './inbox.entity.ts';

export const AutomatedReplySchema = defineEntity({
  name: 'AutomatedReply',
  tableName: 'automated_replies',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    inbox: () => p.manyToOne(Inbox).mapToPk().nullable().deleteRule('cascade'),
    trigger: p.enum(AUTOMATED_REPLY_TRIGGERS),
    pattern: p.string().length(500).nullable(),
    body: p.text(),
    active: p.boolean().default(true),
    createdAt: createdAt(),
  },
  indexes: [{ name: 'automated_replies_inbox_trigger_index', properties: ['inbox', 'trigger'] }],
  filters: tenantFilter,
});
export class AutomatedReply extends AutomatedReplySchema.class {}
AutomatedReplySchema.setClass(AutomatedReply);
