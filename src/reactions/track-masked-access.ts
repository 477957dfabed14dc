// Keeps live access to masked threads in step with participation: when an assignment changes, the new
// assignee's joined sockets hear the thread in full and the previous one's fall back to the masked form.
import type { EntityManager } from '@mikro-orm/core';
import type { EventBus } from '../platform/events/domain-events.ts';
import { isMaskable } from '../model/mask.ts';
import { userHasFullAccess } from '../core/visibility/access.ts';
import { reaction } from './reaction.ts';

export const trackMaskedAccess = (bus: EventBus, emFor: (tenantId: string) => EntityManager) => reaction('track-masked-access',
  ['assignment.changed'], async ({ tenantId, conversation, assigneeId, previousAssigneeId }) => {
    if (!isMaskable(conversation)) return;
    if (assigneeId) bus.publish({ type: 'access.changed', tenantId, conversationId: conversation.id, userId: assigneeId, full: true });
    if (previousAssigneeId && previousAssigneeId !== assigneeId) {
      // Fail closed: the former assignee's sockets fall back to the masked form at once, before the access query,
      // so that no message committed after the reassignment reaches them in full while it runs. Those who still
      // read in full (an author, a grant, an admin) go back when it answers.
      bus.publish({ type: 'access.changed', tenantId, conversationId: conversation.id, userId: previousAssigneeId, full: false });
      const full = await userHasFullAccess(emFor(tenantId), previousAssigneeId, conversation.id);
      if (full) bus.publish({ type: 'access.changed', tenantId, conversationId: conversation.id, userId: previousAssigneeId, full: true });
    }
  });
