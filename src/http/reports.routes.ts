// Reports: one endpoint each. Message and thread lists are masked on the way out, like every answer.
import type { FastifyInstance } from 'fastify';
import {
  messageVolume, responseTimes, slaAttainment, windowQuerySchema, windowStart,
} from '../features/reports/performance-reports.ts';
import {
  awaitingQuerySchema, awaitingReply, contactHistory, historyQuerySchema, openByEntityType, recentInbound, recentQuerySchema,
} from '../features/reports/thread-reports.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { CHANNELS, conversationSchema, ENTITY_TYPES, messageSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

const historyMessageSchema = messageSchema.extend({ senderName: z.string().nullable() }).strict();
const recentInboundSchema = z.object({ message: messageSchema, conversation: conversationSchema, contactName: z.string().nullable() }).strict();
const awaitingSchema = conversationSchema.extend({ awaitingSince: z.string() }).strict();
const volumeRowSchema = z.object({ channel: z.enum(CHANNELS), inbound: z.number(), outbound: z.number(), internal: z.number(), total: z.number() }).strict();
const percentiles = z.object({ count: z.number(), p50: z.number().nullable(), p90: z.number().nullable() }).strict();
const timesRow = z.object({ id: z.uuid(), conversations: z.number(), firstResponse: percentiles, resolution: percentiles }).strict();
const attainment = z.object({ met: z.number(), breached: z.number(), pending: z.number(), attainment: z.number().nullable() }).strict();
const attainmentRow = z.object({
  policyId: z.uuid(), name: z.string(), conversations: z.number(), firstResponse: attainment, resolution: attainment, nextResponseBreaches: z.number(),
}).strict();

export function reportRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/contacts/:id/history', doc({
    tags: ['reports'], summary: 'A contact\'s full history: every message of its conversations and of the threads that hang off it, newest first, with the sender\'s name',
    access: 'agent+', params: z.object({ id: z.uuid() }),
    querystring: historyQuerySchema, response: { 200: z.object({ messages: z.array(historyMessageSchema), nextCursor: z.string().nullable() }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const id = idParam(request, 'contact');
    return contactHistory(em, principal.tenantId, id, historyQuerySchema.parse(request.query));
  });

  app.get('/v1/reports/recent-inbound', doc({
    tags: ['reports'], summary: 'The latest inbound messages across all threads, newest first, each with its conversation (subject, channel, record) and the contact\'s name',
    access: 'agent+', querystring: recentQuerySchema, response: { 200: z.object({ items: z.array(recentInboundSchema) }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const { limit } = recentQuerySchema.parse(request.query);
    return { items: await recentInbound(em, principal.tenantId, limit) };
  });

  app.get('/v1/reports/awaiting-reply', doc({
    tags: ['reports'], summary: 'Threads not closed (open, pending, snoozed) with an inbound message after the last human reply, ordered by the earliest such message',
    access: 'agent+', querystring: awaitingQuerySchema, response: { 200: z.object({ conversations: z.array(awaitingSchema) }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { conversations: await awaitingReply(em, principal.tenantId, awaitingQuerySchema.parse(request.query)) };
  });

  app.get('/v1/reports/open-by-entity-type', doc({
    tags: ['reports'], summary: 'Threads not closed per type of CRM record, most first (lastActivityAt: their latest message, null when none)', access: 'agent+',
    response: { 200: z.object({ rows: z.array(z.object({ entityType: z.enum(ENTITY_TYPES).nullable(), openConversations: z.number(), messageCount: z.number(), lastActivityAt: z.string().nullable() }).strict()) }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { rows: await openByEntityType(em, principal.tenantId) };
  });

  app.get('/v1/reports/message-volume', doc({
    tags: ['reports'], summary: 'Messages over the last `days`: one row per channel with inbound, outbound, internal and total, most first', access: 'supervisor+',
    querystring: windowQuerySchema,
    response: { 200: z.object({ days: z.number(), since: z.string(), rows: z.array(volumeRowSchema) }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const { days } = windowQuerySchema.parse(request.query);
    const since = windowStart(days);
    return { days, since: since.toISOString(), rows: await messageVolume(em, principal.tenantId, since) };
  });

  app.get('/v1/reports/response-times', doc({
    tags: ['reports'], summary: 'First-response and resolution times (p50, p90 in seconds) per inbox, per agent and per team', access: 'supervisor+', querystring: windowQuerySchema,
    response: { 200: z.object({ days: z.number(), since: z.string(), byInbox: z.array(timesRow), byAgent: z.array(timesRow), byTeam: z.array(timesRow) }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const { days } = windowQuerySchema.parse(request.query);
    const since = windowStart(days);
    return { days, since: since.toISOString(), ...(await responseTimes(em, principal.tenantId, since)) };
  });

  app.get('/v1/reports/sla-attainment', doc({
    tags: ['reports'], summary: 'SLA attainment per policy: met, breached, pending', access: 'supervisor+', querystring: windowQuerySchema,
    response: { 200: z.object({ days: z.number(), since: z.string(), policies: z.array(attainmentRow) }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const { days } = windowQuerySchema.parse(request.query);
    const since = windowStart(days);
    return { days, since: since.toISOString(), policies: await slaAttainment(em, principal.tenantId, since) };
  });
}
