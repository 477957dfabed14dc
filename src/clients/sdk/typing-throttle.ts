// Typing for one conversation: `true` at most once per `throttleMs` while keys are pressed, `false` once the
// keys stop for `idleMs` (or on demand). Timers only; the client does the emitting.
export interface TypingTiming {
  throttleMs: number;
  idleMs: number;
}

export const DEFAULT_TYPING: TypingTiming = { throttleMs: 2_000, idleMs: 4_000 };

export class TypingThrottle {
  readonly #timing: TypingTiming;
  readonly #emit: (isTyping: boolean) => void;
  #lastTrueAt = -Infinity;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(emit: (isTyping: boolean) => void, timing: TypingTiming = DEFAULT_TYPING) {
    this.#emit = emit;
    this.#timing = timing;
  }

  /** A keystroke. */
  keystroke(now = Date.now()): void {
    if (now - this.#lastTrueAt >= this.#timing.throttleMs) {
      this.#lastTrueAt = now;
      this.#emit(true);
    }
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.stop(), this.#timing.idleMs);
  }

  /** Stopped typing (sent, cleared, left): `false` if `true` was the last word. */
  stop(): void {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    if (this.#lastTrueAt === -Infinity) return;
    this.#lastTrueAt = -Infinity;
    this.#emit(false);
  }
}
