// EntityManager forks: one per request, event or tick, with the tenant filter bound to the principal.
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { TENANT_ROLE, TENANT_SETTING, USER_ROLE_SETTING } from '../../../entities/rls.ts';

/**
 * A fork that can only see and write the given tenant's rows: the ORM filter adds `tenant_id = ?` to its
 * queries, and every statement runs in a transaction as the tenant role with the tenant set, so row-level
 * security holds even for raw SQL that forgets the filter.
 */
export function tenantEm(orm: MikroORM, tenantId: string, userRole?: string): EntityManager {
  const em = orm.em.fork();
  bindTenant(em, tenantId, userRole);
  return em;
}

/** `userRole`: the caller's role in the tenant, which policies such as admin-only deletes read. */
function bindTenant(em: EntityManager, tenantId: string, userRole = ''): void {
  em.setFilterParams('tenant', { tenantId });
  // The role goes in as a setting (`set_config('role', …, true)` is `set local role`): one statement sets all.
  em.setSessionContext({ variables: { [TENANT_SETTING]: tenantId, [USER_ROLE_SETTING]: userRole, role: TENANT_ROLE } });
}

/** A fork for work that spans tenants (bootstrap, credential lookup): every query must say `filters: false`. */
export function systemEm(orm: MikroORM): EntityManager {
  return orm.em.fork();
}

/** A fresh fork of `em` (its own identity map) for the same tenant. */
export function tenantFork(em: EntityManager, tenantId: string): EntityManager {
  const fork = em.fork();
  bindTenant(fork, tenantId);
  return fork;
}
