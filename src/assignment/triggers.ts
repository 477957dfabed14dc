// Reactions to events that may let waiting work move: an agent coming online, an assignment freeing capacity.
import type { EventBus } from '../events/domain-events.ts';
import type { EntityManager } from '@mikro-orm/core';
import { totalUnread, unreadIn } from '../read-state/read-state.service.ts';
import type { Router } from './routing.ts';

export function startAssignmentTriggers(bus: EventBus, router: Router, emFor: (tenantId: string) => EntityManager): () => void {
  const report = router.auto.report;
  const stops = [
    bus.on('presence.changed', async (e) => {
      if (e.status === 'online') await router.auto.drainForUser(e.tenantId, e.userId);
    }, report),
    bus.on('assignment.changed', async (e) => {
      // The new and previous assignees' totalUnread changed with the assignment.
      const em = emFor(e.tenantId);
      for (const userId of [e.assigneeId, e.previousAssigneeId]) {
        if (!userId) continue;
        const reader = { userId, isBot: false };
        bus.publish({
          type: 'unread.changed', tenantId: e.tenantId, userId, conversationId: e.conversation.id,
          unread: await unreadIn(em, reader, e.conversation.id), totalUnread: await totalUnread(em, reader, e.tenantId),
        });
      }
      if (e.assignmentType === 'auto_round_robin') return;
      if (e.assigneeId === null) await router.route(e.tenantId, e.conversation.id);
      if (e.previousAssigneeId) await router.capacityFreed(e.tenantId, e.previousAssigneeId);
    }, report),
  ];
  return () => stops.forEach((stop) => stop());
}
