// Outbound webhooks (admin): endpoints, their deliveries, replays.
import type { FastifyInstance } from 'fastify';
import {
  createWebhook, createWebhookSchema, deleteWebhook, deliveriesQuerySchema, getWebhook, listDeliveries, listWebhooks, replayDelivery,
  toDeliveryDto, toWebhookDto, updateWebhook, updateWebhookSchema,
} from '../webhooks/webhooks.service.ts';
import { AppError } from '../errors.ts';
import { isUuid } from '../util/uuid.ts';
import { callContext, idParam, type HttpDeps } from './context.ts';

export function webhookRoutes(app: FastifyInstance, deps: HttpDeps): void {
  app.post('/v1/webhooks', async (request, reply) => {
    const { principal, em } = await callContext(deps, request, ['admin']);
    const { webhook, secret } = await createWebhook(em, principal, createWebhookSchema.parse(request.body), deps.config.WEBHOOK_ALLOW_PRIVATE);
    return reply.status(201).send({ webhook: toWebhookDto(webhook), secret });
  });
  app.get('/v1/webhooks', async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    return { webhooks: (await listWebhooks(em)).map(toWebhookDto) };
  });
  app.get('/v1/webhooks/:id', async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    return { webhook: toWebhookDto(await getWebhook(em, idParam(request, 'webhook'))) };
  });
  app.patch('/v1/webhooks/:id', async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    const webhook = await updateWebhook(em, idParam(request, 'webhook'), updateWebhookSchema.parse(request.body), deps.config.WEBHOOK_ALLOW_PRIVATE);
    deps.webhooks.kick();
    return { webhook: toWebhookDto(webhook) };
  });
  app.delete('/v1/webhooks/:id', async (request, reply) => {
    const { em } = await callContext(deps, request, ['admin']);
    await deleteWebhook(em, idParam(request, 'webhook'));
    return reply.status(204).send();
  });
  app.get('/v1/webhooks/:id/deliveries', async (request) => {
    const { em } = await callContext(deps, request, ['admin']);
    const deliveries = await listDeliveries(em, idParam(request, 'webhook'), deliveriesQuerySchema.parse(request.query));
    return { deliveries: deliveries.map(toDeliveryDto) };
  });
  app.post('/v1/webhooks/:id/deliveries/:deliveryId/replay', async (request, reply) => {
    const { em } = await callContext(deps, request, ['admin']);
    const webhookId = idParam(request, 'webhook');
    const { deliveryId } = request.params as { deliveryId: string };
    if (!isUuid(deliveryId)) throw AppError.notFound('delivery');
    const delivery = await replayDelivery(em, webhookId, deliveryId.toLowerCase());
    deps.webhooks.kick();
    return reply.status(202).send({ delivery: toDeliveryDto(delivery) });
  });
}
