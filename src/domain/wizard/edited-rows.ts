// Review's edited rows (data-row index → the row as edited) as an immutable map that one cell edit does not copy.
// After a whole-column clean-up of a million rows every row is edited: copying that Map for the next cell edit took
// ~300 ms, and re-making the million rows as the grid sends them another ~110 ms, both in the edit's one task
// (issue 13: no main-thread task over 100 ms, every grid interaction at 1M; decision 148).
import type { SourceRow } from '../csv/types.ts';

/** Single-row changes a map holds beside the one it was made from before the next change starts a new layer. */
export const LAYER_MAX = 4_096;

/** What every read-only map of edited rows derives from its `get` and `entries`. */
abstract class RowMap implements ReadonlyMap<number, SourceRow> {
  abstract readonly size: number;
  abstract get(rowIndex: number): SourceRow | undefined;
  abstract entries(): MapIterator<[number, SourceRow]>;

  has(rowIndex: number): boolean {
    return this.get(rowIndex) !== undefined;
  }

  *keys(): MapIterator<number> {
    for (const [i] of this.entries()) yield i;
  }

  *values(): MapIterator<SourceRow> {
    for (const [, row] of this.entries()) yield row;
  }

  [Symbol.iterator](): MapIterator<[number, SourceRow]> {
    return this.entries();
  }

  forEach(each: (row: SourceRow, rowIndex: number, map: ReadonlyMap<number, SourceRow>) => void): void {
    for (const [i, row] of this.entries()) each(row, i, this);
  }
}

/**
 * A read-only map of edited rows: a base map that is never changed again, plus a small layer of the rows changed
 * since (a row set back to the file's row is `null` there). `with` copies only the layer; a full layer becomes the
 * base of the next one, so no change ever copies the million rows below it.
 */
export class EditedRows extends RowMap {
  readonly #base: ReadonlyMap<number, SourceRow>;
  readonly #layer: ReadonlyMap<number, SourceRow | null>;
  readonly #layerMax: number;
  readonly size: number;

  private constructor(base: ReadonlyMap<number, SourceRow>, layer: ReadonlyMap<number, SourceRow | null>, size: number, layerMax: number) {
    super();
    this.#base = base;
    this.#layer = layer;
    this.size = size;
    this.#layerMax = layerMax;
  }

  /**
   * Takes `map` as it is, without a copy: the caller must not change it afterwards. `layerMax` (tests) is the
   * number of changes a layer holds.
   */
  static of(map: ReadonlyMap<number, SourceRow>, layerMax = LAYER_MAX): EditedRows {
    return map instanceof EditedRows ? map : new EditedRows(map, new Map(), map.size, Math.max(1, layerMax));
  }

  /** The map this one was made from (effectiveRows builds on its rows). */
  get base(): ReadonlyMap<number, SourceRow> {
    return this.#base;
  }

  /** The rows changed since `base`: the row as edited, or null when it is no longer edited. */
  get layer(): ReadonlyMap<number, SourceRow | null> {
    return this.#layer;
  }

  get(rowIndex: number): SourceRow | undefined {
    const changed = this.#layer.get(rowIndex);
    if (changed !== undefined) return changed ?? undefined;
    return this.#base.get(rowIndex);
  }

  /** This map with row `rowIndex` edited to `row`, or not edited at all when `row` is null. */
  with(rowIndex: number, row: SourceRow | null): EditedRows {
    const before = this.get(rowIndex);
    if ((before ?? null) === row) return this;
    const size = this.size + (before === undefined ? 1 : 0) - (row === null ? 1 : 0);
    if (this.#layer.size >= this.#layerMax) return new EditedRows(this, new Map([[rowIndex, row]]), size, this.#layerMax);
    const layer = new Map(this.#layer);
    layer.set(rowIndex, row);
    return new EditedRows(this.#base, layer, size, this.#layerMax);
  }

  *entries(): MapIterator<[number, SourceRow]> {
    for (const [i, row] of this.#base) if (!this.#layer.has(i)) yield [i, row];
    for (const [i, row] of this.#layer) if (row !== null) yield [i, row];
  }
}

/**
 * Edited rows held as the rows as sent beside the file's rows: row i is edited where the two differ. A whole-column
 * clean-up edits every row, and a Map of a million entries grew by rehashing, one 50–100 ms step at each doubling,
 * and took ~35 MB more than this array. Reading in order finds the edited rows by one pass over the array.
 */
export class DenseEditedRows extends RowMap {
  readonly #rows: readonly SourceRow[];
  readonly #sent: readonly SourceRow[];
  readonly size: number;

  /** `sent`: the file's `rows` with the edits in place (same length); `size`: how many of them differ. */
  constructor(rows: readonly SourceRow[], sent: readonly SourceRow[], size: number) {
    super();
    this.#rows = rows;
    this.#sent = sent;
    this.size = size;
  }

  /** The rows as sent, when these edits were made over `rows`; else null. */
  sentOver(rows: readonly SourceRow[]): readonly SourceRow[] | null {
    return rows === this.#rows ? this.#sent : null;
  }

  get(rowIndex: number): SourceRow | undefined {
    const row = this.#sent[rowIndex];
    return row !== undefined && row !== this.#rows[rowIndex] ? row : undefined;
  }

  *entries(): MapIterator<[number, SourceRow]> {
    const rows = this.#rows;
    const sent = this.#sent;
    for (let i = 0; i < sent.length; i++) if (sent[i] !== rows[i]) yield [i, sent[i] as SourceRow];
  }
}

/** The rows with edits applied, per edited-rows map, for the rows they were made for. */
const made = new WeakMap<ReadonlyMap<number, SourceRow>, { rows: readonly SourceRow[]; effective: readonly SourceRow[] }>();

/**
 * `rows` with `edited` applied: the edited row where there is one, else the file's row (the same object, so callers
 * find changed rows by reference). Kept per map: the rows of an EditedRows are those of its base with its layer
 * applied, so after one cell edit of a million edited rows this is one array copy (~20 ms), not a lookup per row.
 */
export function effectiveRowsOf(rows: readonly SourceRow[], edited: ReadonlyMap<number, SourceRow>): readonly SourceRow[] {
  if (edited.size === 0) return rows;
  // A map taken as it is (no layer yet) has its base's rows.
  if (edited instanceof EditedRows && edited.layer.size === 0) return effectiveRowsOf(rows, edited.base);
  if (edited instanceof DenseEditedRows) {
    const sent = edited.sentOver(rows);
    if (sent !== null) return sent;
  }
  const known = made.get(edited);
  if (known && known.rows === rows) return known.effective;
  let out: SourceRow[];
  if (edited instanceof EditedRows) {
    out = effectiveRowsOf(rows, edited.base).slice();
    for (const [i, row] of edited.layer) if (i < out.length) out[i] = row ?? (rows[i] as SourceRow);
  } else {
    out = rows.slice();
    for (const [i, row] of edited) if (i < out.length) out[i] = row;
  }
  made.set(edited, { rows, effective: out });
  return out;
}
