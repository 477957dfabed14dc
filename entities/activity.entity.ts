// The timeline of a CRM record: messages, status and assignment changes, notes.
import { defineEntity, p } from '@mikro-orm/core';
import { tenantScoped, tenantRef, uuidKey } from './common.ts';
import { Conversation } from './conversation.entity.ts';
import { User } from './user.entity.ts';

export const ActivitySchema = defineEntity({
  name: 'Activity',
  tableName: 'activities',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    /** The record the activity belongs to: a CRM type or `conversation`. */
    entityType: p.string().length(32),
    entityId: p.string().length(255),
    conversation: () => p.manyToOne(Conversation).mapToPk().nullable().deleteRule('cascade'),
    kind: p.string().length(64),
    /** Id of what the activity is about (a message, an assignment row). */
    refId: p.uuid().nullable(),
    actor: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    data: p.json<Record<string, unknown>>().nullable(),
    occurredAt: p.datetime(),
  },
  indexes: [
    { name: 'activities_entity_timeline_index', columns: [{ name: 'tenant_id' }, { name: 'entity_type' }, { name: 'entity_id' }, { name: 'occurred_at', sort: 'desc' }] },
    { name: 'activities_conversation_index', properties: ['conversation'] },
  ],
  ...tenantScoped,
});
export class Activity extends ActivitySchema.class {}
ActivitySchema.setClass(Activity);
