// Tenant bootstrap: a tenant and its first admin, in one transaction.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Tenant, User } from '../../../entities/index.ts';
import type { TokenService } from '../../platform/auth/tokens.ts';
import type { TenantDto } from '../../contract/dto.ts';
import { nameSchema } from '../../platform/text/display-name.ts';

export const createTenantSchema = z.object({
  name: nameSchema(200),
  adminName: nameSchema(200).optional(),
  adminEmail: z.string().trim().toLowerCase().email().max(320).optional(),
}).strict();

export type CreateTenantInput = z.infer<typeof createTenantSchema>;

export const updateTenantSchema = z.object({
  name: nameSchema(200).optional(),
  remoteImages: z.boolean().optional(),
  /** Days after resolution before done conversations move to the archive; null turns retention off. */
  retentionConversationsDays: z.number().int().min(1).max(36_500).nullable().optional(),
}).strict();

export function toTenantDto(tenant: Tenant): TenantDto {
  return {
    id: tenant.id, name: tenant.name, remoteImages: tenant.remoteImages, retentionConversationsDays: tenant.retentionConversationsDays ?? null,
    createdAt: tenant.createdAt.toISOString(),
  };
}

/** The caller's own tenant (a tenant-scoped fork sees no other). */
export async function getTenant(em: EntityManager, tenantId: string): Promise<Tenant> {
  return em.findOneOrFail(Tenant, { id: tenantId });
}

export async function updateTenant(em: EntityManager, tenantId: string, input: z.infer<typeof updateTenantSchema>): Promise<Tenant> {
  const tenant = await getTenant(em, tenantId);
  em.assign(tenant, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.remoteImages !== undefined && { remoteImages: input.remoteImages }),
    ...(input.retentionConversationsDays !== undefined && { retentionConversationsDays: input.retentionConversationsDays }),
  });
  await em.flush();
  return tenant;
}

export async function createTenant(
  em: EntityManager, tokens: TokenService, input: CreateTenantInput,
): Promise<{ tenant: Tenant; admin: User; token: string }> {
  const { tenant, admin } = await em.transactional(async (tx) => {
    const tenant = tx.create(Tenant, { name: input.name });
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
