// A tenant: one company using Switchboard; every other row belongs to one.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tenantPolicies } from './rls.ts';
import { SEARCH_LANGUAGES, VISIBILITIES } from './enums.ts';

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
    /** Attachments (their metadata; the bytes live at their url) are archived this many days after they arrived; null: never. */
    retentionAttachmentsDays: p.integer().nullable().default(90),
    /** The text search configuration (stemming) of the tenant's messages from now on. */
    searchLanguage: p.enum(SEARCH_LANGUAGES).default('english'),
    /** The visibility an inbox gets when its creator names none. */
    defaultInboxVisibility: p.enum(VISIBILITIES).default('metadata'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  // Tenant-scoped work sees its own tenant's row only.
  policies: tenantPolicies('id'),
});
export class Tenant extends TenantSchema.class {}
TenantSchema.setClass(Tenant);
export type TenantRow = InferEntity<typeof Tenant>;
