// Per key, one batch at a time: items that arrive while a key's batch runs (or in the event loop's turn that
// started it) wait and go together in the next one (up to `maxBatch`), each item getting its own result. A
// conversation's sends thus commit in groups, one group after another, in arrival order.

export type BatchWork<T, R> = (key: string, items: T[]) => Promise<PromiseSettledResult<R>[]>;

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(err: unknown): void;
}

export class KeyedBatcher<T, R> {
  readonly #queues = new Map<string, Waiting<T, R>[]>();
  readonly #work: BatchWork<T, R>;
  readonly #maxBatch: number;

  constructor(maxBatch: number, work: BatchWork<T, R>) {
    this.#maxBatch = maxBatch;
    this.#work = work;
  }

  /** Queues the item under its key; resolves or rejects with the item's own outcome in its batch. */
  push(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.#queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.#queues.set(key, [{ item, resolve, reject }]);
      // The first batch starts after the event loop's current turn, so that the items read from other sockets in the
      // same turn join it. On the embedded database a batch's statements never wait for I/O: started at once, it
      // ran to its commit before the next socket was even read, and every batch held one item.
      setImmediate(() => void this.#drain(key));
    });
  }

  async #drain(key: string): Promise<void> {
    for (let queue = this.#queues.get(key); queue?.length; queue = this.#queues.get(key)) {
      const batch = queue.splice(0, this.#maxBatch);
      let outcomes: PromiseSettledResult<R>[];
      try {
        outcomes = await this.#work(key, batch.map((w) => w.item));
      } catch (err) {
        outcomes = batch.map(() => ({ status: 'rejected', reason: err }));
      }
      batch.forEach((w, i) => {
        const outcome = outcomes[i];
        if (outcome?.status === 'fulfilled') w.resolve(outcome.value);
        else w.reject(outcome ? outcome.reason : new Error('no outcome for a batched item'));
      });
    }
    this.#queues.delete(key);
  }
}
