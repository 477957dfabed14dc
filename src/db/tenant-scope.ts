// EntityManager forks: one per request, event or tick, with the tenant filter bound to the principal.
import type { EntityManager, MikroORM } from '@mikro-orm/core';

/** A fork that can only see and write the given tenant's rows. */
export function tenantEm(orm: MikroORM, tenantId: string): EntityManager {
  const em = orm.em.fork();
  em.setFilterParams('tenant', { tenantId });
  return em;
}

/** A fork for work that spans tenants (bootstrap, credential lookup): every query must say `filters: false`. */
export function systemEm(orm: MikroORM): EntityManager {
  return orm.em.fork();
}

/** A fresh fork of `em` (its own identity map) for the same tenant. */
export function tenantFork(em: EntityManager, tenantId: string): EntityManager {
  const fork = em.fork();
  fork.setFilterParams('tenant', { tenantId });
  return fork;
}
