// Tags and their attachment to conversations.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';
import { Conversation } from './conversation.entity.ts';

export const TagSchema = defineEntity({
  name: 'Tag',
  tableName: 'tags',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    name: p.string().length(100),
    color: p.string().length(20).nullable(),
    description: p.string().length(500).nullable(),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'tags_tenant_name_unique', properties: ['tenant', 'name'] }],
  ...tenantScoped,
});
export class Tag extends TagSchema.class {}
TagSchema.setClass(Tag);

export const ConversationTagSchema = defineEntity({
  name: 'ConversationTag',
  tableName: 'conversation_tags',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    conversation: () => p.manyToOne(Conversation).mapToPk().deleteRule('cascade'),
    tag: () => p.manyToOne(Tag).mapToPk().deleteRule('cascade'),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'conversation_tags_unique', properties: ['conversation', 'tag'] }],
  indexes: [{ name: 'conversation_tags_tag_index', properties: ['tag'] }],
  ...tenantScoped,
});
export class ConversationTag extends ConversationTagSchema.class {}
ConversationTagSchema.setClass(ConversationTag);
