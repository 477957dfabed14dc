// Custom attribute definitions: admins define them; everyone reads them (to show and fill in the values).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createAttribute, createAttributeSchema, deleteAttribute, listAttributes, listAttributesSchema, updateAttribute, updateAttributeSchema,
} from '../core/attributes/attributes.service.ts';
import { attributeDefinitionSchema } from '../contract/schemas.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });
const answer = z.object({ attribute: attributeDefinitionSchema }).strict();

export function attributeRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/custom-attributes', doc({
    tags: ['custom attributes'], summary: 'Define a custom attribute of contacts or conversations (text, number, date, list, checkbox)', access: 'admin',
    body: createAttributeSchema, response: { 201: answer },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    return reply.status(201).send({ attribute: await createAttribute(em, principal, createAttributeSchema.parse(request.body)) });
  });

  app.get('/v1/custom-attributes', doc({
    tags: ['custom attributes'], summary: 'The definitions, of contacts or of conversations or both', access: 'agent+, bot', querystring: listAttributesSchema,
    response: { 200: z.object({ attributes: z.array(attributeDefinitionSchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    return { attributes: await listAttributes(em, listAttributesSchema.parse(request.query).appliesTo) };
  });

  app.patch('/v1/custom-attributes/:id', doc({
    tags: ['custom attributes'], summary: 'Change a label or a list\'s options (the key, subject and type are fixed)', access: 'admin', params: idParams,
    body: updateAttributeSchema, response: { 200: answer },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    return { attribute: await updateAttribute(em, idParam(request, 'attribute'), updateAttributeSchema.parse(request.body)) };
  });

  app.delete('/v1/custom-attributes/:id', doc({
    tags: ['custom attributes'], summary: 'Delete a definition (values already stored stay on their records)', access: 'admin', params: idParams, response: { 204: null },
  }), async (request, reply) => {
    const { em } = await callContext(deps, request, ['admin']);
    await deleteAttribute(em, idParam(request, 'attribute'));
    return reply.status(204).send();
  });
}
