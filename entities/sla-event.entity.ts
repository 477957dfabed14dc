// SLA warnings and breaches; the unique key makes each one happen once, whatever the number of nodes.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, uuidKey } from './common.ts';
import { Tenant } from './tenant.entity.ts';
import { Conversation } from './conversation.entity.ts';
import { SLA_EVENT_TYPES, SLA_KINDS } from './enums.ts';
import { SlaPolicy } from './sla-policy.entity.ts';
import { User } from './user.entity.ts';

export const SlaEventSchema = defineEntity({
  name: 'SlaEvent',
  tableName: 'sla_events',
  properties: {
    id: uuidKey(),
    // No foreign keys: the one writer (the SLA engine) inserts only for conversations it holds locked, and the
    // policy and assignee are a record of that moment. A key check costs each of a tick's thousands of inserts
    // about as much as the insert itself; deleting a conversation deletes its events itself.
    tenant: () => p.manyToOne(Tenant).mapToPk().createForeignKeyConstraint(false),
    conversation: () => p.manyToOne(Conversation).mapToPk().createForeignKeyConstraint(false),
    policy: () => p.manyToOne(SlaPolicy).mapToPk().nullable().createForeignKeyConstraint(false),
    kind: p.enum(SLA_KINDS),
    type: p.enum(SLA_EVENT_TYPES),
    /** Which clock of this kind: a reopened conversation or a new next-response clock counts up. */
    cycle: p.integer(),
    dueAt: p.datetime(),
    occurredAt: p.datetime(),
    assignee: () => p.manyToOne(User).mapToPk().nullable().createForeignKeyConstraint(false),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'sla_events_once', properties: ['conversation', 'kind', 'type', 'cycle'] }],
  indexes: [{ name: 'sla_events_tenant_occurred_index', properties: ['tenant', 'type', 'occurredAt'] }],
  // Its webhook deliveries are written by the engine's insert itself (sla/engine.ts, outboxInsert).
  ...tenantScoped,
});
export class SlaEvent extends SlaEventSchema.class {}
SlaEventSchema.setClass(SlaEvent);
