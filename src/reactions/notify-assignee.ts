// A person assigned a conversation by someone else (or by round robin) is notified.
import type { EntityManager } from '@mikro-orm/core';
import type { EventBus } from '../platform/events/domain-events.ts';
import { notify } from '../features/notifications/notifications.service.ts';
import { reaction } from './reaction.ts';

export const notifyAssignee = (bus: EventBus, emFor: (tenantId: string) => EntityManager) => reaction('notify-assignee',
  ['assignment.changed'], async (e) => {
    if (!e.assigneeId || e.assigneeId === e.byUserId) return;
    await notify(emFor(e.tenantId), bus, {
      tenantId: e.tenantId, userId: e.assigneeId, kind: 'assigned', conversationId: e.conversation.id, actorId: e.byUserId,
      data: { assignmentType: e.assignmentType },
    }, new Date());
  });
