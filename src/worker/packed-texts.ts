// A list of texts crossing from the worker to the page as UTF-8 bytes in a transferred buffer, read back one text at
// a time. Structured clone copies strings on the receiving thread: the org check's answer for a million rows carried
// ~30 MB of them (record ids, old and new values, errors), and taking it in was one task of up to ~100 ms on the page
// (the copy, and the young-generation collection those new strings set off). A transferred buffer costs the page
// nothing until a text is read, and the page reads only the rows it shows.
import { DecodedText } from './column-fixes.ts';

/**
 * Text i is characters [ends[i-1], ends[i]) of the texts joined (UTF-16 units). `bytes`: the joined text in UTF-8;
 * when `ascii`, byte and character offsets are the same and any text is read without decoding the ones before it.
 * `text`: the joined text itself, kept as a string when it is small (see BYTES_FROM) or holds a lone surrogate
 * (UTF-8 has no form for one).
 */
export type PackedTexts = { ends: Uint32Array; bytes: Uint8Array; ascii: boolean; text?: undefined } | { ends: Uint32Array; text: string; bytes?: undefined };

/**
 * Joined texts shorter than this (characters) travel as a string: the page copies a few MB in a few ms without a
 * collection, and encoding them cost the worker more (packing at 100,000 rows: 23–38 ms as strings, 32–58 ms as
 * bytes in the bench; its lists are ~1 MB each). The million-row answer's are 3–10 MB each.
 */
export const BYTES_FROM = 2_000_000;

const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Packs `parts` (worker side). One join and, for a large list, one native encode: no loop over characters in
 * JavaScript. `bytesFrom`: the size from which the list travels as bytes (tests pass 0).
 */
export function packTextList(parts: readonly string[], bytesFrom = BYTES_FROM): PackedTexts {
  const ends = new Uint32Array(parts.length);
  let end = 0;
  for (let i = 0; i < parts.length; i++) {
    end += (parts[i] as string).length;
    ends[i] = end;
  }
  const text = parts.join('');
  if (text.length < bytesFrom) return { ends, text };
  const bytes = encoder.encode(text);
  if (bytes.length === text.length) return { ends, bytes, ascii: true };
  if (LONE_SURROGATE.test(text)) return { ends, text };
  return { ends, bytes, ascii: false };
}

/** The buffers `packed` hands over with the message. */
export function packedTextsTransfer(packed: PackedTexts): ArrayBuffer[] {
  return (packed.bytes === undefined ? [packed.ends.buffer] : [packed.ends.buffer, packed.bytes.buffer]) as ArrayBuffer[];
}

/**
 * ASCII bytes are decoded this many at a time, any piece on its own (a byte is a character): a text is then a slice
 * of a decoded piece, and reading the rows a grid shows, or every skipped row's errors, decodes each piece once.
 */
const ASCII_PIECE = 64 * 1024;
const asciiDecoder = new TextDecoder();

/** Reads the texts of one PackedTexts (page side), each when asked for. */
export class PackedTextsReader {
  readonly #p: PackedTexts;
  #decoded: DecodedText | null = null;
  /** ASCII pieces decoded so far, by piece number (none for a string or non-ASCII bytes). */
  readonly #pieces: (string | undefined)[];

  constructor(packed: PackedTexts) {
    this.#p = packed;
    const pieces = packed.bytes !== undefined && packed.ascii ? Math.ceil(packed.bytes.length / ASCII_PIECE) : 0;
    this.#pieces = new Array<string | undefined>(pieces).fill(undefined);
  }

  get length(): number {
    return this.#p.ends.length;
  }

  /** Text i ('' past the end). */
  get(i: number): string {
    const p = this.#p;
    if (i < 0 || i >= p.ends.length) return '';
    const start = i > 0 ? (p.ends[i - 1] as number) : 0;
    const end = p.ends[i] as number;
    if (end <= start) return '';
    if (p.text !== undefined) return p.text.slice(start, end);
    if (p.ascii) {
      const first = Math.floor(start / ASCII_PIECE);
      const last = Math.floor((end - 1) / ASCII_PIECE);
      if (first === last) return this.#piece(first).slice(start - first * ASCII_PIECE, end - first * ASCII_PIECE);
      let out = this.#piece(first).slice(start - first * ASCII_PIECE);
      for (let k = first + 1; k < last; k++) out += this.#piece(k);
      return out + this.#piece(last).slice(0, end - last * ASCII_PIECE);
    }
    this.#decoded ??= new DecodedText(p.bytes);
    return this.#decoded.text(start, end);
  }

  #piece(k: number): string {
    let piece = this.#pieces[k];
    if (piece === undefined) {
      const bytes = this.#p.bytes as Uint8Array;
      piece = asciiDecoder.decode(bytes.subarray(k * ASCII_PIECE, Math.min(bytes.length, (k + 1) * ASCII_PIECE)));
      this.#pieces[k] = piece;
    }
    return piece;
  }
}
