// Inboxes: create (answering the webhook secret once), list, read, and set members.
import type { FastifyInstance } from 'fastify';
import { createInboxSchema, setMembersSchema, updateInboxSchema } from '../core/inboxes/inboxes.schemas.ts';
import { createInbox, getInbox, listInboxes, memberIdsOf, rotateSecret, toInboxDto, updateInbox } from '../core/inboxes/inboxes.service.ts';
import { changeMembers } from '../core/inboxes/membership.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { inboxSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });
const withSecret = z.object({ inbox: inboxSchema, webhookSecret: z.string().describe('signs the inbound webhook and status reports') }).strict();

export function inboxRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/inboxes', doc({
    tags: ['inboxes'], summary: 'Create an inbox (a channel\'s entry point); answers its webhook secret', access: 'admin',
    body: createInboxSchema, response: { 201: withSecret },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const { inbox, memberIds } = await createInbox(em, deps.bus, principal, createInboxSchema.parse(request.body));
    return reply.status(201).send({ inbox: toInboxDto(inbox, memberIds), webhookSecret: inbox.webhookSecret });
  });

  app.get('/v1/inboxes', doc({
    tags: ['inboxes'], summary: 'The tenant\'s inboxes', access: 'agent+', response: { 200: z.object({ inboxes: z.array(inboxSchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    return { inboxes: await listInboxes(em) };
  });

  app.get('/v1/inboxes/:id', doc({
    tags: ['inboxes'], summary: 'One inbox', access: 'agent+, bot', params: idParams, response: { 200: z.object({ inbox: inboxSchema }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    const inbox = await getInbox(em, idParam(request, 'inbox'));
    return { inbox: toInboxDto(inbox, await memberIdsOf(em, inbox.id)) };
  });

  app.patch('/v1/inboxes/:id', doc({
    tags: ['inboxes'], summary: 'Change an inbox\'s name, auto-assignment and routing settings', access: 'admin',
    params: idParams, body: updateInboxSchema, response: { 200: z.object({ inbox: inboxSchema }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const { inbox, memberIds } = await updateInbox(em, idParam(request, 'inbox'), updateInboxSchema.parse(request.body));
    // New settings (auto-assignment on, a lighter weight, a shorter wrap-up) may let waiting work move.
    await deps.routing.drainInbox(principal.tenantId, inbox.id);
    return { inbox: toInboxDto(inbox, memberIds) };
  });

  app.put('/v1/inboxes/:id/members', doc({
    tags: ['inboxes'], summary: 'Replace the members, in round-robin order', access: 'admin', params: idParams, body: setMembersSchema,
    response: { 200: z.object({ inbox: inboxSchema }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const id = idParam(request, 'inbox');
    const { memberIds } = setMembersSchema.parse(request.body);
    const result = await changeMembers(em, deps.bus, deps.routing, principal, id, memberIds);
    return { inbox: toInboxDto(result.inbox, result.memberIds) };
  });

  app.get('/v1/inboxes/:id/secret', doc({
    tags: ['inboxes'], summary: 'The inbox\'s webhook secret, for a channel set up again', access: 'admin', params: idParams, response: { 200: withSecret },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    const inbox = await getInbox(em, idParam(request, 'inbox'));
    return { inbox: toInboxDto(inbox, await memberIdsOf(em, inbox.id)), webhookSecret: inbox.webhookSecret };
  });

  app.post('/v1/inboxes/:id/secret', doc({
    tags: ['inboxes'], summary: 'A new webhook secret for the inbox; the old one stops working at once', access: 'admin', params: idParams,
    response: { 200: withSecret },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    const inbox = await rotateSecret(em, idParam(request, 'inbox'));
    return { inbox: toInboxDto(inbox, await memberIdsOf(em, inbox.id)), webhookSecret: inbox.webhookSecret };
  });
}
