// Explicit access to one thread for a user who is not otherwise a participant (visibility masking).
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';
import { Conversation } from './conversation.entity.ts';
import { User } from './user.entity.ts';

export const ConversationGrantSchema = defineEntity({
  name: 'ConversationGrant',
  tableName: 'conversation_grants',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    conversation: () => p.manyToOne(Conversation).mapToPk().deleteRule('cascade'),
    user: () => p.manyToOne(User).mapToPk().deleteRule('cascade'),
    grantedBy: () => p.manyToOne(User).mapToPk().nullable().deleteRule('set null'),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'conversation_grants_conversation_user_unique', properties: ['conversation', 'user'] }],
  indexes: [{ name: 'conversation_grants_user_index', properties: ['user'] }],
  ...tenantScoped,
});
export class ConversationGrant extends ConversationGrantSchema.class {}
ConversationGrantSchema.setClass(ConversationGrant);
