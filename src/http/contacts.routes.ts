// Contacts: create with identities, read.
import type { FastifyInstance } from 'fastify';
import { createContact, createContactSchema, getContact } from '../core/contacts/contacts.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { contactSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

export function contactRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/contacts', doc({
    tags: ['contacts'], summary: 'Create a contact, with its channel identities', access: 'agent+',
    body: createContactSchema, response: { 201: z.object({ contact: contactSchema }).strict() },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const contact = await createContact(em, principal, createContactSchema.parse(request.body));
    return reply.status(201).send({ contact });
  });

  app.get('/v1/contacts/:id', doc({
    tags: ['contacts'], summary: 'One contact', access: 'agent+, bot', params: z.object({ id: z.uuid() }), response: { 200: z.object({ contact: contactSchema }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    return { contact: await getContact(em, idParam(request, 'contact')) };
  });
}
