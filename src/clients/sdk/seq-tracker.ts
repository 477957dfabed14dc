// Per-conversation delivery in `seq` order without duplicates: messages that arrive past a gap wait until a
// sync fills it. Pure state, no I/O: the client decides when to sync.
import type { MessageDto } from '../../contract/dto.ts';

export interface Delivery {
  /** Messages to hand to the application now, in `seq` order. */
  deliver: MessageDto[];
  /** True when a message arrived past a gap: the caller should sync from `lastSeq`. */
  gap: boolean;
}

export class SeqTracker {
  #lastSeq: number;
  readonly #waiting = new Map<number, MessageDto>();

  constructor(lastSeq = 0) {
    this.#lastSeq = lastSeq;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** A live `message:new` (or a send's ack): delivered if next, dropped if already seen, held if early. */
  receive(message: MessageDto): Delivery {
    if (message.seq <= this.#lastSeq) return { deliver: [], gap: false };
    if (message.seq > this.#lastSeq + 1) {
      this.#waiting.set(message.seq, message);
      return { deliver: [], gap: true };
    }
    return { deliver: [this.#advance(message), ...this.#drain()], gap: false };
  }

  /**
   * A page of `conversation:sync` answers. What a sync skips is not coming (bots never get internal notes,
   * for one), so once the sync is complete (`complete`), held messages past what it returned go out too.
   */
  synced(messages: MessageDto[], complete: boolean): MessageDto[] {
    const out: MessageDto[] = [];
    for (const m of [...messages].sort((a, b) => a.seq - b.seq)) {
      if (m.seq <= this.#lastSeq) continue;
      this.#waiting.delete(m.seq);
      out.push(this.#advance(m));
    }
    out.push(...this.#drain());
    if (complete) {
      for (const seq of [...this.#waiting.keys()].sort((a, b) => a - b)) {
        const held = this.#waiting.get(seq)!;
        this.#waiting.delete(seq);
        if (seq > this.#lastSeq) out.push(this.#advance(held));
      }
    }
    return out;
  }

  #advance(message: MessageDto): MessageDto {
    this.#lastSeq = message.seq;
    return message;
  }

  #drain(): MessageDto[] {
    const out: MessageDto[] = [];
    for (let next = this.#waiting.get(this.#lastSeq + 1); next; next = this.#waiting.get(this.#lastSeq + 1)) {
      this.#waiting.delete(next.seq);
      out.push(this.#advance(next));
    }
    return out;
  }
}
