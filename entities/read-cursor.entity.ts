// How far each user has read each conversation; unread counts derive from it.
import { defineEntity, p } from '@mikro-orm/core';
import { tenantScoped, tenantRef, updatedAt, uuidKey } from './common.ts';
import { Conversation } from './conversation.entity.ts';
import { User } from './user.entity.ts';

export const ReadCursorSchema = defineEntity({
  name: 'ReadCursor',
  tableName: 'read_cursors',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    user: () => p.manyToOne(User).mapToPk().deleteRule('cascade'),
    conversation: () => p.manyToOne(Conversation).mapToPk().deleteRule('cascade'),
    lastReadSeq: p.integer().default(0),
    updatedAt: updatedAt(),
  },
  uniques: [{ name: 'read_cursors_user_conversation_unique', properties: ['user', 'conversation'] }],
  indexes: [{ name: 'read_cursors_conversation_index', properties: ['conversation'] }],
  ...tenantScoped,
});
export class ReadCursor extends ReadCursorSchema.class {}
ReadCursorSchema.setClass(ReadCursor);
