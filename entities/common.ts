// Property builders shared by every tenant-owned table: uuid keys, the tenant column and its filter.
import { p } from '@mikro-orm/core';
import { tenantPolicies } from './rls.ts';
import { Tenant } from './tenant.entity.ts';

export const uuidKey = () => p.uuid().primary().onCreate(() => crypto.randomUUID());
export const createdAt = () => p.datetime().onCreate(() => new Date());
export const updatedAt = () => p.datetime().onCreate(() => new Date()).onUpdate(() => new Date());
/** Every tenant-owned row carries its tenant; deleting a tenant deletes its rows. */
export const tenantRef = () => () => p.manyToOne(Tenant).mapToPk().deleteRule('cascade');

/**
 * The tenant filter is on by default: a query on a tenant-owned table without the
 * `tenant` filter parameter fails loudly instead of reading across tenants.
 */
export const tenantFilter = {
  tenant: { name: 'tenant', cond: (args: { tenantId: string }) => ({ tenant: args.tenantId }), default: true },
};

/**
 * Defence in depth under the ORM filter: row-level security (entities/rls.ts) keeps tenant-scoped statements
 * to the rows of the tenant named for their transaction.
 */
export const tenantScoped = { filters: tenantFilter, policies: tenantPolicies('tenant_id') };
