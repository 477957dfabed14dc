// The audit log: who changed a setting, a user, a role, a key, an inbox, a policy, a webhook, or deleted
// something, and when. Append-only: the database refuses to change or remove an entry, whoever asks.
import { defineEntity, p } from '@mikro-orm/core';
import { tenantScoped, tenantRef, uuidKey } from './common.ts';

export const AuditEntrySchema = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_entries',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    /** Who did it; kept as it was (a user removed later still shows by id and name). */
    actorId: p.uuid().nullable(),
    actorName: p.string().length(200),
    actorRole: p.string().length(32),
    /** What was done, e.g. `inbox.updated`, `key.revoked`, `conversation.deleted`. */
    action: p.string().length(64),
    /** What it was done to: its kind and id (a path's ids, or what a creation made). */
    targetType: p.string().length(64),
    targetId: p.string().length(255).nullable(),
    /** What was asked for (the request's fields, secrets left out). */
    details: p.json<Record<string, unknown>>().nullable(),
    occurredAt: p.datetime(),
  },
  indexes: [
    { name: 'audit_entries_tenant_time_index', expression: 'create index "audit_entries_tenant_time_index" on "audit_entries" ("tenant_id", "occurred_at" desc, "id" desc)' },
    { name: 'audit_entries_target_index', properties: ['tenant', 'targetType', 'targetId'] },
  ],
  triggers: [
    { name: 'audit_entries_append_only', timing: 'before', events: ['update', 'delete'], forEach: 'row', body: "raise exception 'audit entries are never changed or removed'; return null;" },
  ],
  ...tenantScoped,
});
export class AuditEntry extends AuditEntrySchema.class {}
AuditEntrySchema.setClass(AuditEntry);
