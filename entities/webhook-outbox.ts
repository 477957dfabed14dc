// The outbox triggers: a change that webhooks listen to writes one delivery row per subscribed, active
// endpoint of its tenant, in the same transaction as the change; a crash after the commit loses nothing.

export const WEBHOOK_EVENT_TYPES = ['message.created', 'conversation.created', 'conversation.updated', 'conversation.assigned', 'sla.breached'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * `subject` and `conversation` are expressions over `new`; `only` a condition over `old`/`new`. The condition
 * lives in the function body, not the trigger's WHEN: PostgreSQL rewrites a WHEN clause, and the schema diff
 * would then see a change that is not one.
 */
export function outboxTrigger(name: string, type: WebhookEventType, events: ('insert' | 'update')[], subject: string, conversation: string, only?: string) {
  return {
    name,
    timing: 'after' as const,
    events,
    forEach: 'row' as const,
    body: `${only ? `if not (${only}) then return null; end if;
      ` : ''}insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
      select gen_random_uuid(), new.tenant_id, w.id, e.id, '${type}', ${subject}, ${conversation}, 'pending', 0, now(), clock_timestamp()
      from webhooks w, (select gen_random_uuid() as id) e
      where w.tenant_id = new.tenant_id and w.active and w.events @> '["${type}"]'::jsonb;
      return null;`,
  };
}

/**
 * The same outbox write inside a statement that makes the rows itself (a data-modifying CTE), for the hot
 * writers: one set-based insert instead of a trigger call per row. `source` is a relation with `tenant_id` and
 * the named columns; one event id per source row, shared by its endpoints; `createdAt` orders deliveries of a
 * conversation (their ordering key).
 */
export function outboxInsert(type: WebhookEventType, source: string, subject: string, conversation: string, createdAt: string): string {
  return `insert into webhook_deliveries (id, tenant_id, webhook_id, event_id, event_type, subject_id, ordering_key, status, attempts, next_attempt_at, created_at)
    select gen_random_uuid(), s.tenant_id, w.id, s.event_id, '${type}', s.${subject}, s.${conversation}, 'pending', 0, now(), ${createdAt}
    from (select *, gen_random_uuid() as event_id from ${source} src) s
    join webhooks w on w.tenant_id = s.tenant_id and w.active and w.events @> '["${type}"]'::jsonb`;
}
