// Creating and listing SLA policies; at most one default per tenant.
import type { EntityManager } from '@mikro-orm/core';
import { SlaPolicy } from '../../../entities/index.ts';
import type { SlaPolicyDto } from '../../contract/dto.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import type { CreatePolicyInput } from '../../../sla/policy.ts';

export function toPolicyDto(policy: SlaPolicy): SlaPolicyDto {
  return {
    id: policy.id,
    name: policy.name,
    description: policy.description ?? null,
    isActive: policy.isActive,
    conditions: (policy.conditions as SlaPolicyDto['conditions']) ?? null,
    firstResponseMinutes: Number(policy.firstResponseMinutes),
    nextResponseMinutes: policy.nextResponseMinutes == null ? null : Number(policy.nextResponseMinutes),
    resolutionMinutes: Number(policy.resolutionMinutes),
    warnAtPercent: policy.warnAtPercent,
    businessHours: (policy.businessHours ?? null) as SlaPolicyDto['businessHours'],
    isDefault: policy.isDefault,
    createdAt: policy.createdAt.toISOString(),
  };
}

export async function createPolicy(em: EntityManager, principal: Principal, input: CreatePolicyInput): Promise<SlaPolicy> {
  return em.transactional(async (tx) => {
    if (input.isDefault) {
      // The partial unique index allows one default: demote the old one in the same transaction.
      await tx.nativeUpdate(SlaPolicy, { isDefault: true }, { isDefault: false });
    }
    const policy = tx.create(SlaPolicy, {
      tenant: principal.tenantId,
      name: input.name,
      description: input.description ?? null,
      isActive: input.isActive ?? true,
      conditions: input.conditions ?? null,
      firstResponseMinutes: input.firstResponseMinutes,
      nextResponseMinutes: input.nextResponseMinutes ?? null,
      resolutionMinutes: input.resolutionMinutes,
      warnAtPercent: input.warnAtPercent ?? 80,
      businessHours: input.businessHours ?? null,
      isDefault: input.isDefault ?? false,
    });
    await tx.flush();
    return policy;
  });
}

export async function listPolicies(em: EntityManager): Promise<SlaPolicy[]> {
  return em.find(SlaPolicy, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
}
