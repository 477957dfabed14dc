// Latest-wins coalescing of state events (a conversation's state, a user's unread counts): the first
// change goes out at once, further changes within the window go out once, as the latest state, when it
// ends. A hot conversation then costs its watchers a few state events a second instead of one per
// message, and nobody misses the final state.
export class Coalescer<T> {
  #windowMs: number;
  #emit: (value: T) => void;
  #merge: (pending: T, next: T) => T;
  /** Keys inside their window, with the latest value not yet sent (undefined: nothing new). */
  #open = new Map<string, { latest: T | undefined; timer: NodeJS.Timeout }>();

  /** `merge`: how a new value folds into one still waiting in the window (default: the new one wins). */
  constructor(windowMs: number, emit: (value: T) => void, merge: (pending: T, next: T) => T = (_pending, next) => next) {
    this.#windowMs = windowMs;
    this.#emit = emit;
    this.#merge = merge;
  }

  push(key: string, value: T): void {
    const slot = this.#open.get(key);
    if (slot) {
      slot.latest = slot.latest === undefined ? value : this.#merge(slot.latest, value);
      return;
    }
    this.#emit(value);
    this.#openWindow(key);
  }

  #openWindow(key: string): void {
    const timer = setTimeout(() => this.#close(key), this.#windowMs);
    timer.unref();
    this.#open.set(key, { latest: undefined, timer });
  }

  #close(key: string): void {
    const slot = this.#open.get(key);
    this.#open.delete(key);
    if (slot?.latest === undefined) return;
    this.#emit(slot.latest);
    this.#openWindow(key);
  }

  /** Sends every pending latest value now (stopping). */
  flush(): void {
    for (const [key, slot] of this.#open) {
      clearTimeout(slot.timer);
      this.#open.delete(key);
      if (slot.latest !== undefined) this.#emit(slot.latest);
    }
  }
}
