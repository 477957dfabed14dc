// Which HTTP calls the audit log records, and the hook that records them: every change to settings, users,
// roles, credentials, inboxes, routing, SLA policies, webhooks and access, and every deletion, once it
// succeeded and before its answer goes out. The entry names the caller, the action, the target (the path's
// id, or what a creation made) and what was asked for, with secrets left out.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { recordAudit } from '../features/audit/audit.service.ts';
import type { Principal } from '../platform/auth/principal.ts';
import { tenantFork } from '../platform/db/tenant-scope.ts';
import type { HttpDeps } from './context.ts';

/** `METHOD route` → [action, target type]. */
export const AUDITED: Record<string, [string, string]> = {
  'PATCH /v1/tenant': ['tenant.updated', 'tenant'],
  'POST /v1/users': ['user.created', 'user'],
  'PATCH /v1/users/:id': ['user.updated', 'user'],
  'POST /v1/users/:id/token': ['user.credential_issued', 'user'],
  'POST /v1/users/:id/revoke': ['user.credentials_revoked', 'user'],
  'DELETE /v1/users/:id/keys/:keyId': ['key.revoked', 'key'],
  'POST /v1/inboxes': ['inbox.created', 'inbox'],
  'PATCH /v1/inboxes/:id': ['inbox.updated', 'inbox'],
  'PUT /v1/inboxes/:id/members': ['inbox.members_set', 'inbox'],
  'GET /v1/inboxes/:id/secret': ['inbox.secret_read', 'inbox'],
  'POST /v1/inboxes/:id/secret': ['inbox.secret_rotated', 'inbox'],
  'POST /v1/sla-policies': ['sla_policy.created', 'sla_policy'],
  'POST /v1/webhooks': ['webhook.created', 'webhook'],
  'PATCH /v1/webhooks/:id': ['webhook.updated', 'webhook'],
  'DELETE /v1/webhooks/:id': ['webhook.deleted', 'webhook'],
  'POST /v1/webhooks/:id/deliveries/:deliveryId/replay': ['webhook.delivery_replayed', 'webhook'],
  'POST /v1/automated-replies': ['automated_reply.created', 'automated_reply'],
  'PATCH /v1/automated-replies/:id': ['automated_reply.updated', 'automated_reply'],
  'DELETE /v1/automated-replies/:id': ['automated_reply.deleted', 'automated_reply'],
  'POST /v1/tags': ['tag.created', 'tag'],
  'PATCH /v1/tags/:id': ['tag.updated', 'tag'],
  'DELETE /v1/tags/:id': ['tag.deleted', 'tag'],
  'POST /v1/conversations/:id/grants': ['grant.created', 'conversation'],
  'DELETE /v1/conversations/:id/grants/:userId': ['grant.revoked', 'conversation'],
  'POST /v1/contacts/:id/merge': ['contact.merged', 'contact'],
  'DELETE /v1/conversations/:id': ['conversation.deleted', 'conversation'],
  'DELETE /v1/conversations/:id/messages/:messageId': ['message.deleted', 'message'],
  'POST /v1/teams': ['team.created', 'team'],
  'PATCH /v1/teams/:id': ['team.updated', 'team'],
  'PUT /v1/teams/:id/members': ['team.members_set', 'team'],
  'DELETE /v1/teams/:id': ['team.deleted', 'team'],
  'POST /v1/custom-attributes': ['custom_attribute.created', 'custom_attribute'],
  'PATCH /v1/custom-attributes/:id': ['custom_attribute.updated', 'custom_attribute'],
  'DELETE /v1/custom-attributes/:id': ['custom_attribute.deleted', 'custom_attribute'],
  'POST /v1/macros': ['macro.created', 'macro'],
  'PATCH /v1/macros/:id': ['macro.updated', 'macro'],
  'DELETE /v1/macros/:id': ['macro.deleted', 'macro'],
  'POST /v1/automation-rules': ['automation_rule.created', 'automation_rule'],
  'PATCH /v1/automation-rules/:id': ['automation_rule.updated', 'automation_rule'],
  'DELETE /v1/automation-rules/:id': ['automation_rule.deleted', 'automation_rule'],
};

/** Field names whose values never enter the log. */
const SECRET = /secret|token|password|key$/i;

function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET.test(k) ? '[not kept]' : withoutSecrets(v, depth + 1)]));
}

/** The path's most specific id (`:messageId` over `:id`), or the id of what a creation answered. */
function targetOf(request: FastifyRequest, answer: unknown): string | null {
  const params = (request.params ?? {}) as Record<string, string>;
  const named = Object.entries(params).filter(([k]) => k !== 'id').map(([, v]) => v).at(-1) ?? params.id;
  if (named) return named.toLowerCase();
  if (answer && typeof answer === 'object') {
    for (const value of Object.values(answer)) {
      if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') return (value as { id: string }).id;
    }
  }
  return null;
}

declare module 'fastify' {
  interface FastifyRequest { auditAnswer?: unknown }
}

export function registerAuditTrail(app: FastifyInstance, deps: HttpDeps): void {
  // The answer as the handler gave it (before serialization), for the id of what a creation made.
  app.addHook('preSerialization', async (request, _reply, payload) => {
    request.auditAnswer = payload;
    return payload;
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const audited = AUDITED[`${request.method} ${request.routeOptions.url}`];
    const principal = request.audience?.reader as Principal | undefined;
    if (!audited || reply.statusCode >= 400 || !principal || !('tenantId' in principal) || !request.audience?.em) return payload;
    const [action, targetType] = audited;
    const body = request.body && typeof request.body === 'object' ? withoutSecrets(request.body) as Record<string, unknown> : null;
    await recordAudit(tenantFork(request.audience.em, principal.tenantId), principal, { action, targetType, targetId: targetOf(request, request.auditAnswer), details: body }, deps.clock.now());
    return payload;
  });
}
