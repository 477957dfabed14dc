// Grants on masked threads, and pinned internal notes.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getConversation } from '../core/conversations/conversations.service.ts';
import { pinnedNotes, setPinned } from '../core/messages/pins.service.ts';
import { grantAccess, grantSchema, listGrants, revokeAccess } from '../core/visibility/grants.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { grantSchemaOut, messageSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });


export function grantRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/conversations/:id/grants', doc({
    tags: ['visibility'], summary: 'Who was granted a masked thread', access: 'supervisor+', params: idParams, response: { 200: z.object({ grants: z.array(grantSchemaOut) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { grants: await listGrants(em, idParam(request, 'conversation')) };
  });

  app.post('/v1/conversations/:id/grants', doc({
    tags: ['visibility'], summary: 'Let one user read a masked thread in full (granting twice answers the first grant)', access: 'supervisor+', params: idParams,
    body: grantSchema, response: { 201: z.object({ grant: grantSchemaOut }).strict() },
  }), async (request, reply) => {
    const ctx = await callContext(deps, request, ['supervisor+']);
    const { userId } = grantSchema.parse(request.body);
    return reply.status(201).send({ grant: await grantAccess(ctx, idParam(request, 'conversation'), userId) });
  });

  app.delete('/v1/conversations/:id/grants/:userId', doc({
    tags: ['visibility'], summary: 'Take a grant back', access: 'supervisor+', params: z.object({ id: z.uuid(), userId: z.uuid() }), response: { 204: null },
  }), async (request, reply) => {
    const ctx = await callContext(deps, request, ['supervisor+']);
    const id = idParam(request, 'conversation');
    await revokeAccess(ctx, id, idParam(request, 'grant', 'userId'));
    return reply.status(204).send();
  });

  app.get('/v1/conversations/:id/pins', doc({
    tags: ['messages'], summary: 'A thread\'s pinned internal notes, latest pinned first', access: 'agent+', params: idParams,
    response: { 200: z.object({ messages: z.array(messageSchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    const id = idParam(request, 'conversation');
    await getConversation(em, id);
    return { messages: await pinnedNotes(em, id) };
  });

  for (const [method, pinned] of [['post', true], ['delete', false]] as const) {
    app[method]('/v1/messages/:id/pin', doc({
      tags: ['messages'], summary: pinned ? 'Pin an internal note' : 'Unpin an internal note', access: 'agent+ who read the thread', params: idParams,
      response: { 200: z.object({ message: messageSchema }).strict() },
    }), async (request) => {
      return { message: await setPinned(await callContext(deps, request, ['agent+']), idParam(request, 'message'), pinned) };
    });
  }
}
