// Ordered membership of users in inboxes; the order breaks round-robin ties.
import { defineEntity, p } from '@mikro-orm/core';
import { createdAt, tenantScoped, tenantRef, uuidKey } from './common.ts';
import { Inbox } from './inbox.entity.ts';
import { User } from './user.entity.ts';

export const InboxMemberSchema = defineEntity({
  name: 'InboxMember',
  tableName: 'inbox_members',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    inbox: () => p.manyToOne(Inbox).mapToPk().deleteRule('cascade'),
    user: () => p.manyToOne(User).mapToPk().deleteRule('cascade'),
    position: p.integer(),
    /** When round robin last gave this member a conversation of this inbox. */
    lastAutoAssignedAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'inbox_members_inbox_user_unique', properties: ['inbox', 'user'] }],
  indexes: [{ name: 'inbox_members_user_index', properties: ['user'] }],
  ...tenantScoped,
});
export class InboxMember extends InboxMemberSchema.class {}
InboxMemberSchema.setClass(InboxMember);
