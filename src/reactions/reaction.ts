// What a reaction is: a named piece of work that follows one or more domain events, after their commit.
// The bus isolates each one (src/platform/events/domain-events.ts): a failure is logged and counted, never thrown back.
import type { DomainEvent, EventBus, EventOf } from '../platform/events/domain-events.ts';

export type EventType = DomainEvent['type'];

export interface Reaction {
  /** Names it in logs and in the `switchboard_listener_errors_total` metric. */
  name: string;
  /** The events it follows. */
  on: readonly EventType[];
  run(event: DomainEvent): void | Promise<void>;
  /** Drops work it holds for later (timers); work under way is awaited by the stop of `register`. */
  close?(): void;
}

/** A reaction typed by the events it follows. */
export function reaction<T extends EventType>(
  name: string, on: readonly T[], run: (event: EventOf<T>) => void | Promise<void>, close?: () => void,
): Reaction {
  return { name, on, run: run as (event: DomainEvent) => void | Promise<void>, close };
}

/** Subscribes every reaction; answers a stop that unsubscribes them and waits for their work under way. */
export function register(bus: EventBus, reactions: readonly Reaction[]): () => Promise<void> {
  const stops = reactions.map((r) => {
    const types = new Set<string>(r.on);
    const listener = (event: DomainEvent) => (types.has(event.type) ? r.run(event) : undefined);
    const unsubscribe = bus.subscribe(listener, r.name);
    return async () => {
      r.close?.();
      await unsubscribe();
    };
  });
  return async () => { await Promise.all(stops.map((stop) => stop())); };
}
