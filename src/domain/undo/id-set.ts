// A set of record ids (ASCII text such as Zoho's 19-digit ids) kept as bytes in typed arrays, in the order they were
// first added. At a million rows the undo plan held each id the import added as a string, a BigInt key and a Set
// entry: ~2 million heap objects and ~80 MB that every full garbage collection of the page walked for as long as
// Results was open (decision 159). Here an id costs its bytes, an end offset and two hash-table slots, none of them an
// object. Ids are compared as exact text, so "007" and "7" stay two ids.

import { fnv1a } from '../fnv.ts';

const EMPTY = -1;

export class IdSet {
  #bytes = new Uint8Array(4096);
  /** End offset of id k in `#bytes` (it starts where id k - 1 ends). */
  #ends = new Uint32Array(256);
  /** Open addressing: the index of an id, or EMPTY; `#hashes` beside it spares most byte comparisons. */
  #slots = new Int32Array(512).fill(EMPTY);
  #hashes = new Int32Array(512);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  has(id: string): boolean {
    return this.#slots[this.#slotOf(id, fnv1a(id))] !== EMPTY;
  }

  /** Adds `id` (ASCII only: a RangeError otherwise); false when it is in the set already. */
  add(id: string): boolean {
    const h = fnv1a(id);
    const s = this.#slotOf(id, h);
    if (this.#slots[s] !== EMPTY) return false;
    const k = this.#size;
    const start = k === 0 ? 0 : this.#ends[k - 1]!;
    const end = start + id.length;
    if (end > this.#bytes.length) this.#bytes = grown(this.#bytes, end);
    for (let j = 0; j < id.length; j++) {
      const c = id.charCodeAt(j);
      if (c > 0x7f) throw new RangeError(`A record id must be ASCII text; "${id}" is not.`);
      this.#bytes[start + j] = c;
    }
    if (k === this.#ends.length) this.#ends = grown(this.#ends, k + 1);
    this.#ends[k] = end;
    this.#slots[s] = k;
    this.#hashes[s] = h;
    this.#size = k + 1;
    if (this.#size * 2 > this.#slots.length) this.#rehash();
    return true;
  }

  /**
   * Gives back the room kept for more ids (the byte buffer doubles as it grows: 32 MB held for a million ids' 19 MB).
   * Adding after it works as before; it grows again.
   */
  trim(): void {
    const used = this.#size === 0 ? 0 : this.#ends[this.#size - 1]!;
    if (this.#bytes.length > used) this.#bytes = this.#bytes.slice(0, used);
    if (this.#ends.length > this.#size) this.#ends = this.#ends.slice(0, this.#size);
  }

  /** The ids `from` to `to` (exclusive), in the order they were added, as strings: one decode of their bytes. */
  slice(from = 0, to = this.#size): string[] {
    const end = Math.min(to, this.#size);
    if (from >= end) return [];
    const base = from === 0 ? 0 : this.#ends[from - 1]!;
    const text = new TextDecoder().decode(this.#bytes.subarray(base, this.#ends[end - 1]));
    const out = new Array<string>(end - from);
    let at = 0;
    for (let k = from; k < end; k++) {
      const next = this.#ends[k]! - base;
      out[k - from] = text.slice(at, next);
      at = next;
    }
    return out;
  }

  #slotOf(id: string, h: number): number {
    const mask = this.#slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const k = this.#slots[s]!;
      if (k === EMPTY || (this.#hashes[s] === h && this.#equals(k, id))) return s;
    }
  }

  #equals(k: number, id: string): boolean {
    const start = k === 0 ? 0 : this.#ends[k - 1]!;
    if (this.#ends[k]! - start !== id.length) return false;
    for (let j = 0; j < id.length; j++) if (this.#bytes[start + j] !== id.charCodeAt(j)) return false;
    return true;
  }

  #rehash(): void {
    const slots = this.#slots;
    const hashes = this.#hashes;
    this.#slots = new Int32Array(slots.length * 2).fill(EMPTY);
    this.#hashes = new Int32Array(slots.length * 2);
    const mask = this.#slots.length - 1;
    for (let s = 0; s < slots.length; s++) {
      const k = slots[s]!;
      if (k === EMPTY) continue;
      let t = hashes[s]! & mask;
      while (this.#slots[t] !== EMPTY) t = (t + 1) & mask;
      this.#slots[t] = k;
      this.#hashes[t] = hashes[s]!;
    }
  }
}

/** A copy of `a` with room for at least `atLeast` items (at least twice its length). */
function grown<T extends Uint8Array | Uint32Array>(a: T, atLeast: number): T {
  const out = new (a.constructor as new (n: number) => T)(Math.max(atLeast, a.length * 2, 16));
  out.set(a);
  return out;
}
