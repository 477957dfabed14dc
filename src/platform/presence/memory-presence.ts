// Presence for a single node, in process: nothing to expire, a process that dies takes it along.
import type { PresenceStatus } from '../../contract/dto.ts';
import { effectiveStatus, type PresenceChange, type PresenceStore } from './presence-store.ts';

export class MemoryPresence implements PresenceStore {
  #sockets = new Map<string, Set<string>>();
  #chosen = new Map<string, PresenceStatus>();

  async connect(tenantId: string, userId: string, socketId: string): Promise<PresenceChange | null> {
    return this.#track(tenantId, userId, () => {
      const set = this.#sockets.get(userId) ?? new Set<string>();
      set.add(socketId);
      this.#sockets.set(userId, set);
    });
  }

  async disconnect(tenantId: string, userId: string, socketId: string): Promise<PresenceChange | null> {
    return this.#track(tenantId, userId, () => {
      const set = this.#sockets.get(userId);
      set?.delete(socketId);
      if (!set?.size) {
        this.#sockets.delete(userId);
        this.#chosen.delete(userId); // a new session starts online
      }
    });
  }

  async choose(tenantId: string, userId: string, status: PresenceStatus): Promise<PresenceChange | null> {
    if (!this.#sockets.get(userId)?.size) return null;
    return this.#track(tenantId, userId, () => this.#chosen.set(userId, status));
  }

  async statusOf(_tenantId: string, userIds: string[]): Promise<Map<string, PresenceStatus>> {
    return new Map(userIds.map((id) => [id, this.#status(id)]));
  }

  async sweep(): Promise<PresenceChange[]> {
    return [];
  }

  async close(): Promise<void> {}

  #status(userId: string): PresenceStatus {
    return effectiveStatus(Boolean(this.#sockets.get(userId)?.size), this.#chosen.get(userId));
  }

  #track(tenantId: string, userId: string, mutate: () => void): PresenceChange | null {
    const before = this.#status(userId);
    mutate();
    const after = this.#status(userId);
    return before === after ? null : { tenantId, userId, status: after };
  }
}
