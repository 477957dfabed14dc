// Satisfaction surveys: the customer's signed page and answer, the channel's answer, a conversation's surveys,
// and the report.
import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';
import { answerSurvey, csatAnswerSchema, csatReport, linkedSurveyTenant, openSurveyOf, readSurvey, surveysOf } from '../features/csat/csat.service.ts';
import { surveyPage, thanksPage, unavailablePage } from '../features/csat/survey-page.ts';
import { signedInbox } from './channel-signature.ts';
import { windowQuerySchema, windowStart } from '../features/reports/performance-reports.ts';
import { csatSurveySchema } from '../contract/schemas.ts';
import { systemEm, tenantEm } from '../platform/db/tenant-scope.ts';
import { AppError } from '../platform/errors.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { doc } from './openapi.ts';

const tokenParams = z.object({ token: z.string().min(10).max(100) });
const csatRow = z.object({ id: z.uuid(), surveys: z.number(), responses: z.number(), average: z.number().nullable(), satisfied: z.number().nullable() }).strict();
const channelAnswerSchema = z.object({
  from: z.object({ handle: z.string().trim().min(1).max(320) }).strict(),
  threadExternalId: z.string().trim().min(1).max(255).optional(),
  rating: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).optional(),
}).strict();

export function csatRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const surveyOfToken = async (token: string) => {
    const surveyId = deps.surveys.surveyOf(token);
    if (!surveyId) throw AppError.notFound('survey');
    const tenantId = await linkedSurveyTenant(systemEm(deps.orm), surveyId, deps.clock.now());
    return { em: tenantEm(deps.orm, tenantId), surveyId };
  };
  const wantsHtml = (contentType: string | undefined) => !contentType?.includes('application/json');

  // The customer's page (HTML for a browser; not in the API document).
  app.get('/v1/csat/:token', { schema: { hide: true } as FastifySchema }, async (request, reply) => {
    const { token } = tokenParams.parse(request.params);
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    const survey = await surveyOfToken(token).then(({ em, surveyId }) => readSurvey(em, surveyId)).catch(() => null);
    if (!survey) return reply.status(404).send(unavailablePage('This link is not valid, or it has expired.'));
    return reply.send(survey.rating ? thanksPage(survey.rating) : surveyPage(`/v1/csat/${token}`));
  });

  app.post('/v1/csat/:token', doc({
    tags: ['csat'], summary: 'A customer answers the survey of their link: a rating of 1 to 5 and an optional comment (once)', security: 'none',
    description: 'JSON answers the survey; the survey page\'s form (`application/x-www-form-urlencoded`) gets a thank-you page. A second answer is CONFLICT.',
    access: 'whoever holds the signed link', params: tokenParams, body: csatAnswerSchema, response: { 200: z.object({ survey: csatSurveySchema }).strict() },
  }), async (request, reply) => {
    const { token } = tokenParams.parse(request.params);
    const { em, surveyId } = await surveyOfToken(token);
    const survey = await answerSurvey(em, surveyId, csatAnswerSchema.parse(request.body), 'link', deps.clock.now());
    if (wantsHtml(request.headers['content-type'])) return reply.type('text/html; charset=utf-8').send(thanksPage(survey.rating!));
    return { survey };
  });

  app.post('/v1/inboxes/:id/inbound/csat', doc({
    tags: ['channels'], summary: 'A customer\'s survey answer through the channel: their latest unanswered survey in the inbox (of the thread, if named)', security: 'signature',
    description: 'Signed like the inbound webhook (`x-switchboard-signature`, the inbox\'s webhook secret). NOT_FOUND when the contact has no open survey.',
    access: 'the inbox\'s channel', params: z.object({ id: z.uuid() }), body: channelAnswerSchema, response: { 200: z.object({ survey: csatSurveySchema }).strict() },
  }), async (request) => {
    const inbox = await signedInbox(deps, request);
    const input = channelAnswerSchema.parse(request.body);
    const em = tenantEm(deps.orm, inbox.tenant);
    const surveyId = await openSurveyOf(em, inbox.id, inbox.channel, input.from.handle, input.threadExternalId);
    return { survey: await answerSurvey(em, surveyId, { rating: input.rating, comment: input.comment || null }, 'inbound', deps.clock.now()) };
  });

  app.get('/v1/conversations/:id/csat', doc({
    tags: ['csat'], summary: 'The conversation\'s surveys (one per resolution) and their answers', access: 'agent+', params: z.object({ id: z.uuid() }),
    response: { 200: z.object({ surveys: z.array(csatSurveySchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['agent+']);
    const id = idParam(request, 'conversation');
    return { surveys: await surveysOf(em, id) };
  });

  app.get('/v1/reports/csat', doc({
    tags: ['reports'], summary: 'Satisfaction per agent, team and inbox: surveys sent, answered, average rating, share rating 4 or 5', access: 'supervisor+',
    querystring: windowQuerySchema,
    response: { 200: z.object({ days: z.number(), since: z.string(), byAgent: z.array(csatRow), byTeam: z.array(csatRow), byInbox: z.array(csatRow) }).strict() },
  }), async (request) => {
    const { principal, em } = await callContext(deps, request, ['supervisor+']);
    const { days } = windowQuerySchema.parse(request.query);
    const since = windowStart(days);
    return { days, since: since.toISOString(), ...(await csatReport(em, principal.tenantId, since)) };
  });
}
