// A person assigned a conversation by someone else is notified (round robin notifies its assignees itself).
import type { NotificationWriter } from '../features/notifications/notification-writer.ts';
import { reaction } from './reaction.ts';

export const notifyAssignee = (notifications: NotificationWriter) => reaction('notify-assignee',
  ['assignment.changed'], async (e) => {
    if (!e.assigneeId || e.assigneeId === e.byUserId) return;
    // Round robin notifies its assignees in the statement that assigns them (routing/drain-statements.ts, STAMP).
    if (e.assignmentType === 'auto_round_robin') return;
    await notifications.notify({
      tenantId: e.tenantId, userId: e.assigneeId, kind: 'assigned', conversationId: e.conversation.id, actorId: e.byUserId,
      data: { assignmentType: e.assignmentType },
    });
  });
