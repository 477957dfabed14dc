// A tenant: one company using Switchboard; every other row belongs to one.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantPolicies } from './rls.ts';

export const TenantSchema = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  properties: {
    id: p.uuid().primary().onCreate(() => crypto.randomUUID()),
    name: p.string().length(200),
    /** Whether sanitized HTML bodies keep remote images (which tell their sender that a message was opened). */
    remoteImages: p.boolean().default(false),
    /** Resolved and closed conversations move to the archive this many days after their resolution; null: never. */
    retentionConversationsDays: p.integer().nullable().default(180),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  // Tenant-scoped work sees its own tenant's row only.
  policies: tenantPolicies('id'),
});
export class Tenant extends TenantSchema.class {}
TenantSchema.setClass(Tenant);
export type TenantRow = InferEntity<typeof Tenant>;
