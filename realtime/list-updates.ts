// Conversation list updates: who sees a conversation in a list (its inbox's member agents, supervisors and
// admins, and sockets that asked to watch every list of the tenant) hears its new state in one batch per
// window, `conversations:changed` {conversations}, latest state per conversation. A window's batch is encoded
// once per audience, so a busy inbox costs each watcher a few packets a second, and agents of other inboxes
// nothing. Only threads that mask nothing travel here: a masked thread's state goes out on its own (broadcaster).
import type { ConversationDto } from '../src/contract/dto.ts';
import { rooms } from './rooms.ts';
import type { AppServer } from './types.ts';

/** How often a list audience hears of changes at most (the first change of a quiet spell goes at once). */
export const LIST_WINDOW_MS = 250;

export class ListUpdates {
  readonly #io: AppServer;
  /** Per tenant, the conversations changed since the last batch, latest state each. */
  readonly #pending = new Map<string, Map<string, ConversationDto>>();
  readonly #windows = new Map<string, NodeJS.Timeout>();

  constructor(io: AppServer) {
    this.#io = io;
  }

  add(tenantId: string, conversation: ConversationDto): void {
    let batch = this.#pending.get(tenantId);
    if (!batch) this.#pending.set(tenantId, batch = new Map());
    batch.set(conversation.id, conversation);
    if (this.#windows.has(tenantId)) return;
    this.#send(tenantId);
    this.#open(tenantId);
  }

  #open(tenantId: string): void {
    const timer = setTimeout(() => {
      this.#windows.delete(tenantId);
      if (!this.#pending.get(tenantId)?.size) return;
      this.#send(tenantId);
      this.#open(tenantId);
    }, LIST_WINDOW_MS);
    timer.unref();
    this.#windows.set(tenantId, timer);
  }

  #send(tenantId: string): void {
    const batch = this.#pending.get(tenantId);
    this.#pending.delete(tenantId);
    if (!batch?.size) return;
    const all = [...batch.values()];
    const supervisors = rooms.supervisors(tenantId);
    const watchers = rooms.list(tenantId);
    this.#io.to(supervisors).emit('conversations:changed', { conversations: all });
    this.#io.to(watchers).except(supervisors).emit('conversations:changed', { conversations: all });
    const byInbox = new Map<string, ConversationDto[]>();
    for (const c of all) byInbox.set(c.inboxId, [...(byInbox.get(c.inboxId) ?? []), c]);
    for (const [inboxId, conversations] of byInbox) {
      this.#io.to(rooms.inbox(inboxId)).except([supervisors, watchers]).emit('conversations:changed', { conversations });
    }
  }

  /** Sends what is pending now (stopping). */
  flush(): void {
    for (const [tenantId, timer] of this.#windows) {
      clearTimeout(timer);
      this.#send(tenantId);
    }
    this.#windows.clear();
  }
}
