// PostgreSQL row-level security: the role and the per-transaction setting that bind tenant-scoped statements.

/** Tenant-scoped work runs as this role (`set local role`); it owns no table, so the policies bind it. */
export const TENANT_ROLE = 'switchboard_tenant';
/** Names, per transaction (`set_config(…, true)`), the tenant whose rows a statement may read and write. */
export const TENANT_SETTING = 'app.tenant_id';

/** Names, per transaction, the role of the person or bot a tenant-scoped statement runs for. */
export const USER_ROLE_SETTING = 'app.user_role';

/** Unset or empty → NULL → no row matches: a statement run for no tenant sees and writes nothing. */
const currentTenant = `nullif(current_setting('${TENANT_SETTING}', true), '')::uuid`;

/**
 * One policy for reads and writes: a query that forgets its `tenant_id = ?` still returns nothing of another
 * tenant, and a write naming another tenant fails. The login role (owner or superuser) is not bound: system
 * work (credential lookups, migrations, cross-tenant jobs) runs as that role.
 */
export function tenantPolicies(column: string) {
  const own = `${column} = ${currentTenant}`;
  return [{ name: 'tenant_isolation', using: own, check: own }];
}

/**
 * Deleting a conversation or a message is an admin's act: a restrictive policy (AND-combined with the tenant's)
 * refuses a delete run for anyone else, whatever the application asked. Cascades from an admin's delete are
 * the database's own and pass.
 */
export const ADMIN_DELETES = {
  name: 'admin_deletes', command: 'delete' as const, type: 'restrictive' as const,
  using: `current_setting('${USER_ROLE_SETTING}', true) = 'admin'`,
};
