// GET /v1/queue: the live queue for supervisors (the same payload as the queue:updated event).
import type { FastifyInstance } from 'fastify';
import { callContext, type HttpDeps } from './context.ts';
import { queueSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

export function queueRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/queue', doc({
    tags: ['routing'], summary: 'The live queue: per inbox, who waits (and how long, SLA risk) and the agents (presence, load, wrap-up)', access: 'supervisor+',
    response: { 200: queueSchema },
  }), async (request) => {
    const { principal } = await callContext(deps, request, ['supervisor+']);
    return deps.routing.queue(principal.tenantId);
  });
}
