// Automated replies: supervisors and admins manage the rules.
import type { FastifyInstance } from 'fastify';
import {
  createReply, createReplySchema, deleteReply, listReplies, updateReply, updateReplySchema,
} from '../automation/automated-replies.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';

export function automatedReplyRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/automated-replies', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    return reply.status(201).send({ automatedReply: await createReply(em, principal, createReplySchema.parse(request.body)) });
  });

  app.get('/v1/automated-replies', async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { automatedReplies: await listReplies(em) };
  });

  app.patch('/v1/automated-replies/:id', async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { automatedReply: await updateReply(em, idParam(request, 'automated reply'), updateReplySchema.parse(request.body)) };
  });

  app.delete('/v1/automated-replies/:id', async (request, reply) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    await deleteReply(em, idParam(request, 'automated reply'));
    return reply.status(204).send();
  });
}
