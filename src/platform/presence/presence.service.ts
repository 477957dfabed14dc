// Presence as the domain sees it: store calls that publish each change once, never failing the caller.
import type { Logger } from 'pino';
import type { PresenceStatus } from '../../contract/dto.ts';
import type { EventBus } from '../events/domain-events.ts';
import type { PresenceChange, PresenceStore } from './presence-store.ts';

export class PresenceService {
  readonly #store: PresenceStore;
  readonly #bus: EventBus;
  readonly #logger: Logger;

  constructor(store: PresenceStore, bus: EventBus, logger: Logger) {
    this.#store = store;
    this.#bus = bus;
    this.#logger = logger;
  }

  get reader(): PresenceStore {
    return this.#store;
  }

  connected(tenantId: string, userId: string, socketId: string): Promise<void> {
    return this.#apply('connect', () => this.#store.connect(tenantId, userId, socketId));
  }

  disconnected(tenantId: string, userId: string, socketId: string): Promise<void> {
    return this.#apply('disconnect', () => this.#store.disconnect(tenantId, userId, socketId));
  }

  choose(tenantId: string, userId: string, status: PresenceStatus): Promise<void> {
    return this.#apply('choose', () => this.#store.choose(tenantId, userId, status));
  }

  async sweep(): Promise<void> {
    for (const change of await this.#store.sweep()) this.#publish(change);
  }

  async #apply(what: string, run: () => Promise<PresenceChange | null>): Promise<void> {
    try {
      const change = await run();
      if (change) this.#publish(change);
    } catch (err) {
      // Presence is best effort (Redis may be away); messages and their acks must not depend on it.
      this.#logger.warn({ err: (err as Error).message, what }, 'presence update failed');
    }
  }

  #publish(change: PresenceChange): void {
    this.#bus.publish({ type: 'presence.changed', ...change });
  }
}
