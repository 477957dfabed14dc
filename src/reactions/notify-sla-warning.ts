// An SLA warning on a conversation notifies its assignee (breaches go to supervisors, live and by webhook).
import type { NotificationWriter } from '../features/notifications/notification-writer.ts';
import { reaction } from './reaction.ts';

export const notifySlaWarning = (notifications: NotificationWriter) => reaction('notify-sla-warning',
  ['sla.alert'], async (e) => {
    if (e.alert !== 'warning' || !e.assigneeId) return;
    await notifications.notify({
      tenantId: e.tenantId, userId: e.assigneeId, kind: 'sla_warning', conversationId: e.conversationId, data: { kind: e.kind, dueAt: e.dueAt },
    });
  });
