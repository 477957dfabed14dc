// An SLA warning on a conversation notifies its assignee (breaches go to supervisors, live and by webhook).
import type { EntityManager } from '@mikro-orm/core';
import type { EventBus } from '../platform/events/domain-events.ts';
import { notify } from '../features/notifications/notifications.service.ts';
import { reaction } from './reaction.ts';

export const notifySlaWarning = (bus: EventBus, emFor: (tenantId: string) => EntityManager) => reaction('notify-sla-warning',
  ['sla.alert'], async (e) => {
    if (e.alert !== 'warning' || !e.assigneeId) return;
    await notify(emFor(e.tenantId), bus, {
      tenantId: e.tenantId, userId: e.assigneeId, kind: 'sla_warning', conversationId: e.conversationId, data: { kind: e.kind, dueAt: e.dueAt },
    }, new Date());
  });
