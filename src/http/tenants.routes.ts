// POST /v1/tenants: bootstrap a tenant and its first admin, guarded by the admin key; a tenant's own settings.
import type { FastifyInstance } from 'fastify';
import { adminKeyMatches } from '../platform/auth/admin-key.ts';
import { systemEm } from '../platform/db/tenant-scope.ts';
import { AppError } from '../platform/errors.ts';
import { createTenant, createTenantSchema, getTenant, toTenantDto, updateTenant, updateTenantSchema } from '../core/tenants/tenants.service.ts';
import { toUserDto } from '../core/users/users.service.ts';
import { callContext, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { tenantSchema, userSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

export function tenantRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/tenants', doc({
    tags: ['tenants'], summary: 'Create a tenant and its first admin', access: 'the operator, with ADMIN_KEY', security: 'admin-key',
    body: createTenantSchema, response: { 201: z.object({ tenant: tenantSchema, admin: z.object({ user: userSchema, token: z.string() }).strict() }).strict() },
  }), async (request, reply) => {
    const key = request.headers['x-admin-key'];
    if (!adminKeyMatches(typeof key === 'string' ? key : undefined, deps.config.ADMIN_KEY)) {
      throw AppError.unauthorized('missing or wrong x-admin-key');
    }
    const input = createTenantSchema.parse(request.body);
    const { tenant, admin, token } = await createTenant(systemEm(deps.orm), deps.tokens, input);
    request.log.info({ tenantId: tenant.id }, 'tenant created');
    return reply.status(201).send({ tenant: toTenantDto(tenant), admin: { user: toUserDto(admin, 'offline'), token } });
  });

  app.get('/v1/tenant', doc({
    tags: ['tenants'], summary: 'The caller\'s tenant and its settings', access: 'agent+', response: { 200: z.object({ tenant: tenantSchema }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { tenant: toTenantDto(await getTenant(em, principal.tenantId)) };
  });

  app.patch('/v1/tenant', doc({
    tags: ['tenants'], summary: 'Change the tenant\'s name or settings (remoteImages)', access: 'admin',
    body: updateTenantSchema, response: { 200: z.object({ tenant: tenantSchema }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    return { tenant: toTenantDto(await updateTenant(em, principal.tenantId, updateTenantSchema.parse(request.body))) };
  });
}
