// Outbound webhooks: endpoints a tenant registers, and the outbox of their deliveries. Delivery rows are
// written by database triggers (entities/webhook-outbox.ts) in the transaction of the change itself.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;

export const WebhookSchema = defineEntity({
  name: 'Webhook',
  tableName: 'webhooks',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    url: p.string().length(2048),
    /** Event types delivered here (`message.created`, …). */
    events: p.json<string[]>(),
    active: p.boolean().default(true),
    /** `whsec_…` (Standard Webhooks): the signing key, kept in clear because signing needs it. */
    secret: p.string().length(100),
    /** Dead letters in a row; the endpoint is disabled when it reaches the limit. */
    consecutiveFailures: p.integer().default(0),
    disabledAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  indexes: [{ name: 'webhooks_tenant_index', properties: ['tenant'] }],
  ...tenantScoped,
});
export class Webhook extends WebhookSchema.class {}
WebhookSchema.setClass(Webhook);

export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    webhook: () => p.manyToOne(Webhook).mapToPk().deleteRule('cascade'),
    /** The `webhook-id` header: one per event, the same on every attempt and replay. */
    eventId: p.uuid(),
    eventType: p.string().length(64),
    /** The changed row (message, conversation, assignment, SLA event). */
    subjectId: p.uuid(),
    /** Deliveries of one conversation to one endpoint go out in order. */
    orderingKey: p.uuid().nullable(),
    status: p.enum(WEBHOOK_DELIVERY_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    /** While `sending`: another node may take it over after this (its sender died). */
    lockedUntil: p.datetime().nullable(),
    /** The request body, frozen at the first attempt so every retry and replay sends the same bytes. */
    payload: p.text().nullable(),
    lastStatus: p.integer().nullable(),
    lastError: p.string().length(500).nullable(),
    lastAttemptAt: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
  indexes: [
    { name: 'webhook_deliveries_due_index', properties: ['status', 'nextAttemptAt'], where: `status in ('pending', 'sending')` },
    { name: 'webhook_deliveries_order_index', properties: ['webhook', 'orderingKey', 'createdAt'] },
    { name: 'webhook_deliveries_list_index', properties: ['webhook', 'createdAt'] },
  ],
  ...tenantScoped,
});
export class WebhookDelivery extends WebhookDeliverySchema.class {}
WebhookDeliverySchema.setClass(WebhookDelivery);
