// Automated replies: supervisors and admins manage the rules.
import type { FastifyInstance } from 'fastify';
import {
  createReply, createReplySchema, deleteReply, listReplies, updateReply, updateReplySchema,
} from '../features/automation/automated-replies.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { automatedReplySchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });

export function automatedReplyRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/automated-replies', doc({
    tags: ['automation'], summary: 'Create an automated reply (keyword, greeting, away)', access: 'admin', body: createReplySchema, response: { 201: z.object({ automatedReply: automatedReplySchema }).strict() },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    return reply.status(201).send({ automatedReply: await createReply(em, principal, createReplySchema.parse(request.body)) });
  });

  app.get('/v1/automated-replies', doc({
    tags: ['automation'], summary: 'The tenant\'s automated replies', access: 'supervisor+', response: { 200: z.object({ automatedReplies: z.array(automatedReplySchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { automatedReplies: await listReplies(em) };
  });

  app.patch('/v1/automated-replies/:id', doc({ tags: ['automation'], summary: 'Change an automated reply', access: 'admin', params: idParams, body: updateReplySchema, response: { 200: z.object({ automatedReply: automatedReplySchema }).strict() } }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { automatedReply: await updateReply(em, idParam(request, 'automated reply'), updateReplySchema.parse(request.body)) };
  });

  app.delete('/v1/automated-replies/:id', doc({ tags: ['automation'], summary: 'Delete an automated reply', access: 'admin', params: idParams, response: { 204: null } }), async (request, reply) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    await deleteReply(em, idParam(request, 'automated reply'));
    return reply.status(204).send();
  });
}
