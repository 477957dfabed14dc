// Conversations over HTTP: create, list, read, change status, and their messages.
import type { FastifyInstance } from 'fastify';
import { changeStatus, listArchivedConversations, listConversations, readConversation } from '../core/conversations/conversations.service.ts';
import { pageLimit } from '../platform/util/paging.ts';
import { createConversationSchema, listConversationsSchema, statusChangeSchema } from '../core/conversations/conversations.schemas.ts';
import { assignConversation, assignmentHistory, assignSchema } from '../routing/assign.service.ts';
import { conversationHistory } from '../core/messages/history.service.ts';
import { historyQuerySchema, postMessageSchema } from '../core/messages/messages.schemas.ts';
import { messageFrom } from '../core/messages/new-message.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { assignmentSchema, conversationSchema, messageSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';
import { deleteConversation } from '../core/conversations/delete-conversation.ts';
import { deleteMessage } from '../core/messages/delete-message.ts';
import { assignTeam, teamAssignSchema } from '../routing/team-assign.service.ts';
import { updateConversation, updateConversationSchema } from '../core/conversations/update.service.ts';

const idParams = z.object({ id: z.uuid() });
const archiveQuerySchema = z.object({ limit: pageLimit(100, 50), cursor: z.string().max(200).optional() }).strict();
const messageAnswer = z.object({ message: messageSchema }).strict();

export function conversationRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/conversations', doc({
    tags: ['conversations'], summary: 'Start a conversation in an inbox (routed at once when the inbox auto-assigns)', access: 'agent+, bot',
    body: createConversationSchema, response: { 201: z.object({ conversation: conversationSchema }).strict() },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+', 'bot']);
    const conversation = await deps.conversations.create(em, principal, createConversationSchema.parse(request.body));
    return reply.status(201).send({ conversation });
  });

  app.get('/v1/conversations', doc({
    tags: ['conversations'], summary: 'Conversations, newest activity first (those without messages first), paged by cursor', access: 'agent+',
    querystring: listConversationsSchema, response: { 200: z.object({ conversations: z.array(conversationSchema), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    return listConversations(em, listConversationsSchema.parse(request.query));
  });

  app.get('/v1/conversations/:id', doc({
    tags: ['conversations'], summary: 'One conversation (masked for a non-participant of a masked inbox)', access: 'agent+, bot', params: idParams,
    response: { 200: z.object({ conversation: conversationSchema }).strict() },
  }), async (request) => {
    return { conversation: await readConversation(await callContext(deps, request, ['agent+', 'bot']), idParam(request, 'conversation')) };
  });

  app.get('/v1/conversations/:id/messages', doc({
    tags: ['messages'], summary: 'Messages after `afterSeq`, ascending seq (bots never get internal notes)', access: 'agent+, bot', params: idParams,
    querystring: historyQuerySchema, response: { 200: z.object({ messages: z.array(messageSchema), hasMore: z.boolean() }).strict() },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['agent+', 'bot']);
    const query = historyQuerySchema.parse(request.query);
    return conversationHistory(ctx, idParam(request, 'conversation'), query.afterSeq, query.limit);
  });

  app.post('/v1/conversations/:id/messages', doc({
    tags: ['messages'], summary: 'Send a message (201), or answer the original for a repeated clientMessageId of the same sender (200)',
    description: 'The same send path as the `message:send` event. Into a masked thread only those who may read it write (FORBIDDEN otherwise).',
    access: 'agent+, bot', params: idParams, body: postMessageSchema, response: { 201: messageAnswer, 200: messageAnswer },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['agent+', 'bot']);
    const id = idParam(request, 'conversation');
    const input = postMessageSchema.parse(request.body);
    const result = await deps.messages.send(em, messageFrom(principal, id, input));
    return reply.status(result.duplicate ? 200 : 201).send({ message: result.message });
  });

  app.post('/v1/conversations/:id/assign', doc({
    tags: ['conversations'], summary: 'Assign, transfer or unassign (agents: take an unassigned one for themselves; bots: hand off with null)',
    access: 'agent+, bot', params: idParams, body: assignSchema, response: { 200: z.object({ conversation: conversationSchema }).strict() },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['agent+', 'bot']);
    return { conversation: await assignConversation(ctx, deps.routing, idParam(request, 'conversation'), assignSchema.parse(request.body)) };
  });

  app.post('/v1/conversations/:id/team', doc({
    tags: ['conversations'], summary: 'Give the conversation to a team (or null: to none); an assignee outside the team lets it go and round robin picks within the team',
    access: 'agent+ (their own or unassigned ones), bot', params: idParams, body: teamAssignSchema, response: { 200: z.object({ conversation: conversationSchema }).strict() },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['agent+', 'bot']);
    return { conversation: await assignTeam(ctx, deps.routing, idParam(request, 'conversation'), teamAssignSchema.parse(request.body)) };
  });

  app.patch('/v1/conversations/:id', doc({
    tags: ['conversations'], summary: 'Change priority, mute, or custom attributes (checked against the tenant\'s definitions; null removes one)',
    access: 'agent+, bot', params: idParams, body: updateConversationSchema, response: { 200: z.object({ conversation: conversationSchema }).strict() },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['agent+', 'bot']);
    return { conversation: await updateConversation(ctx, idParam(request, 'conversation'), updateConversationSchema.parse(request.body)) };
  });

  app.get('/v1/conversations/:id/assignments', doc({
    tags: ['conversations'], summary: 'The assignment history, oldest first', access: 'agent+', params: idParams,
    response: { 200: z.object({ assignments: z.array(assignmentSchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    return { assignments: await assignmentHistory(em, idParam(request, 'conversation')) };
  });

  app.post('/v1/conversations/:id/status', doc({
    tags: ['conversations'], summary: 'Change the status (snoozed needs a future snoozedUntil)', access: 'agent+, bot', params: idParams,
    body: statusChangeSchema, response: { 200: z.object({ conversation: conversationSchema }).strict() },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['agent+', 'bot']);
    return { conversation: await changeStatus(ctx, deps.routing, idParam(request, 'conversation'), statusChangeSchema.parse(request.body)) };
  });

  app.delete('/v1/conversations/:id', doc({
    tags: ['conversations'], summary: 'Delete a conversation and its messages (admins; 204)',
    description: 'One transaction. The record it hung off keeps a conversation.deleted timeline entry; sockets that show it hear conversation:deleted.',
    access: 'admin', params: idParams, response: { 204: null },
  }), async (request, reply) => {
    await deleteConversation(await callContext(deps, request, ['admin']), idParam(request, 'conversation'));
    return reply.status(204).send();
  });

  app.delete('/v1/conversations/:id/messages/:messageId', doc({
    tags: ['messages'], summary: 'Delete a message (admins): body, HTML and attachments erased, a tombstone keeps its seq',
    description: 'Answers the tombstone (deletedAt set); deleting it again answers the same. Heard live as message:updated.',
    access: 'admin', params: z.object({ id: z.uuid(), messageId: z.uuid() }), response: { 200: messageAnswer },
  }), async (request) => {
    const ctx = await callContext(deps, request, ['admin']);
    return { message: await deleteMessage(ctx, idParam(request, 'conversation'), idParam(request, 'message', 'messageId')) };
  });

  app.get('/v1/archive/conversations', doc({
    tags: ['conversations'], summary: 'The archive: conversations retention moved out of the working lists, most recently archived first',
    access: 'agent+', querystring: archiveQuerySchema,
    response: { 200: z.object({ conversations: z.array(conversationSchema), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    return listArchivedConversations(em, archiveQuerySchema.parse(request.query));
  });
}
