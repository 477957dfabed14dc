// Unread counts after new messages, off the send path: per conversation one computation at a time, and
// messages that arrive meanwhile are folded into the next one (counts are absolute, so the latest wins).
// A hot conversation then costs one counts query per burst instead of one per message.
import type { MikroORM } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { tenantEm } from '../db/tenant-scope.ts';
import type { EventBus } from '../events/domain-events.ts';
import { notifyUnread } from './read-state.service.ts';

interface Pending {
  tenantId: string;
  authors: Set<string | null>;
  allInternal: boolean;
}

/** Answers a stop that waits for the computations under way (before the database closes). */
export function startUnreadNotifications(bus: EventBus, orm: MikroORM, logger: Logger): () => Promise<void> {
  const pending = new Map<string, Pending>();
  const running = new Map<string, Promise<void>>();

  async function drain(conversationId: string): Promise<void> {
    for (let next = pending.get(conversationId); next; next = pending.get(conversationId)) {
      pending.delete(conversationId);
      // The author's own count did not move, unless others wrote in the same burst; an internal note moves no bot's.
      const author = next.authors.size === 1 ? [...next.authors][0] : null;
      await notifyUnread(tenantEm(orm, next.tenantId), bus, next.tenantId, conversationId, author, next.allInternal);
    }
  }

  const unsubscribe = bus.subscribe((event) => {
    if (event.type !== 'message.created') return;
    const id = event.conversation.id;
    const internal = event.message.direction === 'internal';
    const slot = pending.get(id);
    if (slot) {
      slot.authors.add(event.message.authorId);
      slot.allInternal &&= internal;
    } else {
      pending.set(id, { tenantId: event.tenantId, authors: new Set([event.message.authorId]), allInternal: internal });
    }
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
