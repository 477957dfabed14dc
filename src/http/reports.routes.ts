// Reports: one endpoint each. Message and thread lists are masked on the way out, like every answer.
import type { FastifyInstance } from 'fastify';
import {
  messageVolume, responseTimes, slaAttainment, windowQuerySchema, windowStart,
} from '../reports/performance-reports.ts';
import {
  awaitingQuerySchema, awaitingReply, contactHistory, historyQuerySchema, openByEntityType, recentInbound, recentQuerySchema,
} from '../reports/thread-reports.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';

export function reportRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.get('/v1/contacts/:id/history', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const id = idParam(request, 'contact');
    return contactHistory(em, principal.tenantId, id, historyQuerySchema.parse(request.query));
  });

  app.get('/v1/reports/recent-inbound', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    const { limit } = recentQuerySchema.parse(request.query);
    return { messages: await recentInbound(em, principal.tenantId, limit) };
  });

  app.get('/v1/reports/awaiting-reply', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { conversations: await awaitingReply(em, principal.tenantId, awaitingQuerySchema.parse(request.query)) };
  });

  app.get('/v1/reports/open-by-entity-type', async (request) => {
    const { principal, em } = await callContext(deps, request, ['agent+']);
    return { rows: await openByEntityType(em, principal.tenantId) };
  });

  app.get('/v1/reports/message-volume', async (request) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const { days } = windowQuerySchema.parse(request.query);
    const since = windowStart(days);
    return { days, since: since.toISOString(), rows: await messageVolume(em, principal.tenantId, since) };
  });

  app.get('/v1/reports/response-times', async (request) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const { days } = windowQuerySchema.parse(request.query);
    const since = windowStart(days);
    return { days, since: since.toISOString(), ...(await responseTimes(em, principal.tenantId, since)) };
  });

  app.get('/v1/reports/sla-attainment', async (request) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const { days } = windowQuerySchema.parse(request.query);
    const since = windowStart(days);
    return { days, since: since.toISOString(), policies: await slaAttainment(em, principal.tenantId, since) };
  });
}
