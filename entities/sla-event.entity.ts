// SLA warnings and breaches; the unique key makes each one happen once, whatever the number of nodes.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';
import { Conversation } from './conversation.entity.ts';
import { SLA_EVENT_TYPES, SLA_KINDS } from './enums.ts';
import { SlaPolicy } from './sla-policy.entity.ts';
import { User } from './user.entity.ts';
import { outboxTrigger } from './webhook-outbox.ts';

export const SlaEventSchema = defineEntity({
  name: 'SlaEvent',
  tableName: 'sla_events',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    conversation: () => p.manyToOne(Conversation).mapToPk().deleteRule('cascade'),
    policy: () => p.manyToOne(SlaPolicy).mapToPk().nullable().deleteRule('set null'),
    kind: p.enum(SLA_KINDS),
    type: p.enum(SLA_EVENT_TYPES),
    /** Which clock of this kind: a reopened conversation or a new next-response clock counts up. */
    cycle: p.integer(),
    dueAt: p.datetime(),
    occurredAt: p.datetime(),
    assignee: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'sla_events_once', properties: ['conversation', 'kind', 'type', 'cycle'] }],
  indexes: [{ name: 'sla_events_tenant_occurred_index', properties: ['tenant', 'type', 'occurredAt'] }],
  triggers: [outboxTrigger('webhook_sla_breached', 'sla.breached', ['insert'], 'new.id', 'new.conversation_id', `new.type = 'breach'`)],
  ...tenantScoped,
});
export class SlaEvent extends SlaEventSchema.class {}
SlaEventSchema.setClass(SlaEvent);
