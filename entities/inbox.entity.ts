// Inboxes: one channel's entry point, with its routing, visibility and SLA settings.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantFilter, tenantRef, updatedAt, uuidKey } from './common.ts';
import { CHANNELS, VISIBILITIES } from './enums.ts';
import { SlaPolicy } from './sla-policy.entity.ts';

export const InboxSchema = defineEntity({
  name: 'Inbox',
  tableName: 'inboxes',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(200),
    channel: p.enum(CHANNELS),
    visibility: p.enum(VISIBILITIES).default('share_everything'),
    autoAssign: p.boolean().default(false),
    slaPolicy: () => p.manyToOne(SlaPolicy).mapToPk().nullable().deleteRule('set null'),
    /** Key of the inbound webhook's HMAC; kept in clear because verification needs it. */
    webhookSecret: p.string().length(100),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  indexes: [{ name: 'inboxes_tenant_index', properties: ['tenant'] }],
  filters: tenantFilter,
});
export class Inbox extends InboxSchema.class {}
InboxSchema.setClass(Inbox);
