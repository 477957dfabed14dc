// Tenant bootstrap: a tenant and its first admin, in one transaction.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Tenant, User } from '../../../entities/index.ts';
import type { TokenService } from '../../platform/auth/tokens.ts';
import type { TenantDto } from '../../contract/dto.ts';
import { nameSchema } from '../../platform/text/display-name.ts';
import { SEARCH_LANGUAGES, VISIBILITIES } from '../../../entities/enums.ts';

const retentionDays = z.number().int().min(1).max(36_500).nullable().optional();

/** A tenant's settings, given at creation or changed later; each left out keeps its value (or default). */
const settings = {
  remoteImages: z.boolean().optional(),
  /** Days after resolution before done conversations move to the archive; null turns retention off. */
  retentionConversationsDays: retentionDays,
  /** Days after arrival before attachments are archived; null turns it off. */
  retentionAttachmentsDays: retentionDays,
  /** What a new inbox's visibility is when its creator names none (`metadata` unless set). */
  defaultInboxVisibility: z.enum(VISIBILITIES).optional(),
  /** The stemming of messages from now on (a PostgreSQL text search configuration; `english` unless set). */
  searchLanguage: z.enum(SEARCH_LANGUAGES).optional(),
};

export const createTenantSchema = z.object({
  name: nameSchema(200),
  adminName: nameSchema(200).optional(),
  adminEmail: z.string().trim().toLowerCase().email().max(320).optional(),
  ...settings,
}).strict();

export type CreateTenantInput = z.infer<typeof createTenantSchema>;

export const updateTenantSchema = z.object({ name: nameSchema(200).optional(), ...settings }).strict();

export function toTenantDto(tenant: Tenant): TenantDto {
  return {
    id: tenant.id, name: tenant.name, remoteImages: tenant.remoteImages, retentionConversationsDays: tenant.retentionConversationsDays ?? null,
    retentionAttachmentsDays: tenant.retentionAttachmentsDays ?? null, defaultInboxVisibility: tenant.defaultInboxVisibility,
    searchLanguage: tenant.searchLanguage,
    createdAt: tenant.createdAt.toISOString(),
  };
}

/** The settings the input names (undefined ones keep the tenant's value). */
function settingsOf(input: { [K in keyof typeof settings]?: unknown }): Partial<Tenant> {
  return Object.fromEntries(Object.keys(settings).flatMap((k) => {
    const value = input[k as keyof typeof settings];
    return value === undefined ? [] : [[k, value]];
  })) as Partial<Tenant>;
}

/** The caller's own tenant (a tenant-scoped fork sees no other). */
export async function getTenant(em: EntityManager, tenantId: string): Promise<Tenant> {
  return em.findOneOrFail(Tenant, { id: tenantId });
}

export async function updateTenant(em: EntityManager, tenantId: string, input: z.infer<typeof updateTenantSchema>): Promise<Tenant> {
  const tenant = await getTenant(em, tenantId);
  em.assign(tenant, { ...(input.name !== undefined && { name: input.name }), ...settingsOf(input) });
  await em.flush();
  return tenant;
}

export async function createTenant(
  em: EntityManager, tokens: TokenService, input: CreateTenantInput,
): Promise<{ tenant: Tenant; admin: User; token: string }> {
  const { tenant, admin } = await em.transactional(async (tx) => {
    const tenant = tx.create(Tenant, { name: input.name, ...settingsOf(input) });
    const admin = tx.create(User, {
      tenant: tenant.id,
      name: input.adminName ?? 'Admin',
      email: input.adminEmail ?? null,
      role: 'admin',
    });
    await tx.flush();
    return { tenant, admin };
  });
  const token = await tokens.sign({ userId: admin.id, tenantId: tenant.id, role: 'admin' });
  return { tenant, admin, token };
}
