// At most `max` calls at once; the rest wait their turn in the order they came. Used for the result downloads: a
// million rows finish as 40 jobs at the same moment, and their 40 downloads started in one task held the page's
// thread ~60 ms (decision 157) — and 40 requests at once is also what a rate-limited API answers with 429s.
export class Limiter {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly max: number) {}

  /**
   * Runs `call` when a place is free. A call whose `signal` has aborted, before its turn or while it waits, never
   * starts: it rejects with the signal's reason (and a waiting one leaves the queue).
   */
  async run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.#running < this.max) this.#running++;
    else await this.#turn(signal);
    try {
      return await call();
    } finally {
      // The place goes straight to the next waiting call, if any.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }

  #turn(signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      const leave = () => {
        this.#waiting.splice(this.#waiting.indexOf(go), 1);
        const why: unknown = signal?.reason;
        reject(why instanceof Error ? why : new DOMException('The call was cancelled before its turn.', 'AbortError'));
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.#waiting.push(go);
    });
  }
}
