// Grants on masked threads, and pinned internal notes.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getConversation } from '../conversations/conversations.service.ts';
import { AppError } from '../errors.ts';
import { pinnedNotes, setPinned } from '../messages/pins.service.ts';
import { grantAccess, grantSchema, listGrants, revokeAccess } from '../visibility/grants.service.ts';
import { isUuid } from '../util/uuid.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';

const userIdParam = z.object({ id: z.string(), userId: z.string() });

export function grantRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/conversations/:id/grants', async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { grants: await listGrants(em, idParam(request, 'conversation')) };
  });

  app.post('/v1/conversations/:id/grants', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const { userId } = grantSchema.parse(request.body);
    return reply.status(201).send({ grant: await grantAccess(em, deps.bus, principal, idParam(request, 'conversation'), userId) });
  });

  app.delete('/v1/conversations/:id/grants/:userId', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const id = idParam(request, 'conversation');
    const { userId } = userIdParam.parse(request.params);
    if (!isUuid(userId)) throw AppError.notFound('grant');
    await revokeAccess(em, deps.bus, principal, id, userId.toLowerCase());
    return reply.status(204).send();
  });

  app.get('/v1/conversations/:id/pins', async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    const id = idParam(request, 'conversation');
    await getConversation(em, id);
    return { messages: await pinnedNotes(em, id) };
  });

  for (const [method, pinned] of [['post', true], ['delete', false]] as const) {
    app[method]('/v1/messages/:id/pin', async (request) => {
      const { principal, em } = await callContext(deps, request, ['agent+']);
      return { message: await setPinned(em, deps.bus, principal, idParam(request, 'message'), pinned) };
    });
  }
}
