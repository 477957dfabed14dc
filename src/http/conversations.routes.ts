// Conversations over HTTP: create, list, read, change status, and their messages.
import type { FastifyInstance } from 'fastify';
import { changeStatus, createConversation, getConversation, listConversations } from '../conversations/conversations.service.ts';
import { createConversationSchema, listConversationsSchema, statusChangeSchema } from '../conversations/conversations.schemas.ts';
import { toConversationDto } from '../conversations/conversation.mapper.ts';
import { assignConversation, assignmentHistory, assignSchema } from '../assignment/assign.service.ts';
import { messagesAfter } from '../messages/history.service.ts';
import { historyQuerySchema, postMessageSchema } from '../messages/messages.schemas.ts';
import { messageFrom } from '../messages/send.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';

export function conversationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/conversations', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+', 'bot']);
    const conversation = await createConversation(em, deps.bus, deps.routing, principal, createConversationSchema.parse(request.body));
    return reply.status(201).send({ conversation });
  });

  app.get('/v1/conversations', async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    return listConversations(em, listConversationsSchema.parse(request.query));
  });

  app.get('/v1/conversations/:id', async (request) => {
    const { em } = await callContext(deps, request, ['agent+', 'bot']);
    return { conversation: toConversationDto(await getConversation(em, idParam(request, 'conversation'))) };
  });

  app.get('/v1/conversations/:id/messages', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+', 'bot']);
    const id = idParam(request, 'conversation');
    const query = historyQuerySchema.parse(request.query);
    const conversation = await getConversation(em, id);
    return messagesAfter(em, conversation, query.afterSeq, query.limit, principal.kind !== 'bot');
  });

  app.post('/v1/conversations/:id/messages', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+', 'bot']);
    const id = idParam(request, 'conversation');
    const input = postMessageSchema.parse(request.body);
    const result = await deps.messages.send(em, messageFrom(principal, id, input));
    return reply.status(result.duplicate ? 200 : 201).send({ message: result.message });
  });

  app.post('/v1/conversations/:id/assign', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+', 'bot']);
    const id = idParam(request, 'conversation');
    return { conversation: await assignConversation(em, deps.bus, deps.routing, principal, id, assignSchema.parse(request.body)) };
  });

  app.get('/v1/conversations/:id/assignments', async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    return { assignments: await assignmentHistory(em, idParam(request, 'conversation')) };
  });

  app.post('/v1/conversations/:id/status', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+', 'bot']);
    const id = idParam(request, 'conversation');
    return { conversation: await changeStatus(em, deps.bus, deps.routing, principal, id, statusChangeSchema.parse(request.body)) };
  });
}
