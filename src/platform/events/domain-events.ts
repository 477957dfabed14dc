// Domain events, published after commit; the realtime broadcaster alone turns them into emits, and the
// reactions of src/reactions/ are the other listeners.
import type { AssignmentType, QueueDto, ConversationDto, MessageDto, MessageStatus, NotificationDto, PresenceStatus, TagDto } from '../../contract/dto.ts';

export type DomainEvent =
  /** `origin`: an opaque id of the connection the message was sent on; it has the message in its answer already. */
  /** `groupSize`: how many messages of this conversation one commit published together (transports may send them as one write). */
  | { type: 'message.created'; tenantId: string; conversation: ConversationDto; message: MessageDto; origin?: string; groupSize?: number }
  /** `rollUpOnly`: only a new message's roll-up changed (time, preview, direction, count), which `message:new` tells joined sockets.
   * `created`: the conversation was just created (automation's `conversation.created`). */
  | { type: 'conversation.updated'; tenantId: string; conversation: ConversationDto; rollUpOnly?: boolean; created?: boolean }
  /** A message changed after it was sent (an internal note pinned or unpinned). */
  | { type: 'message.updated'; tenantId: string; conversation: ConversationDto; message: MessageDto }
  | { type: 'conversation.tagged'; tenantId: string; conversationId: string; tags: TagDto[] }
  /** An admin deleted the conversation and its messages. */
  | { type: 'conversation.deleted'; tenantId: string; conversationId: string; inboxId: string }
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
  /** A person has a new notification; the counts are their unread ones after it. */
  | { type: 'notification.created'; tenantId: string; userId: string; notification: NotificationDto; unreadCount: number; unreadMentions: number }
  /** A webhook endpoint was disabled after repeated dead letters (admins). */
  | { type: 'webhook.disabled'; tenantId: string; webhookId: string; url: string }
  /** The tenant's live queue, recomputed after changes (supervisors). */
  | { type: 'queue.updated'; tenantId: string; queue: QueueDto }
  /** Users became members of an inbox (removals are `access.revoked` with the inbox). */
  | { type: 'inbox.members'; tenantId: string; inboxId: string; added: string[] }
  /** The tenant's automation rules changed (`relayed`: heard from another node); every node forgets its copy. */
  | { type: 'automation.changed'; tenantId: string; relayed?: boolean }
  /** The user's role changed: their open sockets re-read it (rooms, permissions, masked threads). */
  | { type: 'user.changed'; tenantId: string; userId: string }
  /** The user may no longer see an inbox's conversations (removed from it), or anything (deactivated). */
  | { type: 'access.revoked'; tenantId: string; userId: string; inboxId: string | null; keyId?: string };

export type EventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

export type Listener = (event: DomainEvent) => void | Promise<void>;

/** Where a listener's failure goes: logged and counted by the app; the publisher never sees it. */
export type ListenerErrorReport = (listener: string, err: unknown, event: DomainEvent) => void;

const reportToStderr: ListenerErrorReport = (listener, err, event) => {
  console.error(`listener ${listener} failed on ${event.type}:`, err);
};

interface Subscription {
  name: string;
  /** Work of this listener still running (async listeners), awaited by its unsubscribe. */
  running: Set<Promise<unknown>>;
}

/**
 * In-process fan-out after commit. Listeners run in subscription order and their synchronous part runs at
 * once, so per-conversation order holds. Each listener is isolated: a throw or a rejection is reported
 * (logged and counted) and never reaches the operation that published, which has already committed, nor
 * stops the listeners after it.
 */
export class EventBus {
  #listeners = new Map<Listener, Subscription>();
  #report: ListenerErrorReport;

  constructor(options: { onListenerError?: ListenerErrorReport } = {}) {
    this.#report = options.onListenerError ?? reportToStderr;
  }

  /** Answers a stop: it unsubscribes and resolves once this listener's work under way has settled. */
  subscribe(listener: Listener, name = listener.name || 'anonymous'): () => Promise<void> {
    const subscription: Subscription = { name, running: new Set() };
    this.#listeners.set(listener, subscription);
    return async () => {
      this.#listeners.delete(listener);
      await Promise.all(subscription.running);
    };
  }

  publish(event: DomainEvent): void {
    for (const [listener, { name, running }] of this.#listeners) {
      try {
        const result = listener(event);
        if (result instanceof Promise) {
          const run = result.catch((err: unknown) => this.#report(name, err, event));
          running.add(run);
          void run.finally(() => running.delete(run));
        }
      } catch (err) {
        this.#report(name, err, event);
      }
    }
  }

  /** Async work for one event type; `onError` replaces the bus's report for it. */
  on<T extends DomainEvent['type']>(type: T, work: (event: EventOf<T>) => Promise<void>, onError?: (err: unknown) => void): () => Promise<void> {
    // Other types return at once, without a promise: this runs for every event published.
    const listener = (event: DomainEvent) => {
      if (event.type !== type) return;
      const run = work(event as EventOf<T>);
      return onError ? run.catch(onError) : run;
    };
    return this.subscribe(listener, type);
  }
}
