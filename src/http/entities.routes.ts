// Any CRM record's conversations and timeline.
import type { FastifyInstance } from 'fastify';
import { entityConversations, entityParamsSchema, entityTimeline, pageQuerySchema } from '../features/crm/entity-threads.ts';
import { callContext, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { activitySchema, conversationSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

export function entityRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/entities/:type/:id/conversations', doc({
    tags: ['crm'], summary: 'A CRM record\'s conversations (a contact\'s and a company\'s include their people\'s), newest activity first', access: 'agent+',
    params: entityParamsSchema, querystring: pageQuerySchema,
    response: { 200: z.object({ conversations: z.array(conversationSchema), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const entity = entityParamsSchema.parse(request.params);
    return entityConversations(em, principal.tenantId, entity, pageQuerySchema.parse(request.query));
  });

  app.get('/v1/entities/:type/:id/timeline', doc({
    tags: ['crm'], summary: 'A CRM record\'s timeline: its threads\' events and messages, newest first', access: 'agent+',
    params: entityParamsSchema, querystring: pageQuerySchema,
    response: { 200: z.object({ activities: z.array(activitySchema), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const entity = entityParamsSchema.parse(request.params);
    return entityTimeline(em, principal.tenantId, entity, pageQuerySchema.parse(request.query));
  });
}
