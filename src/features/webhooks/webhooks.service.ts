// Webhook endpoints (admin): create with a secret shown once, list, read, update, delete; their deliveries and replays.
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { Webhook, WebhookDelivery, WEBHOOK_DELIVERY_STATUSES } from '../../../entities/webhook.entity.ts';
import { WEBHOOK_EVENT_TYPES } from '../../../entities/webhook-outbox.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { AppError } from '../../platform/errors.ts';
import { newWebhookSecret } from './signing.ts';
import { REFUSED_PRIVATE, refusedUrl, type AddressPolicy } from './address-guard.ts';
import { pageLimit } from '../../platform/util/paging.ts';
import { isoOrNull as iso } from '../../platform/util/iso.ts';

/** http or https, no credentials in it (they would sit in logs and in every delivery's request line). */
const webhookUrl = z.url({ protocol: /^https?$/ }).max(2048).refine((u) => {
  // Refinements run even after the URL check failed: an unparsable one is that check's to report.
  if (!URL.canParse(u)) return true;
  const url = new URL(u);
  return !url.username && !url.password;
}, 'the URL may not carry credentials');

const events = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length)
  .transform((list) => [...new Set(list)]);

export const createWebhookSchema = z.object({ url: webhookUrl, events, active: z.boolean().optional() }).strict();
export const updateWebhookSchema = z.object({ url: webhookUrl.optional(), events: events.optional(), active: z.boolean().optional() }).strict();
export const deliveriesQuerySchema = z.object({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  limit: pageLimit(500, 100),
}).strict();

export interface WebhookDto {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  consecutiveFailures: number;
  disabledAt: string | null;
  createdAt: string;
}

export interface WebhookDeliveryDto {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export function toWebhookDto(w: Webhook): WebhookDto {
  return {
    id: w.id, url: w.url, events: w.events, active: w.active, consecutiveFailures: w.consecutiveFailures,
    disabledAt: iso(w.disabledAt), createdAt: iso(w.createdAt)!,
  };
}

export function toDeliveryDto(d: WebhookDelivery): WebhookDeliveryDto {
  return {
    id: d.id, webhookId: d.webhook, eventId: d.eventId, eventType: d.eventType, status: d.status, attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null, lastAttemptAt: iso(d.lastAttemptAt),
    lastStatus: d.lastStatus ?? null, lastError: d.lastError ?? null, deliveredAt: iso(d.deliveredAt), createdAt: iso(d.createdAt)!,
  };
}

/** An address the policy refuses is refused here already; names are judged again at every connection. */
function checkAddress(url: string | undefined, policy: AddressPolicy): void {
  if (url && refusedUrl(url, policy)) throw AppError.validation(`url: ${REFUSED_PRIVATE} (an operator may allow it with WEBHOOK_ALLOW_PRIVATE)`);
}

export async function createWebhook(
  em: EntityManager, principal: Principal, input: z.infer<typeof createWebhookSchema>, policy: AddressPolicy,
): Promise<{ webhook: Webhook; secret: string }> {
  checkAddress(input.url, policy);
  const secret = newWebhookSecret();
  const webhook = em.create(Webhook, { tenant: principal.tenantId, url: input.url, events: input.events, active: input.active ?? true, secret });
  await em.flush();
  return { webhook, secret };
}

export async function getWebhook(em: EntityManager, id: string): Promise<Webhook> {
  const webhook = await em.findOne(Webhook, { id });
  if (!webhook) throw AppError.notFound('webhook');
  return webhook;
}

export async function listWebhooks(em: EntityManager): Promise<Webhook[]> {
  return em.find(Webhook, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
}

/** Turning an endpoint back on clears its failure count; its waiting deliveries then go out. */
export async function updateWebhook(em: EntityManager, id: string, input: z.infer<typeof updateWebhookSchema>, policy: AddressPolicy): Promise<Webhook> {
  const webhook = await getWebhook(em, id);
  checkAddress(input.url, policy);
  em.assign(webhook, {
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.events !== undefined ? { events: input.events } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
    ...(input.active === true && !webhook.active ? { consecutiveFailures: 0, disabledAt: null } : {}),
  });
  await em.flush();
  return webhook;
}

export async function deleteWebhook(em: EntityManager, id: string): Promise<void> {
  em.remove(await getWebhook(em, id));
  await em.flush();
}

export async function listDeliveries(em: EntityManager, webhookId: string, query: z.infer<typeof deliveriesQuerySchema>): Promise<WebhookDelivery[]> {
  await getWebhook(em, webhookId);
  return em.find(WebhookDelivery, { webhook: webhookId, ...(query.status ? { status: query.status } : {}) },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: query.limit });
}

/** Sends the delivery again, as it was (same webhook-id, same body), with a fresh retry schedule. */
export async function replayDelivery(em: EntityManager, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
  const delivery = await em.findOne(WebhookDelivery, { id: deliveryId, webhook: webhookId });
  if (!delivery) throw AppError.notFound('delivery');
  if (delivery.status === 'sending') throw AppError.conflict('the delivery is being sent');
  em.assign(delivery, { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedUntil: null });
  await em.flush();
  return delivery;
}
