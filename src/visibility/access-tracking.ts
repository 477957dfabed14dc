// Keeps live access to masked threads in step with participation: when an assignment changes, the new
// assignee's joined sockets hear the thread in full and the previous one's fall back to the masked form.
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { tenantEm } from '../db/tenant-scope.ts';
import type { EventBus } from '../events/domain-events.ts';
import { userHasFullAccess } from './access.ts';
import { isMaskable } from '../model/mask.ts';

export function trackAccess(bus: EventBus, orm: MikroORM, logger: Logger): () => void {
  return bus.on('assignment.changed', async ({ tenantId, conversation, assigneeId, previousAssigneeId }) => {
    if (!isMaskable(conversation)) return;
    if (assigneeId) bus.publish({ type: 'access.changed', tenantId, conversationId: conversation.id, userId: assigneeId, full: true });
    if (previousAssigneeId && previousAssigneeId !== assigneeId) {
      const full = await userHasFullAccess(tenantEm(orm, tenantId), previousAssigneeId, conversation.id);
      if (!full) bus.publish({ type: 'access.changed', tenantId, conversationId: conversation.id, userId: previousAssigneeId, full: false });
    }
  }, (err) => logger.error({ err }, 'tracking access to a masked thread failed'));
}
