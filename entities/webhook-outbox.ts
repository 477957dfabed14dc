// The outbox triggers: a change that webhooks listen to writes one delivery row per subscribed, active
// endpoint of its tenant, in the same transaction as the change; a crash after the commit loses nothing.

export const WEBHOOK_EVENT_TYPES = [
  'message.created', 'conversation.created', 'conversation.updated', 'conversation.assigned', 'sla.breached',
  // Sent on request (POST /v1/conversations/:id/transcript/send), its body written when queued.
  'conversation.transcript',
  // An automation rule's send_webhook action, to the endpoint it names.
  'automation.triggered',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * A statement-level outbox trigger: once per statement, whatever the rows it wrote, over its transition table
 * (`n`, and `o` for an update's old rows, joined on id). `subject` and `conversation` are columns of `n`; `only`
 * is a condition over `o` and `n`. A row trigger cost one plpgsql call per row of every update (the SLA
 * engine's 10,000-row stamps, the send statement's roll-ups) even with no webhook subscribed. Written as the
 * whole DDL (`expression`) because a transition table needs a REFERENCING clause the builder has no field for.
 */
export function outboxTrigger(table: string, name: string, type: WebhookEventType, event: 'insert' | 'update', subject: string, conversation: string, only?: string) {
  const fn = `"${table}_${name}_fn"`;
  const rows = event === 'update'
    ? `new_rows n join old_rows o on o.id = n.id${only ? ` where ${only}` : ''}`
    : 'new_rows n';
  const referencing = event === 'update' ? 'referencing old table as old_rows new table as new_rows' : 'referencing new table as new_rows';
  return {
    name,
    timing: 'after' as const,
    events: [event],
    forEach: 'statement' as const,
    expression: `create or replace function ${fn}() returns trigger as $$ begin
      if not exists (select 1 from webhooks w where w.active and w.events @> '["${type}"]'::jsonb) then return null; end if;
      ${outboxInsert(type, `(select n.* from ${rows})`, subject, conversation, 'clock_timestamp()')};
      return null; end; $$ language plpgsql;
    create trigger "${name}" after ${event} on "${table}" ${referencing} for each statement execute function ${fn}();`,
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
