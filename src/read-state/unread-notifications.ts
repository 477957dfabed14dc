// Unread counts after new messages, off the send path, for the one reader no client can stand in for: the
// conversation's assignee, whose `totalUnread` spans conversations they have not joined. Per conversation one
// computation at a time; messages that arrive meanwhile fold into the next (counts are absolute, the latest
// wins). Everyone else who joined keeps their own count from `message:new` and the join's cursor.
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { tenantEm } from '../db/tenant-scope.ts';
import type { EventBus, EventOf } from '../events/domain-events.ts';
import { notifyUnread } from './read-state.service.ts';

/** Whether the message changes the assignee's count: not their own, and a whisper only when it is to them. */
function countsForAssignee(event: EventOf<'message.created'>): string | null {
  const assigneeId = event.conversation.assigneeId;
  const { authorId, whisperToId } = event.message;
  if (!assigneeId || authorId === assigneeId) return null;
  if (whisperToId && whisperToId !== assigneeId) return null;
  return assigneeId;
}

/** Answers a stop that waits for the computations under way (before the database closes). */
export function startUnreadNotifications(bus: EventBus, orm: MikroORM, logger: Logger): () => Promise<void> {
  const pending = new Map<string, { tenantId: string; assigneeId: string }>();
  const running = new Map<string, Promise<void>>();

  async function drain(conversationId: string): Promise<void> {
    for (let next = pending.get(conversationId); next; next = pending.get(conversationId)) {
      pending.delete(conversationId);
      await notifyUnread(tenantEm(orm, next.tenantId), bus, next.tenantId, conversationId, next.assigneeId);
    }
  }

  const unsubscribe = bus.subscribe((event) => {
    if (event.type !== 'message.created') return;
    const assigneeId = countsForAssignee(event);
    if (!assigneeId) return;
    const id = event.conversation.id;
    pending.set(id, { tenantId: event.tenantId, assigneeId });
    if (running.has(id)) return;
    running.set(id, drain(id)
      .catch((err: unknown) => logger.error({ err, tenantId: event.tenantId, conversationId: id }, 'unread counts failed'))
      .finally(() => running.delete(id)));
  });
  return async () => {
    unsubscribe();
    await Promise.all(running.values());
  };
}
