// Macros: shared ones and the caller's own; running one does its actions on a conversation.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createMacro, createMacroSchema, deleteMacro, getMacro, listMacros, runMacro, runMacroSchema, updateMacro, updateMacroSchema,
} from '../features/macros/macros.service.ts';
import { actionResultSchema, conversationSchema, macroSchema } from '../contract/schemas.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });
const answer = z.object({ macro: macroSchema }).strict();

export function macroRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/macros', doc({
    tags: ['agent tools'], summary: 'Create a macro: a named list of actions (shared with the tenant, or one\'s own)', access: 'agent+ (shared: supervisor+)',
    body: createMacroSchema, response: { 201: answer },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return reply.status(201).send({ macro: await createMacro(em, principal, createMacroSchema.parse(request.body)) });
  });

  app.get('/v1/macros', doc({ tags: ['agent tools'], summary: 'Shared macros and the caller\'s own, by name', access: 'agent+', response: { 200: z.object({ macros: z.array(macroSchema) }).strict() } }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { macros: await listMacros(em, principal) };
  });

  app.get('/v1/macros/:id', doc({ tags: ['agent tools'], summary: 'One macro', access: 'agent+', params: idParams, response: { 200: answer } }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { macro: await getMacro(em, principal, idParam(request, 'macro')) };
  });

  app.patch('/v1/macros/:id', doc({
    tags: ['agent tools'], summary: 'Change a macro', access: 'its owner, or supervisor+ for shared ones', params: idParams, body: updateMacroSchema, response: { 200: answer },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { macro: await updateMacro(em, principal, idParam(request, 'macro'), updateMacroSchema.parse(request.body)) };
  });

  app.delete('/v1/macros/:id', doc({ tags: ['agent tools'], summary: 'Delete a macro', access: 'its owner, or supervisor+ for shared ones', params: idParams, response: { 204: null } }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    await deleteMacro(em, principal, idParam(request, 'macro'));
    return reply.status(204).send();
  });

  app.post('/v1/macros/:id/run', doc({
    tags: ['agent tools'], summary: 'Run a macro on a conversation: its actions in order, as the caller; each action\'s outcome, and the conversation after',
    description: 'A failing action (FORBIDDEN for the caller\'s role, NOT_FOUND for a tag gone since) is reported in `results`; the others still run.',
    access: 'agent+', params: idParams, body: runMacroSchema,
    response: { 200: z.object({ results: z.array(actionResultSchema), conversation: conversationSchema }).strict() },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['agent+']);
    return runMacro(ctx, deps, idParam(request, 'macro'), runMacroSchema.parse(request.body).conversationId);
  });
}
