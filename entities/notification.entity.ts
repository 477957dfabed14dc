// One person's notifications: assigned to them, mentioned, an SLA warning on their conversation, a customer
// who wrote in their conversation. Read or unread; the newest first.
import { defineEntity, p } from '@mikro-orm/core';
import { tenantScoped, tenantRef, uuidKey } from './common.ts';
import { Conversation } from './conversation.entity.ts';
import { NOTIFICATION_KINDS } from './enums.ts';
import { User } from './user.entity.ts';
import { notificationCountTriggers } from './notification-count.entity.ts';

export const NotificationSchema = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  properties: {
    id: uuidKey(),
    tenant: tenantRef(),
    user: () => p.manyToOne(User).mapToPk().deleteRule('cascade'),
    kind: p.enum(NOTIFICATION_KINDS),
    conversation: () => p.manyToOne(Conversation).mapToPk().deleteRule('cascade'),
    /** The message it is about (a mention's note, a customer's message). */
    messageId: p.uuid().nullable(),
    /** Who caused it (who assigned, who mentioned); null for the customer or the SLA engine. */
    actorId: p.uuid().nullable(),
    data: p.json<Record<string, unknown>>().nullable(),
    readAt: p.datetime().nullable(),
    createdAt: p.datetime(),
  },
  indexes: [
    { name: 'notifications_user_time_index', expression: 'create index "notifications_user_time_index" on "notifications" ("user_id", "created_at" desc, "id" desc)' },
    { name: 'notifications_unread_index', properties: ['user', 'kind'], where: 'read_at is null' },
  ],
  // Each person's unread counts (notification_counts) follow every write.
  triggers: notificationCountTriggers,
  ...tenantScoped,
});
export class Notification extends NotificationSchema.class {}
NotificationSchema.setClass(Notification);
