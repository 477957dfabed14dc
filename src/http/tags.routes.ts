// Tags: supervisors and admins manage them; agents put them on conversations and take them off.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createTag, createTagSchema, deleteTag, listTags, tagConversation, tagRefSchema, tagsOf, untagConversation, updateTag, updateTagSchema,
} from '../core/tags/tags.service.ts';
import { getConversation } from '../core/conversations/conversations.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { tagSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });


export function tagRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/tags', doc({ tags: ['tags'], summary: 'Create a tag', access: 'supervisor+', body: createTagSchema, response: { 201: z.object({ tag: tagSchema }).strict() } }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    return reply.status(201).send({ tag: await createTag(em, principal, createTagSchema.parse(request.body)) });
  });

  app.get('/v1/tags', doc({ tags: ['tags'], summary: 'The tenant\'s tags', access: 'agent+, bot', response: { 200: z.object({ tags: z.array(tagSchema) }).strict() } }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    return { tags: await listTags(em) };
  });

  app.patch('/v1/tags/:id', doc({ tags: ['tags'], summary: 'Change a tag', access: 'supervisor+', params: idParams, body: updateTagSchema, response: { 200: z.object({ tag: tagSchema }).strict() } }), async (request) => {
    const { em } = await callContext(deps, request, ['supervisor+']);
    return { tag: await updateTag(em, idParam(request, 'tag'), updateTagSchema.parse(request.body)) };
  });

  app.delete('/v1/tags/:id', doc({ tags: ['tags'], summary: 'Delete a tag (it leaves every conversation)', access: 'supervisor+', params: idParams, response: { 204: null } }), async (request, reply) => {
    await deleteTag(await callContext(deps, request, ['supervisor+']), idParam(request, 'tag'));
    return reply.status(204).send();
  });

  app.get('/v1/conversations/:id/tags', doc({ tags: ['tags'], summary: 'A conversation\'s tags', access: 'agent+, bot', params: idParams, response: { 200: z.object({ tags: z.array(tagSchema) }).strict() } }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    const id = idParam(request, 'conversation');
    await getConversation(em, id);
    return { tags: await tagsOf(em, id) };
  });

  app.post('/v1/conversations/:id/tags', doc({
    tags: ['tags'], summary: 'Tag a conversation (answers its tags; conversation:tagged goes live)', access: 'agent+, bot', params: idParams, body: tagRefSchema,
    response: { 200: z.object({ tags: z.array(tagSchema) }).strict() },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['agent+', 'bot']);
    const { tagId } = tagRefSchema.parse(request.body);
    return { tags: await tagConversation(ctx, idParam(request, 'conversation'), tagId) };
  });

  app.delete('/v1/conversations/:id/tags/:tagId', doc({
    tags: ['tags'], summary: 'Take a tag off a conversation', access: 'agent+, bot', params: z.object({ id: z.uuid(), tagId: z.uuid() }), response: { 200: z.object({ tags: z.array(tagSchema) }).strict() },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['agent+', 'bot']);
    const id = idParam(request, 'conversation');
    return { tags: await untagConversation(ctx, id, idParam(request, 'tag', 'tagId')) };
  });
}
