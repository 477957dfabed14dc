// POST /v1/tenants: bootstrap a tenant and its first admin, guarded by the admin key; a tenant's own settings.
import type { FastifyInstance } from 'fastify';
import { adminKeyMatches } from '../auth/admin-key.ts';
import { systemEm } from '../db/tenant-scope.ts';
import { AppError } from '../errors.ts';
import { createTenant, createTenantSchema, getTenant, toTenantDto, updateTenant, updateTenantSchema } from '../tenants/tenants.service.ts';
import { toUserDto } from '../users/users.service.ts';
import { callContext, type HttpDeps } from './context.ts';

export function tenantRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/tenants', async (request, reply) => {
    const key = request.headers['x-admin-key'];
    if (!adminKeyMatches(typeof key === 'string' ? key : undefined, deps.config.ADMIN_KEY)) {
      throw AppError.unauthorized('missing or wrong x-admin-key');
    }
    const input = createTenantSchema.parse(request.body);
    const { tenant, admin, token } = await createTenant(systemEm(deps.orm), deps.tokens, input);
    request.log.info({ tenantId: tenant.id }, 'tenant created');
    return reply.status(201).send({ tenant: toTenantDto(tenant), admin: { user: toUserDto(admin, 'offline'), token } });
  });

  app.get('/v1/tenant', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { tenant: toTenantDto(await getTenant(em, principal.tenantId)) };
  });

  app.patch('/v1/tenant', async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    return { tenant: toTenantDto(await updateTenant(em, principal.tenantId, updateTenantSchema.parse(request.body))) };
  });
}
