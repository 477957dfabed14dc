// A person assigned a conversation by someone else (or by round robin) is notified.
import type { NotificationWriter } from '../features/notifications/notification-writer.ts';
import { reaction } from './reaction.ts';

export const notifyAssignee = (notifications: NotificationWriter) => reaction('notify-assignee',
  ['assignment.changed'], async (e) => {
    if (!e.assigneeId || e.assigneeId === e.byUserId) return;
    await notifications.notify({
      tenantId: e.tenantId, userId: e.assigneeId, kind: 'assigned', conversationId: e.conversation.id, actorId: e.byUserId,
      data: { assignmentType: e.assignmentType },
    });
  });
