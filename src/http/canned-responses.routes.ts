// Canned responses: shared ones and the caller's own, searched by shortcut prefix.
import type { FastifyInstance } from 'fastify';
import {
  createCanned, createCannedSchema, deleteCanned, getCanned, searchCanned, searchCannedSchema, updateCanned, updateCannedSchema,
} from '../canned/canned-responses.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';

export function cannedResponseRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/canned-responses', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return reply.status(201).send({ cannedResponse: await createCanned(em, principal, createCannedSchema.parse(request.body)) });
  });

  app.get('/v1/canned-responses', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { cannedResponses: await searchCanned(em, principal, searchCannedSchema.parse(request.query)) };
  });

  app.get('/v1/canned-responses/:id', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { cannedResponse: await getCanned(em, principal, idParam(request, 'canned response')) };
  });

  app.patch('/v1/canned-responses/:id', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const id = idParam(request, 'canned response');
    return { cannedResponse: await updateCanned(em, principal, id, updateCannedSchema.parse(request.body)) };
  });

  app.delete('/v1/canned-responses/:id', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    await deleteCanned(em, principal, idParam(request, 'canned response'));
    return reply.status(204).send();
  });
}
