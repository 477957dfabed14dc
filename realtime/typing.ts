// Typing indicators: never stored, not echoed to the typer, expired by the server after 6 s.
import { rooms } from './rooms.ts';
import type { AppSocket } from './types.ts';

export const TYPING_TTL_MS = 6000;
/** A refresh of a typing true within this window updates the timer but is not re-broadcast. */
const REBROADCAST_MS = 2000;

interface Typing { timer: NodeJS.Timeout; lastSentAt: number }

export class TypingTracker {
  // socket id → conversation id → state
  #active = new Map<string, Map<string, Typing>>();

  set(socket: AppSocket, conversationId: string, isTyping: boolean): void {
    const mine = this.#active.get(socket.id) ?? new Map<string, Typing>();
    this.#active.set(socket.id, mine);
    const current = mine.get(conversationId);
    if (!isTyping) {
      if (!current) return;
      clearTimeout(current.timer);
      mine.delete(conversationId);
      this.#emit(socket, conversationId, false);
      return;
    }
    const now = Date.now();
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => this.set(socket, conversationId, false), TYPING_TTL_MS);
    timer.unref();
    const resend = !current || now - current.lastSentAt >= REBROADCAST_MS;
    mine.set(conversationId, { timer, lastSentAt: resend ? now : current!.lastSentAt });
    if (resend) this.#emit(socket, conversationId, true);
  }

  /** The typer left the conversation or disconnected: everybody sees them stop. */
  stopAll(socket: AppSocket, conversationId?: string): void {
    const mine = this.#active.get(socket.id);
    if (!mine) return;
    for (const id of [...mine.keys()]) if (!conversationId || id === conversationId) this.set(socket, id, false);
    if (!conversationId) this.#active.delete(socket.id);
  }

  #emit(socket: AppSocket, conversationId: string, isTyping: boolean): void {
    socket.volatile.to([rooms.conversation(conversationId), rooms.conversationMasked(conversationId)]).emit('typing', {
      conversationId, userId: socket.data.userId, name: socket.data.name, isTyping,
    });
  }
}
