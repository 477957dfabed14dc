// `@name` in an internal note (not a whisper, whose reader is chosen): each person named is notified and, in a
// masked thread they could not read, given access to it (a grant by the note's author).
import type { EntityManager } from '@mikro-orm/core';
import { ConversationGrant, User } from '../../entities/index.ts';
import type { EventBus } from '../platform/events/domain-events.ts';
import { userHasFullAccess } from '../core/visibility/access.ts';
import { mentionedIn } from '../features/notifications/mentions.ts';
import type { NotificationWriter } from '../features/notifications/notification-writer.ts';
import { reaction } from './reaction.ts';

export const notifyMentions = (bus: EventBus, emFor: (tenantId: string) => EntityManager, notifications: NotificationWriter) => reaction('notify-mentions',
  ['message.created'], async (e) => {
    const m = e.message;
    if (m.direction !== 'internal' || m.whisperToId || !m.authorId || !m.body.includes('@')) return;
    const em = emFor(e.tenantId);
    const people = await em.find(User, { active: true, role: { $ne: 'bot' } }, { fields: ['id', 'name'] });
    const named = mentionedIn(m.body, people).filter((id) => id !== m.authorId);
    for (const userId of named) {
      if (!(await userHasFullAccess(em, userId, m.conversationId))) {
        em.create(ConversationGrant, { tenant: e.tenantId, conversation: m.conversationId, user: userId, grantedBy: m.authorId });
        await em.flush();
        bus.publish({ type: 'access.changed', tenantId: e.tenantId, conversationId: m.conversationId, userId, full: true });
      }
      await notifications.notify({
        tenantId: e.tenantId, userId, kind: 'mention', conversationId: m.conversationId, messageId: m.id, actorId: m.authorId,
      });
    }
  });
