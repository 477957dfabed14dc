// Deliveries whose body is written when they are queued (a transcript, an automation rule's call), rather than
// built from the subject at the first attempt: one delivery per endpoint, one event id shared by them.
import type { EntityManager } from '@mikro-orm/core';
import type { WebhookEventType } from '../../../entities/webhook-outbox.ts';
import { sql } from '../../platform/db/sql.ts';

export interface PayloadDelivery {
  tenantId: string;
  type: WebhookEventType;
  /** The conversation it is about: its id is the subject and the ordering key. */
  conversationId: string;
  data: Record<string, unknown>;
  at: Date;
  /** One endpoint (an automation rule names it); else every active endpoint subscribed to `type`. */
  webhookId?: string;
}

/** Queues the deliveries in the caller's transaction; answers how many were queued. */
export async function queuePayloadDelivery(em: EntityManager, d: PayloadDelivery): Promise<number> {
  const payload = JSON.stringify({ type: d.type, timestamp: d.at.toISOString(), data: d.data });
  const endpoint = d.webhookId ? 'w.id = ?' : `w.events @> ?::jsonb`;
  const rows = await sql<{ id: string }>(em, `
    insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at, payload)
    select gen_random_uuid(), w.tenant_id, w.id, e.id, ?, ?::uuid, ?::uuid, 'pending', 0, now(), clock_timestamp(), ?
    from webhooks w, (select gen_random_uuid() as id) e
    where w.tenant_id = ? and w.active and ${endpoint}
    returning id`, [d.type, d.conversationId, d.conversationId, payload, d.tenantId, d.webhookId ?? JSON.stringify([d.type])]);
  return rows.length;
}
