// Channel endpoints: the signed inbound webhook and delivery status reports.
import type { FastifyInstance } from 'fastify';
import { Inbox, Message } from '../../entities/index.ts';
import { systemEm, tenantEm } from '../platform/db/tenant-scope.ts';
import { AppError } from '../platform/errors.ts';
import { AutoReplier } from '../features/automation/automated-replies.service.ts';
import { inboundSchema, receiveInbound } from '../features/inbound/inbound.service.ts';
import { SIGNATURE_HEADER } from '../features/inbound/signature.ts';
import { requestSignatureOk, signedInbox } from './channel-signature.ts';
import { messageStatusSchema } from '../core/messages/messages.schemas.ts';
import { reportStatus, type StatusReporter } from '../core/messages/status.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { messageSchema } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

export function inboundRoutes(app: FastifyInstance, deps: HttpDeps): void {
  const autoReplier = new AutoReplier(deps.presence, deps.messages);

  app.post('/v1/inboxes/:id/inbound', doc({
    tags: ['channels'], summary: 'A customer\'s message from the inbox\'s channel', security: 'signature',
    description: 'Signed `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the inbox\'s webhook secret (header '
      + '`x-switchboard-signature`; `t` within 300 s). The handle resolves (or creates) an identity and its contact; the message joins '
      + 'the `threadExternalId`\'s conversation, else the contact\'s latest conversation in that inbox that is not closed (a resolved or '
      + 'snoozed one reopens), else a new one. The same `externalId` twice answers the first message with `duplicate: true`.',
    access: 'the inbox\'s channel', params: z.object({ id: z.uuid() }), body: inboundSchema,
    response: { 202: z.object({ conversationId: z.uuid(), messageId: z.uuid(), duplicate: z.boolean() }).strict() },
  }), async (request, reply) => {
    const inbox = await signedInbox(deps, request);
    const input = inboundSchema.parse(request.body);
    const result = await receiveInbound(tenantEm(deps.orm, inbox.tenant), deps.bus, deps.routing, deps.messages, inbox, input, autoReplier);
    return reply.status(202).send(result);
  });

  app.post('/v1/messages/:id/status', doc({
    tags: ['channels'], summary: 'A delivery status of an outbound message (statuses only move forward; failed is terminal)',
    description: 'A channel signs it `t=<unix seconds>,v2=<hex HMAC-SHA256 of "<t>.POST /v1/messages/<id>/status.<raw body>">` with the '
      + 'inbox\'s webhook secret; people and bots who read the thread in full send their token instead.',
    access: 'the inbox\'s channel (signed), or agent+ and bots who read the thread', params: z.object({ id: z.uuid() }), body: messageStatusSchema,
    response: { 200: z.object({ message: messageSchema }).strict() },
  }), async (request) => {
    const id = idParam(request, 'message');
    let tenantId: string;
    let reporter: StatusReporter;
    if (request.headers[SIGNATURE_HEADER] && !request.headers.authorization) {
      // A channel reports with its inbox's signature, made over the method and path too (so it names this message).
      const message = await systemEm(deps.orm).findOne(Message, { id }, { filters: false });
      const inbox = message && await systemEm(deps.orm).findOne(Inbox, { id: message.inbox }, { filters: false });
      if (!inbox || !requestSignatureOk(request, inbox.webhookSecret)) throw AppError.unauthorized('bad or stale signature');
      tenantId = inbox.tenant;
      reporter = { kind: 'channel', inboxId: inbox.id };
      request.audience = { reader: reporter, em: null };
    } else {
      const { principal } = await callContext(deps, request, ['agent+', 'bot']);
      tenantId = principal.tenantId;
      reporter = principal;
    }
    const message = await reportStatus(tenantEm(deps.orm, tenantId), deps.bus, deps.statusFollowers, tenantId, reporter, id, messageStatusSchema.parse(request.body));
    return { message };
  });
}
