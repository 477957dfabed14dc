// Domain events → Socket.IO emits. The only place that knows which room hears what.
import type { DomainEvent, EventBus } from '../src/events/domain-events.ts';
import { rooms } from './rooms.ts';
import type { AppServer } from './server.ts';

export function startBroadcaster(io: AppServer, bus: EventBus): () => void {
  return bus.subscribe((event: DomainEvent) => {
    switch (event.type) {
      case 'message.created': {
        const { conversation, message } = event;
        const targets = [rooms.conversation(conversation.id)];
        if (conversation.assigneeId) targets.push(rooms.user(conversation.assigneeId));
        // Internal notes never reach bots.
        const op = message.direction === 'internal' ? io.to(targets).except(rooms.bots(event.tenantId)) : io.to(targets);
        op.emit('message:new', { message });
        break;
      }
      case 'conversation.updated':
        io.to(rooms.tenant(event.tenantId)).emit('conversation:updated', { conversation: event.conversation });
        break;
      case 'message.status':
        io.to(rooms.conversation(event.conversationId)).emit('message:status', {
          conversationId: event.conversationId, messageId: event.messageId, status: event.status, at: event.at,
        });
        break;
      case 'presence.changed':
        io.to(rooms.tenant(event.tenantId)).emit('presence', { userId: event.userId, status: event.status });
        break;
      case 'assignment.changed': {
        const targets = [rooms.tenant(event.tenantId)];
        for (const id of [event.assigneeId, event.previousAssigneeId]) if (id) targets.push(rooms.user(id));
        io.to(targets).emit('assignment', {
          conversationId: event.conversation.id, assigneeId: event.assigneeId, previousAssigneeId: event.previousAssigneeId,
          type: event.assignmentType, byUserId: event.byUserId,
        });
        break;
      }
      case 'sla.alert': {
        const targets = [rooms.supervisors(event.tenantId)];
        if (event.assigneeId) targets.push(rooms.user(event.assigneeId));
        const payload = {
          conversationId: event.conversationId, kind: event.kind, dueAt: event.dueAt, assigneeId: event.assigneeId, policyId: event.policyId,
          ...(event.breachedAt ? { breachedAt: event.breachedAt } : {}),
        };
        io.to(targets).emit(event.alert === 'breach' ? 'sla:breach' : 'sla:warning', payload);
        break;
      }
      case 'unread.changed':
        io.to(rooms.user(event.userId)).emit('unread', {
          conversationId: event.conversationId, unread: event.unread, totalUnread: event.totalUnread,
        });
        break;
    }
  });
}
