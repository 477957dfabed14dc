// Canned responses: shared ones and the caller's own, searched by shortcut prefix.
import type { FastifyInstance } from 'fastify';
import {
  createCanned, createCannedSchema, deleteCanned, getCanned, searchCanned, searchCannedSchema, updateCanned, updateCannedSchema,
} from '../features/canned/canned-responses.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { cannedResponseSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });

export function cannedResponseRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/canned-responses', doc({
    tags: ['agent tools'], summary: 'Create a canned response (shared with the tenant, or one\'s own)', access: 'agent+ (shared: supervisor+)', body: createCannedSchema, response: { 201: z.object({ cannedResponse: cannedResponseSchema }).strict() },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return reply.status(201).send({ cannedResponse: await createCanned(em, principal, createCannedSchema.parse(request.body)) });
  });

  app.get('/v1/canned-responses', doc({
    tags: ['agent tools'], summary: 'Search canned responses by shortcut prefix or text', access: 'agent+', querystring: searchCannedSchema,
    response: { 200: z.object({ cannedResponses: z.array(cannedResponseSchema) }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { cannedResponses: await searchCanned(em, principal, searchCannedSchema.parse(request.query)) };
  });

  app.get('/v1/canned-responses/:id', doc({ tags: ['agent tools'], summary: 'One canned response', access: 'agent+', params: idParams, response: { 200: z.object({ cannedResponse: cannedResponseSchema }).strict() } }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { cannedResponse: await getCanned(em, principal, idParam(request, 'canned response')) };
  });

  app.patch('/v1/canned-responses/:id', doc({
    tags: ['agent tools'], summary: 'Change a canned response', access: 'its owner, or supervisor+ for shared ones', params: idParams, body: updateCannedSchema, response: { 200: z.object({ cannedResponse: cannedResponseSchema }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const id = idParam(request, 'canned response');
    return { cannedResponse: await updateCanned(em, principal, id, updateCannedSchema.parse(request.body)) };
  });

  app.delete('/v1/canned-responses/:id', doc({ tags: ['agent tools'], summary: 'Delete a canned response', access: 'its owner, or supervisor+ for shared ones', params: idParams, response: { 204: null } }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    await deleteCanned(em, principal, idParam(request, 'canned response'));
    return reply.status(204).send();
  });
}
