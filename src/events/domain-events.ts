// Domain events, published after commit; the realtime broadcaster alone turns them into emits.
import type { AssignmentType, QueueDto, ConversationDto, MessageDto, MessageStatus, PresenceStatus, TagDto } from '../contract/dto.ts';

export type DomainEvent =
  /** `origin`: an opaque id of the connection the message was sent on; it has the message in its answer already. */
  | { type: 'message.created'; tenantId: string; conversation: ConversationDto; message: MessageDto; origin?: string }
  /** `rollUpOnly`: only a new message's roll-up changed (time, preview, direction, count), which `message:new` tells joined sockets. */
  | { type: 'conversation.updated'; tenantId: string; conversation: ConversationDto; rollUpOnly?: boolean }
  /** A message changed after it was sent (an internal note pinned or unpinned). */
  | { type: 'message.updated'; tenantId: string; conversation: ConversationDto; message: MessageDto }
  | { type: 'conversation.tagged'; tenantId: string; conversationId: string; tags: TagDto[] }
  /** Whether the user now sees a masked thread in full (grant, assignment, first message written) or not. */
  | { type: 'access.changed'; tenantId: string; conversationId: string; userId: string; full: boolean }
  | { type: 'message.status'; tenantId: string; conversationId: string; messageId: string; status: MessageStatus; at: string }
  /** `seq`: the conversation's last seq the counts take in. */
  | { type: 'unread.changed'; tenantId: string; userId: string; conversationId: string; unread: number; totalUnread: number; seq: number }
  | { type: 'presence.changed'; tenantId: string; userId: string; status: PresenceStatus }
  | {
    type: 'assignment.changed'; tenantId: string; conversation: ConversationDto; assigneeId: string | null;
    previousAssigneeId: string | null; assignmentType: AssignmentType; byUserId: string | null;
  }
  | {
    type: 'sla.alert'; tenantId: string; alert: 'warning' | 'breach'; conversationId: string;
    kind: 'first_response' | 'next_response' | 'resolution'; dueAt: string; breachedAt: string | null;
    assigneeId: string | null; policyId: string | null;
  }
  /** A webhook endpoint was disabled after repeated dead letters (admins). */
  | { type: 'webhook.disabled'; tenantId: string; webhookId: string; url: string }
  /** The tenant's live queue, recomputed after changes (supervisors). */
  | { type: 'queue.updated'; tenantId: string; queue: QueueDto }
  /** Users became members of an inbox (removals are `access.revoked` with the inbox). */
  | { type: 'inbox.members'; tenantId: string; inboxId: string; added: string[] }
  /** The user's role changed: their open sockets re-read it (rooms, permissions, masked threads). */
  | { type: 'user.changed'; tenantId: string; userId: string }
  /** The user may no longer see an inbox's conversations (removed from it), or anything (deactivated). */
  | { type: 'access.revoked'; tenantId: string; userId: string; inboxId: string | null; keyId?: string };

export type EventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

export type Listener = (event: DomainEvent) => void;

/** In-process, synchronous fan-out: listeners run in publish order, so per-conversation order holds. */
export class EventBus {
  #listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(event: DomainEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /**
   * Runs async work for one event type; its failures are reported, never thrown into the publisher.
   * The returned stop unsubscribes and resolves once the work still running has settled (a clean shutdown).
   */
  on<T extends DomainEvent['type']>(type: T, work: (event: EventOf<T>) => Promise<void>, onError: (err: unknown) => void): () => Promise<void> {
    const running = new Set<Promise<void>>();
    const unsubscribe = this.subscribe((event) => {
      if (event.type !== type) return;
      const run = work(event as EventOf<T>).catch(onError);
      running.add(run);
      void run.finally(() => running.delete(run));
    });
    return async () => {
      unsubscribe();
      await Promise.all(running);
    };
  }
}
