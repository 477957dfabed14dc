// Contacts: create with identities, read, list and search, identities, merge.
import type { FastifyInstance } from 'fastify';
import {
  addIdentity, createContact, createContactSchema, getContact, updateContact, updateContactSchema, identityInputSchema, listContacts, listContactsSchema, listIdentities,
  mergeContacts, mergeContactsSchema,
} from '../core/contacts/contacts.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { contactSchema, identitySchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });
const identityAnswer = z.object({ identity: identitySchema }).strict();

export function contactRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/contacts', doc({
    tags: ['contacts'], summary: 'Create a contact, with its channel identities (e-mail lower-cased, phone numbers in E.164)', access: 'agent+',
    body: createContactSchema, response: { 201: z.object({ contact: contactSchema }).strict() },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const contact = await createContact(em, principal, createContactSchema.parse(request.body));
    return reply.status(201).send({ contact });
  });

  app.get('/v1/contacts', doc({
    tags: ['contacts'], summary: 'Contacts, newest first, paged by cursor; q searches names, e-mail, phone and identities\' handles', access: 'agent+',
    querystring: listContactsSchema, response: { 200: z.object({ contacts: z.array(contactSchema), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    return listContacts(em, listContactsSchema.parse(request.query));
  });

  app.get('/v1/contacts/:id', doc({
    tags: ['contacts'], summary: 'One contact (a merged one is NOT_FOUND with details.mergedInto naming the contact it was merged into)',
    access: 'agent+, bot', params: idParams, response: { 200: z.object({ contact: contactSchema }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    return { contact: await getContact(em, idParam(request, 'contact')) };
  });

  app.patch('/v1/contacts/:id', doc({
    tags: ['contacts'], summary: 'Set or remove custom attribute values (checked against the tenant\'s contact attributes; null removes one)',
    access: 'agent+, bot', params: idParams, body: updateContactSchema, response: { 200: z.object({ contact: contactSchema }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    return { contact: await updateContact(em, idParam(request, 'contact'), updateContactSchema.parse(request.body)) };
  });

  app.get('/v1/contacts/:id/identities', doc({
    tags: ['contacts'], summary: 'A contact\'s channel identities, oldest first', access: 'agent+, bot', params: idParams,
    response: { 200: z.object({ identities: z.array(identitySchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    return { identities: await listIdentities(em, idParam(request, 'contact')) };
  });

  app.post('/v1/contacts/:id/identities', doc({
    tags: ['contacts'], summary: 'Add a channel identity (201; 200 when the contact has it already; CONFLICT when another contact has it)',
    access: 'agent+', params: idParams, body: identityInputSchema, response: { 201: identityAnswer, 200: identityAnswer },
  }), async (request, reply) => {
    const ctx = await callContext(deps, request, ['agent+']);
    const { identity, added } = await addIdentity(ctx, idParam(request, 'contact'), identityInputSchema.parse(request.body));
    return reply.status(added ? 201 : 200).send({ identity });
  });

  app.post('/v1/contacts/:id/merge', doc({
    tags: ['contacts'], summary: 'Merge the source contact into this one: its identities, conversations, messages and timeline move here',
    description: 'One transaction, on the timeline of the contact kept. The source then answers NOT_FOUND with details.mergedInto.',
    access: 'supervisor+', params: idParams, body: mergeContactsSchema, response: { 200: z.object({ contact: contactSchema }).strict() },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['supervisor+']);
    const { sourceContactId } = mergeContactsSchema.parse(request.body);
    return { contact: await mergeContacts(ctx, idParam(request, 'contact'), sourceContactId.toLowerCase()) };
  });
}
