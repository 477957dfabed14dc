// Outbound webhooks (admin): endpoints, their deliveries, replays.
import type { FastifyInstance } from 'fastify';
import {
  createWebhook, createWebhookSchema, deleteWebhook, deliveriesQuerySchema, getWebhook, listDeliveries, listWebhooks, replayDelivery,
  toDeliveryDto, toWebhookDto, updateWebhook, updateWebhookSchema,
} from '../features/webhooks/webhooks.service.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';
import { z } from 'zod';
import { webhookDeliverySchema, webhookSchemaOut } from '../contract/schemas.ts';
import { doc } from './openapi.ts';

const idParams = z.object({ id: z.uuid() });

export function webhookRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/webhooks', doc({
    tags: ['webhooks'], summary: 'Subscribe an endpoint to events (public addresses only, unless the operator allows more); answers its signing secret once', access: 'admin',
    body: createWebhookSchema, response: { 201: z.object({ webhook: webhookSchemaOut, secret: z.string() }).strict() },
  }), async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const { webhook, secret } = await createWebhook(em, principal, createWebhookSchema.parse(request.body), deps.config.WEBHOOK_ALLOW_PRIVATE);
    return reply.status(201).send({ webhook: toWebhookDto(webhook), secret });
  });
  app.get('/v1/webhooks', doc({ tags: ['webhooks'], summary: 'The tenant\'s webhook endpoints', access: 'admin', response: { 200: z.object({ webhooks: z.array(webhookSchemaOut) }).strict() } }), async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    return { webhooks: (await listWebhooks(em)).map(toWebhookDto) };
  });
  app.get('/v1/webhooks/:id', doc({ tags: ['webhooks'], summary: 'One webhook endpoint', access: 'admin', params: idParams, response: { 200: z.object({ webhook: webhookSchemaOut }).strict() } }), async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    return { webhook: toWebhookDto(await getWebhook(em, idParam(request, 'webhook'))) };
  });
  app.patch('/v1/webhooks/:id', doc({
    tags: ['webhooks'], summary: 'Change an endpoint; turning it back on clears its failures', access: 'admin', params: idParams, body: updateWebhookSchema, response: { 200: z.object({ webhook: webhookSchemaOut }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    const webhook = await updateWebhook(em, idParam(request, 'webhook'), updateWebhookSchema.parse(request.body), deps.config.WEBHOOK_ALLOW_PRIVATE);
    deps.webhooks.kick();
    return { webhook: toWebhookDto(webhook) };
  });
  app.delete('/v1/webhooks/:id', doc({ tags: ['webhooks'], summary: 'Delete an endpoint', access: 'admin', params: idParams, response: { 204: null } }), async (request, reply) => {
    const { em } = await callContext(deps, request, ['admin']);
    await deleteWebhook(em, idParam(request, 'webhook'));
    return reply.status(204).send();
  });
  app.get('/v1/webhooks/:id/deliveries', doc({
    tags: ['webhooks'], summary: 'An endpoint\'s deliveries, newest first', access: 'admin', params: idParams, querystring: deliveriesQuerySchema,
    response: { 200: z.object({ deliveries: z.array(webhookDeliverySchema) }).strict() },
  }), async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    const deliveries = await listDeliveries(em, idParam(request, 'webhook'), deliveriesQuerySchema.parse(request.query));
    return { deliveries: deliveries.map(toDeliveryDto) };
  });
  app.post('/v1/webhooks/:id/deliveries/:deliveryId/replay', doc({
    tags: ['webhooks'], summary: 'Send a delivery again, as it was (same webhook-id and body), with a fresh retry schedule', access: 'admin',
    params: z.object({ id: z.uuid(), deliveryId: z.uuid() }), response: { 202: z.object({ delivery: webhookDeliverySchema }).strict() },
  }), async (request, reply) => {
    const { em } = await callContext(deps, request, ['admin']);
    const webhookId = idParam(request, 'webhook');
    const delivery = await replayDelivery(em, webhookId, idParam(request, 'delivery', 'deliveryId'));
    deps.webhooks.kick();
    return reply.status(202).send({ delivery: toDeliveryDto(delivery) });
  });
}
