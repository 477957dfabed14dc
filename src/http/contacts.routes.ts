// Contacts: create with identities, read.
import type { FastifyInstance } from 'fastify';
import { createContact, createContactSchema, getContact } from '../contacts/contacts.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';

export function contactRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/contacts', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const contact = await createContact(em, principal, createContactSchema.parse(request.body));
    return reply.status(201).send({ contact });
  });

  app.get('/v1/contacts/:id', async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    return { contact: await getContact(em, idParam(request, 'contact')) };
  });
}
