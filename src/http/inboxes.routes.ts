// Inboxes: create (answering the webhook secret once), list, read, and set members.
import type { FastifyInstance } from 'fastify';
import { createInboxSchema, setMembersSchema, updateInboxSchema } from '../inboxes/inboxes.schemas.ts';
import { createInbox, getInbox, listInboxes, memberIdsOf, toInboxDto, updateInbox } from '../inboxes/inboxes.service.ts';
import { changeMembers } from '../inboxes/membership.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';

export function inboxRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/inboxes', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const { inbox, memberIds } = await createInbox(em, deps.bus, principal, createInboxSchema.parse(request.body));
    return reply.status(201).send({ inbox: toInboxDto(inbox, memberIds), webhookSecret: inbox.webhookSecret });
  });

  app.get('/v1/inboxes', async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    return { inboxes: await listInboxes(em) };
  });

  app.get('/v1/inboxes/:id', async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    const inbox = await getInbox(em, idParam(request, 'inbox'));
    return { inbox: toInboxDto(inbox, await memberIdsOf(em, inbox.id)) };
  });

  app.patch('/v1/inboxes/:id', async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const { inbox, memberIds } = await updateInbox(em, idParam(request, 'inbox'), updateInboxSchema.parse(request.body));
    // New settings (auto-assignment on, a lighter weight, a shorter wrap-up) may let waiting work move.
    await deps.routing.drainInbox(principal.tenantId, inbox.id);
    return { inbox: toInboxDto(inbox, memberIds) };
  });

  app.put('/v1/inboxes/:id/members', async (request) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const id = idParam(request, 'inbox');
    const { memberIds } = setMembersSchema.parse(request.body);
    const result = await changeMembers(em, deps.bus, deps.routing, principal, id, memberIds);
    return { inbox: toInboxDto(result.inbox, result.memberIds) };
  });
}
