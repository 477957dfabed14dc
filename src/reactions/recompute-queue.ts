// queue:updated: after any change that moves the queue (a conversation, an assignment, a presence), the
// tenant's queue is recomputed once per window and published for supervisors.
import type { EventBus } from '../platform/events/domain-events.ts';
import type { Routing } from '../routing/routing-port.ts';
import { reaction } from './reaction.ts';

/** Changes within this window share one recomputation (the contract allows 1 s from a change to the event). */
export const QUEUE_WINDOW_MS = 250;

export function recomputeQueue(bus: EventBus, routing: Pick<Routing, 'queue'>) {
  /** Per tenant, the window waiting to run and how to let it go at shutdown. */
  const pending = new Map<string, { timer: ReturnType<typeof setTimeout>; cancel: () => void }>();
  return reaction('recompute-queue', ['conversation.updated', 'assignment.changed', 'presence.changed'], (event) => {
    const { tenantId } = event;
    if (pending.has(tenantId)) return undefined;
    // The window's one recomputation is the work of the event that opened it: the bus reports its failure.
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(tenantId);
        routing.queue(tenantId)
          .then((queue) => bus.publish({ type: 'queue.updated', tenantId, queue }))
          .then(resolve, reject);
      }, QUEUE_WINDOW_MS);
      pending.set(tenantId, { timer, cancel: resolve });
    });
  }, () => {
    for (const { timer, cancel } of pending.values()) { clearTimeout(timer); cancel(); }
    pending.clear();
  });
}
