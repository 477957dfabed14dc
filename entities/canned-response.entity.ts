// Saved replies agents insert by shortcut: shared with the tenant or owned by one user, optionally per channel.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';
import { User } from './user.entity.ts';

export const CannedResponseSchema = defineEntity({
  name: 'CannedResponse',
  tableName: 'canned_responses',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    shortcut: p.string().length(100),
    /** A name to show in pickers; the shortcut is what is typed. */
    title: p.string().length(200).nullable(),
    body: p.text(),
    category: p.string().length(100).nullable(),
    /** Null: shared with the whole tenant; else only its owner sees it. */
    owner: () => p.manyToOne(User).mapToPk().nullable().deleteRule('cascade'),
    /** Channels it is meant for; null means every channel. */
    channels: p.json<string[]>().nullable(),
    usageCount: p.integer().default(0),
    lastUsedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'canned_responses_tenant_shortcut_unique', properties: ['tenant', 'shortcut'] }],
  indexes: [
    // Prefix search by shortcut (`like 'abc%'`) whatever the database collation.
    { name: 'canned_responses_shortcut_prefix_index', expression: 'create index "canned_responses_shortcut_prefix_index" on "canned_responses" ("tenant_id", "shortcut" text_pattern_ops)' },
  ],
  ...tenantScoped,
});
export class CannedResponse extends CannedResponseSchema.class {}
CannedResponseSchema.setClass(CannedResponse);
