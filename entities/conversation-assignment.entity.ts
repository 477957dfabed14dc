// Assignment history: one open row (unassignedAt null) at most per conversation.
import { defineEntity, p } from '@mikro-orm/core';
import { tenantScoped, tenantRef, uuidKey } from './common.ts';
import { outboxTrigger } from './webhook-outbox.ts';
import { Conversation } from './conversation.entity.ts';
import { ASSIGNMENT_TYPES } from './enums.ts';
import { User } from './user.entity.ts';

export const ConversationAssignmentSchema = defineEntity({
  name: 'ConversationAssignment',
  tableName: 'conversation_assignments',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    conversation: () => p.manyToOne(Conversation).mapToPk().deleteRule('cascade'),
    assignee: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    previousAssignee: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    type: p.enum(ASSIGNMENT_TYPES),
    byUser: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    reason: p.string().length(500).nullable(),
    assignedAt: p.datetime(),
    unassignedAt: p.datetime().nullable(),
  },
  uniques: [{ name: 'conversation_assignments_one_open', properties: ['conversation'], where: 'unassigned_at is null' }],
  indexes: [
    { name: 'conversation_assignments_conversation_index', properties: ['conversation', 'assignedAt'] },
    { name: 'conversation_assignments_assignee_index', properties: ['assignee', 'assignedAt'] },
  ],
  triggers: [outboxTrigger('conversation_assignments', 'webhook_conversation_assigned', 'conversation.assigned', 'insert', 'id', 'conversation_id')],
  ...tenantScoped,
});
export class ConversationAssignment extends ConversationAssignmentSchema.class {}
ConversationAssignmentSchema.setClass(ConversationAssignment);
