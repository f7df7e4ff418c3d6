// The Review grid's edited rows as the import sends them to the worker (buildJobs): only the cells that differ
// from the parsed row, in typed arrays and the values joined into a few pieces. The worker holds the parsed rows already; after a
// whole-column clean-up at 1,000,000 rows, sending every edited row whole (20 cells each) held the main thread for
// ~20 s cloning ~650 MB (docs/benchmarks.md §6, decision 138), where the changed cells are one a row.
import { forEachChangedCell, withCell } from '../csv/packed-rows.ts';
import type { SourceRow } from '../csv/types.ts';
import { TypedList } from '../typed-list.ts';

/** Changed values joined into one string per piece: a piece crosses to the worker as one string (or its bytes),
 * where a million separate strings took a few hundred ms of the main thread to clone (decision 142). */
export const VALUES_PER_PIECE = 16_384;

export interface PackedEdits {
  /** Change k sets cell `columns[k]` of row `rowIndexes[k]` (0-based into the parsed rows) to value k. */
  rowIndexes: Int32Array<ArrayBuffer>;
  columns: Int32Array<ArrayBuffer>;
  /**
   * The values, `VALUES_PER_PIECE` to a piece, joined: value k is in piece `floor(k / VALUES_PER_PIECE)`. A piece
   * is its UTF-8 bytes (transferable: no clone) when it decodes back to exactly the same text, else the string
   * itself (a lone surrogate, which UTF-8 cannot carry).
   */
  text: (string | Uint8Array<ArrayBuffer>)[];
  /** The UTF-16 length of each value, to cut the pieces apart again. */
  lengths: Uint32Array<ArrayBuffer>;
  /** Rows whose cell count differs from the parsed row's (a short row padded by an edit, say): sent whole. */
  whole: { rowIndex: number; cells: string[] }[];
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** A piece as sent: its UTF-8 bytes when they give back the very same text. */
function sendable(piece: string): string | Uint8Array<ArrayBuffer> {
  return LONE_SURROGATE.test(piece) ? piece : encoder.encode(piece);
}

/**
 * Packs the edits a row at a time, so a caller can pack a million edited rows in slices of the main thread
 * (`packEdits` is the same in one go).
 */
export class EditPacker {
  readonly #rows: readonly SourceRow[];
  readonly #rowIndexes = new TypedList((n) => new Int32Array(n));
  readonly #columns = new TypedList((n) => new Int32Array(n));
  readonly #lengths = new TypedList((n) => new Uint32Array(n));
  readonly #text: (string | Uint8Array<ArrayBuffer>)[] = [];
  #piece: string[] = [];
  readonly #whole: { rowIndex: number; cells: string[] }[] = [];

  /** `rows`: the rows the worker parsed. */
  constructor(rows: readonly SourceRow[]) {
    this.#rows = rows;
  }

  /** Row `rowIndex` as edited. */
  add(rowIndex: number, cells: readonly string[]): void {
    const base = this.#rows[rowIndex]?.cells;
    if (!base || base.length !== cells.length) {
      this.#whole.push({ rowIndex, cells: [...cells] });
      return;
    }
    for (let c = 0; c < cells.length; c++) if (cells[c] !== base[c]) this.#change(rowIndex, c, cells[c] as string);
  }

  /**
   * Row `rowIndex` as Review holds it edited: an edit of the parsed row names its changed cells, so neither row is
   * cut into cells to compare them (three row cuts per row after a million-row clean-up); any other row goes by add.
   */
  addRow(rowIndex: number, row: SourceRow): void {
    const base = this.#rows[rowIndex];
    if (base !== undefined && forEachChangedCell(row, base, (column, value) => this.#change(rowIndex, column, value))) return;
    this.add(rowIndex, row.cells);
  }

  #change(rowIndex: number, column: number, value: string): void {
    this.#rowIndexes.push(rowIndex);
    this.#columns.push(column);
    this.#lengths.push(value.length);
    this.#piece.push(value);
    if (this.#piece.length === VALUES_PER_PIECE) {
      this.#text.push(sendable(this.#piece.join('')));
      this.#piece = [];
    }
  }

  finish(): PackedEdits {
    const text = this.#piece.length > 0 ? [...this.#text, sendable(this.#piece.join(''))] : this.#text.slice();
    return {
      rowIndexes: this.#rowIndexes.take(),
      columns: this.#columns.take(),
      text,
      lengths: this.#lengths.take(),
      whole: this.#whole.slice(),
    };
  }
}

/** The edits (row index → the row's cells as edited) against `rows`, the rows the worker parsed. */
export function packEdits(edited: Iterable<readonly [number, readonly string[]]>, rows: readonly SourceRow[]): PackedEdits {
  const packer = new EditPacker(rows);
  for (const [rowIndex, cells] of edited) packer.add(rowIndex, cells);
  return packer.finish();
}

/** The changed values, in order (value k of the packed edits). */
export function packedValues(edits: Pick<PackedEdits, 'text' | 'lengths'>): string[] {
  const out = new Array<string>(edits.lengths.length);
  let k = 0;
  for (const sent of edits.text) {
    const piece = typeof sent === 'string' ? sent : decoder.decode(sent);
    let at = 0;
    for (let n = 0; n < VALUES_PER_PIECE && k < out.length; n++, k++) {
      const end = at + (edits.lengths[k] as number);
      out[k] = piece.slice(at, end);
      at = end;
    }
  }
  return out;
}

/**
 * `rows` with the packed edits applied: an edited row is a new row (same line) holding only its changed cells over
 * the parsed row (withCell: at a million edited rows, a full copy of each was ~600 MB more of the worker's heap while
 * it split them); the others are the same objects.
 */
/** `rows` with `edits` applied (`onlyColumns`: only the cell edits of those columns; rows edited whole still are). */
export function applyPackedEdits(rows: readonly SourceRow[], edits: PackedEdits | undefined, onlyColumns?: ReadonlySet<number>): readonly SourceRow[] {
  if (!edits || (edits.lengths.length === 0 && edits.whole.length === 0)) return rows;
  const values = packedValues(edits);
  const out = rows.slice();
  for (const e of edits.whole) {
    const r = rows[e.rowIndex];
    if (r) out[e.rowIndex] = { line: r.line, cells: [...e.cells] };
  }
  for (let k = 0; k < values.length; k++) {
    const i = edits.rowIndexes[k] as number;
    const column = edits.columns[k] as number;
    if (!rows[i] || (onlyColumns !== undefined && !onlyColumns.has(column))) continue;
    out[i] = withCell(out[i] as SourceRow, column, values[k] as string);
  }
  return out;
}
