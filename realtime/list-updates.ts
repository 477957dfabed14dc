// Conversation list updates: who sees a conversation in a list (its inbox's member agents, supervisors and
// admins, and sockets that asked to watch every list of the tenant) hears its new state in one batch per
// window, `conversations:changed` {conversations}, latest state per conversation. A window's batch is encoded
// once per audience, so a busy inbox costs each watcher a few packets a second, and agents of other inboxes
// nothing. Only threads that mask nothing travel here: a masked thread's state goes out on its own (broadcaster).
import type { ConversationDto } from '../src/contract/dto.ts';
import { Coalescer } from './coalesce.ts';
import { rooms } from './rooms.ts';
import type { AppServer } from './types.ts';

/** How often a list audience hears of changes at most (the first change of a quiet spell goes at once). */
export const LIST_WINDOW_MS = 250;

/** A tenant's conversations changed within a window, latest state each. */
interface Batch { tenantId: string; conversations: Map<string, ConversationDto> }

export class ListUpdates {
  readonly #io: AppServer;
  // Per tenant: later changes in a window fold into the batch waiting to go.
  readonly #windows = new Coalescer<Batch>(LIST_WINDOW_MS, (batch) => this.#send(batch), (pending, next) => {
    for (const [id, conversation] of next.conversations) pending.conversations.set(id, conversation);
    return pending;
  });

  constructor(io: AppServer) {
    this.#io = io;
  }

  add(tenantId: string, conversation: ConversationDto): void {
    this.#windows.push(tenantId, { tenantId, conversations: new Map([[conversation.id, conversation]]) });
  }

  #send({ tenantId, conversations }: Batch): void {
    const all = [...conversations.values()];
    const supervisors = rooms.supervisors(tenantId);
    const watchers = rooms.list(tenantId);
    this.#io.to(supervisors).emit('conversations:changed', { conversations: all });
    this.#io.to(watchers).except(supervisors).emit('conversations:changed', { conversations: all });
    const byInbox = new Map<string, ConversationDto[]>();
    for (const c of all) byInbox.set(c.inboxId, [...(byInbox.get(c.inboxId) ?? []), c]);
    for (const [inboxId, inboxConversations] of byInbox) {
      this.#io.to(rooms.inbox(inboxId)).except([supervisors, watchers]).emit('conversations:changed', { conversations: inboxConversations });
    }
  }

  /** Sends what is pending now (stopping). */
  flush(): void {
    this.#windows.flush();
  }
}
