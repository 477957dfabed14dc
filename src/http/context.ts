// What every route needs: the dependencies, the caller's principal, and a tenant-scoped EntityManager.
import type { MikroORM } from '@mikro-orm/core';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Authenticator } from '../platform/auth/authenticate.ts';
import { requireRole, type Access } from '../platform/auth/principal.ts';
import type { TokenService } from '../platform/auth/tokens.ts';
import type { Config } from '../config.ts';
import { tenantEm } from '../platform/db/tenant-scope.ts';
import { AppError } from '../platform/errors.ts';
import type { Routing } from '../routing/routing-port.ts';
import type { EventBus } from '../platform/events/domain-events.ts';
import type { CallContext } from '../platform/call-context.ts';
import type { Clock } from '../platform/clock.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { CampaignSender } from '../features/campaigns/campaign-sender.ts';
import type { MessageSender } from '../core/messages/send.service.ts';
import type { StatusFollower } from '../core/messages/status.service.ts';
import type { ConversationCreator } from '../core/conversations/create.service.ts';
import type { PresenceReader } from '../platform/presence/presence-reader.ts';
import { isUuid } from '../platform/util/uuid.ts';
import type { SurveyLinks } from '../features/csat/survey-link.ts';

export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

export interface HttpDeps {
  config: Config;
  orm: MikroORM;
  tokens: TokenService;
  authenticate: Authenticator;
  presence: PresenceReader;
  metrics: Metrics;
  healthChecks: HealthCheck[];
  bus: EventBus;
  clock: Clock;
  routing: Routing;
  campaigns: CampaignSender;
  /** The send path (message:send, POST …/messages, channels, campaigns, automated replies). */
  messages: MessageSender;
  /** POST /v1/conversations: creations batched per tenant. */
  conversations: ConversationCreator;
  /** What moves with a message's delivery status (campaign recipients). */
  statusFollowers: readonly StatusFollower[];
  /** Outbound webhooks: deliver what is due now (after a replay or an endpoint turned back on). */
  webhooks: { kick(): void };
  /** The satisfaction survey's signed links. */
  surveys: SurveyLinks;
}


function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Authenticates the request, checks the role, and scopes the EntityManager to the caller's tenant. */
export async function callContext(deps: HttpDeps, request: FastifyRequest, access: Access): Promise<CallContext> {
  const principal = await deps.authenticate(bearerToken(request));
  if (!principal) throw AppError.unauthorized();
  request.log = request.log.child({ tenantId: principal.tenantId, userId: principal.userId });
  requireRole(principal, access);
  const em = tenantEm(deps.orm, principal.tenantId, principal.role);
  // The answer is presented for this reader on its way out (see http/server.ts).
  request.audience = { reader: principal, em };
  return { principal, em, bus: deps.bus, clock: deps.clock };
}

/** One schema per parameter name, built once. */
const paramSchemas = new Map<string, z.ZodObject<Record<string, z.ZodString>>>();

/**
 * The path parameter `name` (`id` unless said) as an id, lower-cased. An id that is not a UUID cannot name
 * anything: NOT_FOUND, like an id of another tenant.
 */
export function idParam(request: FastifyRequest, what: string, name = 'id'): string {
  let schema = paramSchemas.get(name);
  if (!schema) paramSchemas.set(name, schema = z.object({ [name]: z.string() }));
  const id = schema.parse(request.params)[name];
  if (!isUuid(id)) throw AppError.notFound(what);
  return id.toLowerCase();
}
