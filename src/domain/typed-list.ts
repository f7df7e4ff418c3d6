// A list of numbers pushed one at a time into a typed array that doubles when full. Pushing a million numbers into
// a plain array and then copying them into a typed array costs twice (the org check's change lists, Review's packed
// edits); this pushes once and copies once, into a buffer of the list's own length.

type Typed = Int32Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Uint16Array<ArrayBuffer>;

export class TypedList<T extends Typed> {
  #data: T;
  #size = 0;
  readonly #make: (n: number) => T;

  /**
   * `capacity`: room made up front. A generous guess costs little: the system maps a new array's memory only where
   * it is written, while each doubling writes a copy into fresh memory (on the machine of decision 166, ~3 ms a MB).
   */
  constructor(make: (n: number) => T, capacity = 1024) {
    this.#make = make;
    this.#data = make(Math.max(16, capacity));
  }

  push(v: number): void {
    if (this.#size === this.#data.length) {
      const bigger = this.#make(this.#data.length * 2);
      bigger.set(this.#data);
      this.#data = bigger;
    }
    this.#data[this.#size++] = v;
  }

  get length(): number {
    return this.#size;
  }

  /** The values pushed so far, as a view of the list's buffer (no copy; valid until the next push). */
  view(): T {
    return this.#data.subarray(0, this.#size) as T;
  }

  /** The values pushed, in a buffer of their own. */
  take(): T {
    return this.#data.slice(0, this.#size) as T;
  }

  /**
   * Writes once into every memory page of the room made so far, so the system maps it now rather than while the
   * list is filled (see `prefault` in snapshot.ts, decision 166).
   */
  prefault(): void {
    touchPages(this.#data);
  }
}

/** One write (of 0) into every 4 KB memory page of `a`. */
export function touchPages(a: Uint8Array | Uint16Array | Uint32Array | Int32Array): void {
  const step = 4096 / a.BYTES_PER_ELEMENT;
  for (let i = 0; i < a.length; i += step) a[i] = 0;
}
