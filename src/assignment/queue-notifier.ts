// queue:updated: after any change that moves the queue (a conversation, an assignment, a presence), the
// tenant's queue is recomputed once per window and published for supervisors.
import type { EntityManager } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { EventBus } from '../events/domain-events.ts';
import type { PresenceReader } from '../presence/presence-reader.ts';
import { liveQueue } from './queue.ts';

/** Changes within this window share one recomputation (the issue allows 1 s from a change to the event). */
export const QUEUE_WINDOW_MS = 250;

export function startQueueNotifier(bus: EventBus, presence: PresenceReader, emFor: (tenantId: string) => EntityManager, logger: Logger): () => Promise<void> {
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  const running = new Set<Promise<void>>();
  const recompute = async (tenantId: string) => {
    pending.delete(tenantId);
    try {
      bus.publish({ type: 'queue.updated', tenantId, queue: await liveQueue(emFor(tenantId), presence, tenantId) });
    } catch (err) {
      logger.warn({ err, tenantId }, 'queue recomputation failed');
    }
  };
  const unsubscribe = bus.subscribe((event) => {
    if (event.type !== 'conversation.updated' && event.type !== 'assignment.changed' && event.type !== 'presence.changed') return;
    if (pending.has(event.tenantId)) return;
    pending.set(event.tenantId, setTimeout(() => {
      const run = recompute(event.tenantId);
      running.add(run);
      void run.finally(() => running.delete(run));
    }, QUEUE_WINDOW_MS));
  });
  return async () => {
    unsubscribe();
    for (const timer of pending.values()) clearTimeout(timer);
    pending.clear();
    await Promise.all(running);
  };
}
