// The new and the previous assignee's totalUnread changed with the assignment (not for a conversation without
// messages: nothing of it was unread, so no total moved).
import type { EntityManager } from '@mikro-orm/core';
import type { EventBus } from '../platform/events/domain-events.ts';
import { publishUnread } from '../core/read-state/read-state.service.ts';
import { reaction } from './reaction.ts';

export const assignmentUnread = (bus: EventBus, emFor: (tenantId: string) => EntityManager) => reaction('assignment-unread',
  ['assignment.changed'], async (e) => {
    if (e.conversation.messageCount === 0) return;
    const em = emFor(e.tenantId);
    for (const userId of [e.assigneeId, e.previousAssigneeId]) {
      if (userId) await publishUnread(em, bus, e.tenantId, { userId, isBot: false }, e.conversation.id);
    }
  });
