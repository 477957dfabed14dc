// Unread counts after new messages, off the send path, for the one reader no client can stand in for: the
// conversation's assignee, whose `totalUnread` spans conversations they have not joined. Per conversation one
// computation at a time; messages that arrive meanwhile fold into the next (counts are absolute, the latest
// wins). Everyone else who joined keeps their own count from `message:new` and the join's cursor.
import type { EntityManager } from '@mikro-orm/core';
import type { EventBus, EventOf } from '../platform/events/domain-events.ts';
import { notifyUnread } from '../core/read-state/read-state.service.ts';
import { RunAgain } from '../platform/util/run-again.ts';
import { reaction } from './reaction.ts';

/** Whether the message changes the assignee's count: not their own, and a whisper only when it is to them. */
function countsForAssignee(event: EventOf<'message.created'>): string | null {
  const assigneeId = event.conversation.assigneeId;
  const { authorId, whisperToId } = event.message;
  if (!assigneeId || authorId === assigneeId) return null;
  if (whisperToId && whisperToId !== assigneeId) return null;
  return assigneeId;
}

export function assigneeUnreadAfterMessage(bus: EventBus, emFor: (tenantId: string) => EntityManager) {
  const latest = new Map<string, { tenantId: string; assigneeId: string }>();
  const counts = new RunAgain<string>(async (conversationId) => {
    const next = latest.get(conversationId);
    if (!next) return;
    latest.delete(conversationId);
    await notifyUnread(emFor(next.tenantId), bus, next.tenantId, conversationId, next.assigneeId);
  });
  return reaction('assignee-unread-after-message', ['message.created'], (event) => {
    const assigneeId = countsForAssignee(event);
    if (!assigneeId) return undefined;
    const id = event.conversation.id;
    latest.set(id, { tenantId: event.tenantId, assigneeId });
    // Folded into a run under way: that run's failure is reported once, by the event that started it.
    if (counts.isRunning(id)) return void counts.request(id).catch(() => undefined);
    return counts.request(id);
  });
}
