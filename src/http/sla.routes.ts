// GET /v1/sla/breaches: what a supervisor dashboard shows when it connects.
import type { FastifyInstance } from 'fastify';
import { breachesQuerySchema, listBreaches } from '../../sla/breaches.ts';
import { callContext, type HttpDeps } from './context.ts';

export function slaRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/sla/breaches', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { breaches: await listBreaches(em, principal.tenantId, breachesQuerySchema.parse(request.query)) };
  });
}
