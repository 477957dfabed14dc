// Any CRM record's conversations and timeline.
import type { FastifyInstance } from 'fastify';
import { entityConversations, entityParamsSchema, entityTimeline, pageQuerySchema } from '../crm/entity-threads.ts';
import { callContext, type HttpDeps } from './context.ts';

export function entityRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/entities/:type/:id/conversations', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const entity = entityParamsSchema.parse(request.params);
    return entityConversations(em, principal.tenantId, entity, pageQuerySchema.parse(request.query));
  });

  app.get('/v1/entities/:type/:id/timeline', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const entity = entityParamsSchema.parse(request.params);
    return entityTimeline(em, principal.tenantId, entity, pageQuerySchema.parse(request.query));
  });
}
