// GET /v1/queue: the live queue for supervisors (the same payload as the queue:updated event).
import type { FastifyInstance } from 'fastify';
import { liveQueue } from '../assignment/queue.ts';
import { callContext, type HttpDeps } from './context.ts';

export function queueRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/queue', async (request) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    return liveQueue(em, deps.presence, principal.tenantId);
  });
}
