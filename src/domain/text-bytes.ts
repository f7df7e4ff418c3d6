// A list of texts written as they are known into one byte buffer, with where each ends: while every text is ASCII
// (record values of a CRM almost always are) a character is a byte and nothing is a string of its own. The org
// check's old and new values are ~290,000 texts at 100,000 rows; as strings they were as many objects for the
// garbage collector, then one join (reading each old value again at its random place in the Bulk Read page) and a
// copy into the page's thread. Written here while the record is being compared, they cost a copy of their
// characters and cross to the page as a transferred buffer (docs/decisions/167).
import { touchPages, TypedList } from './typed-list.ts';

/** What a finished list is: ASCII bytes with each text's end (in bytes = characters), or the texts themselves. */
export type TextBytesResult = { ends: Uint32Array; bytes: Uint8Array; ascii: true } | { texts: string[] };

export class TextBytes {
  #bytes: Uint8Array;
  #used = 0;
  readonly #ends: TypedList<Uint32Array<ArrayBuffer>>;
  /** Once a text that is not ASCII came: every text as a string (the bytes so far turned back into strings). */
  #strings: string[] | null = null;

  /**
   * `texts` and `bytes`: the room made up front, a guess (see TypedList: room never written costs next to nothing,
   * a doubling copies into fresh memory).
   */
  constructor(texts = 1024, bytes = 64 * 1024) {
    this.#ends = new TypedList((k) => new Uint32Array(k), texts);
    this.#bytes = new Uint8Array(Math.max(16, bytes));
  }

  get length(): number {
    return this.#strings !== null ? this.#strings.length : this.#ends.length;
  }

  /** Maps the room made up front now (TypedList.prefault), before anything is written. */
  prefault(): void {
    touchPages(this.#bytes);
    this.#ends.prefault();
  }

  /** Adds text[start, end). */
  pushSlice(text: string, start: number, end: number): void {
    if (this.#strings !== null) {
      this.#strings.push(text.slice(start, end));
      return;
    }
    const bytes = this.#room(end - start);
    let at = this.#used;
    for (let j = start; j < end; j++) {
      const c = text.charCodeAt(j);
      if (c >= 128) {
        this.#toStrings();
        this.pushSlice(text, start, end);
        return;
      }
      bytes[at++] = c;
    }
    this.#used = at;
    this.#ends.push(at);
  }

  push(text: string): void {
    this.pushSlice(text, 0, text.length);
  }

  /** The byte buffer, with room for `n` more bytes (doubled when full: a doubling copies into fresh memory). */
  #room(n: number): Uint8Array {
    if (this.#used + n > this.#bytes.length) {
      const bigger = new Uint8Array(Math.max(this.#bytes.length * 2, this.#used + n));
      bigger.set(this.#bytes.subarray(0, this.#used));
      this.#bytes = bigger;
    }
    return this.#bytes;
  }

  /** Adds the text of UTF-8 bytes[start, end) (a value of a Bulk Read page, decision 170), copied as it is when ASCII. */
  pushBytes(src: Uint8Array, start: number, end: number): void {
    if (this.#strings !== null) {
      this.#strings.push(bytesText(src, start, end));
      return;
    }
    const bytes = this.#room(end - start);
    let at = this.#used;
    for (let j = start; j < end; j++) {
      const c = src[j]!;
      if (c >= 128) {
        this.push(bytesText(src, start, end));
        return;
      }
      bytes[at++] = c;
    }
    this.#used = at;
    this.#ends.push(at);
  }

  /** Text k (for tests and the rare reader on this side; the page reads the finished list). */
  get(k: number): string {
    if (this.#strings !== null) return this.#strings[k] ?? '';
    const ends = this.#ends.view();
    if (k < 0 || k >= ends.length) return '';
    return latin1(this.#bytes, k > 0 ? ends[k - 1]! : 0, ends[k]!);
  }

  finish(): TextBytesResult {
    if (this.#strings !== null) return { texts: this.#strings };
    return { ends: this.#ends.take(), bytes: this.#bytes.subarray(0, this.#used), ascii: true };
  }

  #toStrings(): void {
    this.#strings = Array.from({ length: this.#ends.length }, (_, k) => this.get(k));
  }
}

const UTF8 = new TextDecoder();

/**
 * The text of UTF-8 bytes[start, end): ASCII bytes are characters as they are (no decoder call for the usual short
 * value), anything else is decoded (an invalid sequence reads as U+FFFD, as the decoder reads it).
 */
export function bytesText(bytes: Uint8Array, start: number, end: number): string {
  for (let j = start; j < end; j++) if (bytes[j]! >= 128) return UTF8.decode(bytes.subarray(start, end));
  return latin1(bytes, start, end);
}

/** Bytes [start, end) as characters (ASCII here). */
function latin1(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 4096) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  let s = '';
  for (let at = start; at < end; at += 4096) s += String.fromCharCode(...bytes.subarray(at, Math.min(end, at + 4096)));
  return s;
}

/**
 * A text per row, for lists where most rows have none (the record a row updates, a skipped row's errors): rows are
 * visited in increasing order, each at most once, and every row not visited reads as ''.
 */
export class RowTexts {
  readonly list: TextBytes;
  #upTo = 0;

  /** `rows`: how many rows there will be; `bytes`: a guess of their texts' size. */
  constructor(rows = 1024, bytes = 64 * 1024) {
    this.list = new TextBytes(rows, bytes);
  }

  /** The list to push row `row`'s text to, now (the rows before it that had none are filled with ''). */
  row(row: number): TextBytes {
    if (row < this.#upTo) throw new Error(`RowTexts: row ${row} comes after row ${this.#upTo - 1}`);
    while (this.#upTo < row) {
      this.list.push('');
      this.#upTo++;
    }
    this.#upTo++;
    return this.list;
  }

  /** The list of `rows` texts. */
  finish(rows: number): TextBytes {
    while (this.#upTo < rows) {
      this.list.push('');
      this.#upTo++;
    }
    return this.list;
  }
}
