// Reactions to events that may let waiting work move (an agent coming online, an assignment freeing
// capacity), and the unread counts an assignment changes.
import type { EventBus } from '../events/domain-events.ts';
import type { EntityManager } from '@mikro-orm/core';
import { publishUnread } from '../read-state/read-state.service.ts';
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
        if (userId) await publishUnread(em, bus, e.tenantId, { userId, isBot: false }, e.conversation.id);
      }
      // Whoever unassigns routes the conversation itself; the previous assignee may now take waiting work.
      if (e.previousAssigneeId) await router.capacityFreed(e.tenantId, e.previousAssigneeId);
    }, report),
  ];
  return () => stops.forEach((stop) => stop());
}
