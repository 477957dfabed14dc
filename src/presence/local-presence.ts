// Presence on one node: a user is online while one of their sockets is connected, unless they chose otherwise.
import type { PresenceStatus } from '../contract/dto.ts';
import type { PresenceReader } from './presence-reader.ts';

export class LocalPresence implements PresenceReader {
  #sockets = new Map<string, number>();
  #chosen = new Map<string, PresenceStatus>();

  /** Answers the user's status if it changed. */
  connected(userId: string): PresenceStatus | null {
    const before = this.#status(userId);
    this.#sockets.set(userId, (this.#sockets.get(userId) ?? 0) + 1);
    const after = this.#status(userId);
    return before === after ? null : after;
  }

  disconnected(userId: string): PresenceStatus | null {
    const before = this.#status(userId);
    const left = (this.#sockets.get(userId) ?? 1) - 1;
    if (left > 0) this.#sockets.set(userId, left);
    else this.#sockets.delete(userId);
    const after = this.#status(userId);
    return before === after ? null : after;
  }

  choose(userId: string, status: PresenceStatus): PresenceStatus | null {
    const before = this.#status(userId);
    this.#chosen.set(userId, status);
    const after = this.#status(userId);
    return before === after ? null : after;
  }

  async statusOf(_tenantId: string, userIds: string[]): Promise<Map<string, PresenceStatus>> {
    return new Map(userIds.map((id) => [id, this.#status(id)]));
  }

  #status(userId: string): PresenceStatus {
    if (!this.#sockets.get(userId)) return 'offline';
    return this.#chosen.get(userId) ?? 'online';
  }
}
