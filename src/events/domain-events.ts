// Domain events, published after commit; the realtime broadcaster alone turns them into emits.
import type { ConversationDto, MessageDto, MessageStatus } from '../contract/dto.ts';

export type DomainEvent =
  | { type: 'message.created'; tenantId: string; conversation: ConversationDto; message: MessageDto }
  | { type: 'conversation.updated'; tenantId: string; conversation: ConversationDto }
  | { type: 'message.status'; tenantId: string; conversationId: string; messageId: string; status: MessageStatus; at: string }
  | { type: 'unread.changed'; tenantId: string; userId: string; conversationId: string; unread: number; totalUnread: number };

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
}
