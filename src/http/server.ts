// The Fastify instance: JSON with the raw body kept, errors as PROTOCOL §5, metrics, and the routes.
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from 'helmet';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppError, toAppError } from '../platform/errors.ts';
import { containsNul } from '../platform/util/nul.ts';
import { NOBODY, presentPayload, type Reader } from '../core/visibility/present.ts';
import type { EntityManager } from '@mikro-orm/core';
import type { HttpDeps } from './context.ts';
import { registerRateLimits } from './rate-limits.ts';
import { registerOpenApi } from './openapi.ts';
import { contactRoutes } from './contacts.routes.ts';
import { conversationRoutes } from './conversations.routes.ts';
import { inboundRoutes } from './inbound.routes.ts';
import { healthRoutes } from './health.routes.ts';
import { inboxRoutes } from './inboxes.routes.ts';
import { slaPolicyRoutes } from './sla-policies.routes.ts';
import { slaRoutes } from './sla.routes.ts';
import { tenantRoutes } from './tenants.routes.ts';
import { userRoutes } from './users.routes.ts';
import { tagRoutes } from './tags.routes.ts';
import { campaignRoutes } from './campaigns.routes.ts';
import { reportRoutes } from './reports.routes.ts';
import { entityRoutes } from './entities.routes.ts';
import { automatedReplyRoutes } from './automated-replies.routes.ts';
import { grantRoutes } from './grants.routes.ts';
import { cannedResponseRoutes } from './canned-responses.routes.ts';
import { teamRoutes } from './teams.routes.ts';
import { macroRoutes } from './macros.routes.ts';
import { automationRuleRoutes } from './automation-rules.routes.ts';
import { csatRoutes } from './csat.routes.ts';
import { attributeRoutes } from './attributes.routes.ts';
import { consoleRoutes } from './console.routes.ts';
import { queueRoutes } from './queue.routes.ts';
import { webhookRoutes } from './webhooks.routes.ts';
import { transcriptRoutes } from './transcripts.routes.ts';
import { auditRoutes } from './audit.routes.ts';
import { notificationRoutes } from './notifications.routes.ts';
import { searchRoutes } from './search.routes.ts';
import { registerAuditTrail } from './audit-trail.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON body, for signature checks. */
    rawBody?: Buffer;
    /** Who the answer is for; unset, the answer is shown as to nobody in particular (everything masked). */
    audience?: { reader: Reader; em: EntityManager | null };
  }
  interface FastifyInstance {
    /** Every route as registered (method and URL template): the contract's list of endpoints. */
    routeTable: { method: string; url: string }[];
  }
}

/** Fastify's own errors (bad JSON, wrong content type, body too large) in our codes. */
function fromFastifyError(err: FastifyError): AppError | null {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) return AppError.payloadTooLarge();
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return AppError.validation('body must be application/json');
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return AppError.validation('body must not be empty');
  if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return AppError.validation('body is not valid JSON');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500 && err.validation) return AppError.validation(err.message);
  return null;
}

/** One log line per request, when it is answered, saying what was asked; Fastify's default also logs each arrival. */
class AnsweredRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    // Through the logger's serializers: the request's address loses its query string (a client may put a token there).
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

export function createHttpServer(deps: HttpDeps, logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: deps.config.MAX_BODY_BYTES,
    genReqId: () => randomUUID(),
    logController: new AnsweredRequestLog(),
    // Behind a reverse proxy, the client's address (for rate limits and logs) is the forwarded one.
    trustProxy: deps.config.TRUST_PROXY,
  });
  const routeTable: { method: string; url: string }[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: route.url });
  });
  registerRateLimits(app, {
    writesPerCredential: deps.config.HTTP_WRITE_RATE, writesPerAddress: deps.config.HTTP_ADDRESS_WRITE_RATE,
    authFailuresPerMinute: deps.config.AUTH_FAILURES_PER_MINUTE,
  });
  // Security headers on every answer; the console's page loads only its own script and stylesheet (images may
  // come from https addresses: attachments shown inline). Helmet's middleware is built once: the Fastify plugin
  // built it (and parsed the policy) again for every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:', 'https:'], connectSrc: ["'self'"],
        fontSrc: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'self'"], frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // The API answers other origins' browsers (ALLOWED_ORIGINS); CORS decides that, not resource policy.
    crossOriginResourcePolicy: false,
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));

  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    if ((body as Buffer).length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')));
    } catch {
      done(AppError.validation('body is not valid JSON'), undefined);
    }
  });

  // The satisfaction survey's page posts a plain HTML form (no script); everything else speaks JSON only.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (!request.url.startsWith('/v1/csat/')) return done(AppError.validation('body must be JSON (content-type: application/json)'), undefined);
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.setErrorHandler((err, request, reply) => {
    const known = err instanceof AppError ? err : fromFastifyError(err as FastifyError);
    const { error, unexpected } = known ? { error: known, unexpected: false } : toAppError(err);
    if (unexpected) request.log.error({ err }, 'unexpected error');
    return reply.status(error.status).send({ error: error.toBody() });
  });

  app.setNotFoundHandler((request, reply) => {
    const error = AppError.notFound(`route ${request.method} ${request.url.split('?')[0]}`);
    return reply.status(404).send({ error: error.toBody() });
  });

  app.addHook('preHandler', async (request) => {
    if (containsNul(request.body) || containsNul(request.query) || containsNul(request.params)) throw AppError.validation('text may not contain U+0000');
  });
  // The one presentation step of every HTTP answer: conversations and messages as this reader may see them.
  app.addHook('preSerialization', async (request, _reply, payload) => {
    const audience = request.audience ?? { reader: NOBODY, em: null };
    return presentPayload(audience.em, audience.reader, payload);
  });
  registerAuditTrail(app, deps);
  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // Browsers may call from the configured exact origins only; requests without Origin are judged by their token.
  void app.register(cors, { origin: deps.config.ALLOWED_ORIGINS, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] });

  // The document plugin goes first: it sees every route registered after it.
  void app.register(async (scope) => {
    await registerOpenApi(scope, { validateResponses: deps.config.VALIDATE_RESPONSES });
    for (const routes of [healthRoutes, tenantRoutes, userRoutes, inboxRoutes, slaPolicyRoutes, contactRoutes, conversationRoutes, inboundRoutes, slaRoutes,
      tagRoutes, grantRoutes, cannedResponseRoutes, automatedReplyRoutes, entityRoutes, reportRoutes, campaignRoutes, queueRoutes, webhookRoutes, transcriptRoutes, auditRoutes, notificationRoutes, searchRoutes, teamRoutes, attributeRoutes, macroRoutes, automationRuleRoutes, csatRoutes, consoleRoutes]) {
      routes(scope, deps);
    }
  });
  return app;
}
