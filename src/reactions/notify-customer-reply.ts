// A customer writing in an assigned conversation notifies its assignee, once until they have read it (not when the
// conversation is muted).
import type { EntityManager } from '@mikro-orm/core';
import type { EventBus } from '../platform/events/domain-events.ts';
import { hasUnread, notify } from '../features/notifications/notifications.service.ts';
import { reaction } from './reaction.ts';

export const notifyCustomerReply = (bus: EventBus, emFor: (tenantId: string) => EntityManager) => reaction('notify-customer-reply',
  ['message.created'], async (e) => {
    const assignee = e.conversation.assigneeId;
    if (e.message.direction !== 'inbound' || !assignee || e.conversation.muted) return;
    const em = emFor(e.tenantId);
    if (await hasUnread(em, assignee, 'customer_replied', e.conversation.id)) return;
    await notify(em, bus, { tenantId: e.tenantId, userId: assignee, kind: 'customer_replied', conversationId: e.conversation.id, messageId: e.message.id }, new Date());
  });
