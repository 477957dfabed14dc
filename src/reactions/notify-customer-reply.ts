// A customer writing in an assigned conversation notifies its assignee, once until they have read it (not when the
// conversation is muted).
import type { NotificationWriter } from '../features/notifications/notification-writer.ts';
import { reaction } from './reaction.ts';

export const notifyCustomerReply = (notifications: NotificationWriter) => reaction('notify-customer-reply',
  ['message.created'], async (e) => {
    const assignee = e.conversation.assigneeId;
    if (e.message.direction !== 'inbound' || !assignee || e.conversation.muted) return;
    await notifications.notify({
      tenantId: e.tenantId, userId: assignee, kind: 'customer_replied', conversationId: e.conversation.id, messageId: e.message.id, once: true,
    });
  });
