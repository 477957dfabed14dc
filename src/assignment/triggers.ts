// Reactions to events that may let waiting work move (an agent coming online, an assignment freeing
// capacity), and the unread counts an assignment changes.
import type { EventBus } from '../events/domain-events.ts';
import type { EntityManager } from '@mikro-orm/core';
import { sql } from '../db/sql.ts';
import { publishUnread } from '../read-state/read-state.service.ts';
import type { Router } from './routing.ts';

export function startAssignmentTriggers(bus: EventBus, router: Router, emFor: (tenantId: string) => EntityManager): () => Promise<void> {
  const report = router.auto.report;
  const stops = [
    bus.on('presence.changed', async (e) => {
      // Kept in the database so the routing sweep can tell how long an assignee has been away.
      await sql(emFor(e.tenantId), 'update users set presence = ?, presence_changed_at = now() where id = ? and tenant_id = ?', [e.status, e.userId, e.tenantId]);
      if (e.status === 'online') await router.auto.drainForUser(e.tenantId, e.userId);
    }, report),
    bus.on('assignment.changed', async (e) => {
      // The new and previous assignees' totalUnread changed with the assignment (not for a conversation
      // without messages: nothing of it was unread, so no total moved).
      const em = emFor(e.tenantId);
      for (const userId of [e.assigneeId, e.previousAssigneeId]) {
        if (userId && e.conversation.messageCount > 0) await publishUnread(em, bus, e.tenantId, { userId, isBot: false }, e.conversation.id);
      }
      // Whoever unassigns routes the conversation itself; the previous assignee may now take waiting work.
      if (e.previousAssigneeId) await router.capacityFreed(e.tenantId, e.previousAssigneeId);
    }, report),
  ];
  return async () => { await Promise.all(stops.map((stop) => stop())); };
}
