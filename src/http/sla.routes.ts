// GET /v1/sla/breaches: what a supervisor dashboard shows when it connects.
import type { FastifyInstance } from 'fastify';
import { breachesQuerySchema, listBreaches } from '../../sla/breaches.ts';
import { callContext, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { breachSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

export function slaRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/sla/breaches', doc({
    tags: ['sla'], summary: 'SLA breaches, newest first; `active=true`: only those still running (clock not met, conversation not resolved)', access: 'agent+',
    querystring: breachesQuerySchema, response: { 200: z.object({ breaches: z.array(breachSchema) }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { breaches: await listBreaches(em, principal.tenantId, breachesQuerySchema.parse(request.query)) };
  });
}
