// queue:updated: after any change that moves the queue (a conversation, an assignment, a presence), the
// tenant's queue is recomputed once per window, by one node of the cluster, and published for supervisors.
import type { WindowClaims } from '../platform/coordination/window-claims.ts';
import type { EventBus } from '../platform/events/domain-events.ts';
import type { Routing } from '../routing/routing-port.ts';
import { reaction } from './reaction.ts';

/** Changes within this window share one recomputation (the contract allows 1 s from a change to the event). */
export const QUEUE_WINDOW_MS = 250;
/**
 * The window's node reads the queue this long after claiming it, later than its claim lasts: a node that saw a
 * change while the claim stood left it to this window, and its change committed before that node asked.
 */
const READ_AFTER_MS = QUEUE_WINDOW_MS + 50;

interface Window {
  timer: ReturnType<typeof setTimeout>;
  /** A claim of this node succeeded while the window waited (its answer came late): one more read after this one. */
  again: boolean;
  cancel: () => void;
}

export function recomputeQueue(bus: EventBus, routing: Pick<Routing, 'queue'>, windows: WindowClaims) {
  /** Per tenant, this node's window waiting to read. */
  const pending = new Map<string, Window>();
  let closed = false;

  // The window's one recomputation is the work of the event that opened it: the bus reports its failure.
  const open = (tenantId: string): Promise<void> => new Promise<void>((resolve, reject) => {
    const window: Window = {
      again: false,
      cancel: resolve,
      timer: setTimeout(() => {
        pending.delete(tenantId);
        routing.queue(tenantId)
          .then((queue) => {
            bus.publish({ type: 'queue.updated', tenantId, queue });
            // That claim promised the other nodes a read READ_AFTER_MS after it, which this one may have preceded.
            if (window.again && !closed) return open(tenantId);
            return undefined;
          })
          .then(resolve, reject);
      }, READ_AFTER_MS),
    };
    pending.set(tenantId, window);
  });

  return reaction('recompute-queue', ['conversation.updated', 'assignment.changed', 'presence.changed'], (event) => {
    const { tenantId } = event;
    // This node's window has not read yet: it will see the change.
    if (pending.has(tenantId)) return undefined;
    return windows.claim(`queue:${tenantId}`, QUEUE_WINDOW_MS).then((mine) => {
      // Claimed by another node: its read comes after this change's commit.
      if (!mine || closed) return undefined;
      const waiting = pending.get(tenantId);
      if (!waiting) return open(tenantId);
      waiting.again = true;
      return undefined;
    });
  }, () => {
    closed = true;
    for (const { timer, cancel } of pending.values()) { clearTimeout(timer); cancel(); }
    pending.clear();
  });
}
