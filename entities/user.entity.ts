// People (admin, supervisor, agent) and bots of a tenant.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';
import { PRESENCE_STATUSES, ROLES } from './enums.ts';

export const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(200),
    email: p.string().length(320).nullable(),
    role: p.enum(ROLES),
    /** Concurrent open or pending conversations; null means unlimited. */
    capacity: p.integer().nullable(),
    /** What the user asked to be shown as while connected. */
    presencePreference: p.enum(PRESENCE_STATUSES).default('online'),
    /** The last presence announced and when: how long an assignee has been away (routing's grace period). */
    presence: p.enum(PRESENCE_STATUSES).default('offline'),
    presenceChangedAt: p.datetime().nullable(),
    /** Free tags round robin matches against conversations' required skills; languages likewise. */
    skills: p.json<string[]>().defaultRaw(`'[]'`),
    /** Notification kinds this person turned off (every kind is on unless listed). */
    mutedNotifications: p.json<string[]>().defaultRaw(`'[]'`),
    languages: p.json<string[]>().defaultRaw(`'[]'`),
    active: p.boolean().default(true),
    /** Person tokens issued before this instant are refused (revoking a user's sessions). */
    tokensRevokedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'users_tenant_email_unique', properties: ['tenant', 'email'] }],
  indexes: [{ name: 'users_tenant_role_index', properties: ['tenant', 'role'] }],
  checks: [{ name: 'users_capacity_check', expression: 'capacity is null or capacity >= 0' }],
  ...tenantScoped,
});
export class User extends UserSchema.class {}
UserSchema.setClass(User);
