// Per key, one run at a time: a request while the key's run is under way asks for one more run after it, and
// every request made meanwhile folds into that one. For work that reads the latest state (counts, what is
// due): running it once more covers everything asked since it began.

export class RunAgain<K = string> {
  readonly #work: (key: K) => Promise<void>;
  readonly #running = new Map<K, Promise<void>>();
  readonly #again = new Set<K>();

  constructor(work: (key: K) => Promise<void>) {
    this.#work = work;
  }

  /** Whether a run of the key is under way (a request now folds into the run after it). */
  isRunning(key: K): boolean {
    return this.#running.has(key);
  }

  /** Resolves when the runs covering this request have ended; rejects if one failed (the next request starts afresh). */
  request(key: K): Promise<void> {
    const running = this.#running.get(key);
    if (running) {
      this.#again.add(key);
      return running;
    }
    const run = this.#loop(key).finally(() => {
      this.#running.delete(key);
      this.#again.delete(key);
    });
    this.#running.set(key, run);
    return run;
  }

  /** Resolves once every run under way has ended (failures included): a clean stop. */
  async idle(): Promise<void> {
    await Promise.allSettled(this.#running.values());
  }

  async #loop(key: K): Promise<void> {
    do {
      this.#again.delete(key);
      await this.#work(key);
    } while (this.#again.has(key));
  }
}
