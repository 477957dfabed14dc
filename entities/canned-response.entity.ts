// Saved replies agents insert by short code; optionally limited to one inbox.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantFilter, tenantRef, uuidKey } from './common.ts';
import { Inbox } from './inbox.entity.ts';

export const CannedResponseSchema = defineEntity({
  name: 'CannedResponse',
  tableName: 'canned_responses',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    inbox: () => p.manyToOne(Inbox).mapToPk().nullable().deleteRule('cascade'),
    shortCode: p.string().length(100),
    content: p.text(),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'canned_responses_tenant_code_unique', properties: ['tenant', 'shortCode'] }],
  filters: tenantFilter,
});
export class CannedResponse extends CannedResponseSchema.class {}
CannedResponseSchema.setClass(CannedResponse);
