// Tenant bootstrap: a tenant and its first admin, in one transaction.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Tenant, User } from '../../entities/index.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { TenantDto } from '../contract/dto.ts';

export const createTenantSchema = z.object({
  name: z.string().trim().min(1).max(200),
  adminName: z.string().trim().min(1).max(200).optional(),
  adminEmail: z.string().trim().toLowerCase().email().max(320).optional(),
}).strict();

export type CreateTenantInput = z.infer<typeof createTenantSchema>;

export function toTenantDto(tenant: Tenant): TenantDto {
  return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString() };
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
