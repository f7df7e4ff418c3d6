// Rows packed per batch: one string of all cells plus typed arrays of lengths. The worker keeps its table this way
// (decision 146) and sends the same batches to the main thread, which reads them the same way: a string per batch
// instead of a string per cell (at a million rows × 20 columns, 20 million strings were ~950 MB of the worker's heap).

import type { SourceRow } from './types.ts';

export interface PackedRows {
  text: string;
  /** Each cell's length in UTF-16 code units: 16 bits a cell unless a cell of the batch is 65,536 or longer. */
  cellLengths: Uint16Array | Uint32Array;
  widths: Uint32Array;
  lines: Uint32Array;
}

export function packRows(rows: readonly SourceRow[]): PackedRows {
  let cells = 0;
  let longest = 0;
  for (const r of rows) {
    const cs = r.cells;
    cells += cs.length;
    for (let k = 0; k < cs.length; k++) if ((cs[k] as string).length > longest) longest = (cs[k] as string).length;
  }
  const cellLengths = longest < 0x10000 ? new Uint16Array(cells) : new Uint32Array(cells);
  const widths = new Uint32Array(rows.length);
  const lines = new Uint32Array(rows.length);
  // One join per row, then one per batch: measured ~2× faster than one array of every cell.
  const parts = new Array<string>(rows.length);
  let c = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as SourceRow;
    const cs = r.cells;
    widths[i] = cs.length;
    lines[i] = r.line;
    for (let k = 0; k < cs.length; k++) cellLengths[c++] = (cs[k] as string).length;
    parts[i] = cs.join('');
  }
  return { text: parts.join(''), cellLengths, widths, lines };
}

export function unpackRows(p: PackedRows): SourceRow[] {
  const out = new Array<SourceRow>(p.widths.length);
  let pos = 0;
  let c = 0;
  const { text, cellLengths } = p;
  for (let i = 0; i < p.widths.length; i++) {
    const w = p.widths[i] as number;
    const cells = new Array<string>(w);
    for (let k = 0; k < w; k++) {
      const len = cellLengths[c++] as number;
      cells[k] = text.slice(pos, pos + len);
      pos += len;
    }
    out[i] = { line: p.lines[i] as number, cells };
  }
  return out;
}

interface LazyBatch {
  text: string;
  cellLengths: Uint16Array | Uint32Array;
  firstCell: Uint32Array;
  /** A string is far shorter than 2³² code units, so a row's first character fits 32 bits. */
  firstChar: Uint32Array;
}

/**
 * A row whose `cells` are cut from its packed batch on each read. `cells` is an own, enumerable getter, so spreads,
 * JSON and postMessage see the cells; the batch and position are kept under symbols, which JSON and structured
 * clone skip. Made by an object literal, not a class, so V8 can allocate a million of them straight into the old
 * generation (decision 154); `LAZY` holding the row itself is the brand (a spread copy is not a packed row). Every
 * row has one hidden class; creating one is a literal and a defineProperty (three defineProperty calls per row took
 * ~2.3 µs a row on the main thread at 100k).
 */
const BATCH = Symbol('batch');
const INDEX = Symbol('index');
const LAZY = Symbol('lazy');

interface LazyRow extends SourceRow {
  readonly [BATCH]: LazyBatch;
  readonly [INDEX]: number;
  [LAZY]: LazyRow | null;
}

function makeLazy(batch: LazyBatch, index: number, line: number): LazyRow {
  const row = { line, [BATCH]: batch, [INDEX]: index, [LAZY]: null } as unknown as LazyRow;
  row[LAZY] = row;
  Object.defineProperty(row, 'cells', CELLS);
  return row;
}

function isLazy(row: { readonly cells: readonly string[] }): row is LazyRow {
  return (row as Partial<LazyRow>)[LAZY] === row;
}

const LazyRow = {
  cellsOf(row: LazyRow): string[] {
    const b = row[BATCH];
    const i = row[INDEX];
    const from = b.firstCell[i] as number;
    const w = (b.firstCell[i + 1] as number) - from;
    const cells = new Array<string>(w);
    let at = b.firstChar[i] as number;
    for (let k = 0; k < w; k++) {
      const len = b.cellLengths[from + k] as number;
      cells[k] = b.text.slice(at, at + len);
      at += len;
    }
    return cells;
  },

  widthOf(row: LazyRow): number {
    return (row[BATCH].firstCell[row[INDEX] + 1] as number) - (row[BATCH].firstCell[row[INDEX]] as number);
  },

  columnsOf(row: LazyRow, columns: readonly number[], out: (string | undefined)[]): void {
    const b = row[BATCH];
    const i = row[INDEX];
    const from = b.firstCell[i] as number;
    const width = (b.firstCell[i + 1] as number) - from;
    let at = b.firstChar[i] as number;
    let k = 0;
    for (let n = 0; n < columns.length; n++) {
      const c = columns[n] as number;
      if (c >= width) {
        out[c] = undefined;
        continue;
      }
      // `at` is where cell k starts; move it to cell c.
      for (; k < c; k++) at += b.cellLengths[from + k] as number;
      out[c] = b.text.slice(at, at + (b.cellLengths[from + c] as number));
    }
  },

  /** One cell, cut alone: column-wise readers (clean-ups, owner columns) would otherwise cut the whole row per cell. */
  cellOf(row: LazyRow, column: number): string {
    const b = row[BATCH];
    const i = row[INDEX];
    const from = b.firstCell[i] as number;
    if (column >= (b.firstCell[i + 1] as number) - from) return '';
    let at = b.firstChar[i] as number;
    for (let k = 0; k < column; k++) at += b.cellLengths[from + k] as number;
    return b.text.slice(at, at + (b.cellLengths[from + column] as number));
  },
};

/**
 * A row with some of its cells replaced, holding only those: the base row (packed, as the worker keeps it) plus the
 * columns and values that differ. After a whole-column clean-up every row of the file is edited; as plain rows, a
 * string per cell, the edited rows were ~550 MB of the worker's heap at a million rows. `cells` is an own,
 * enumerable getter as on LazyRow, so spreads, JSON and postMessage see `{ line, cells }`.
 *
 * Made by an object literal, not a class (decision 154): V8 moves objects of a literal whose objects all survive
 * straight to the old generation ("pretenuring"), which it does not do for class instances. A clean-up makes a
 * million edited rows that all live on; as class instances every young-generation collection copied them, one
 * 60–100 ms pause after another. What a class's private fields hid is kept under symbols (JSON and structured clone
 * skip them); `SELF` holding the row itself is the brand, so a spread copy (`{ ...row, cells }`), which copies
 * the symbols too, is not taken for an edited row.
 */
const BASE = Symbol('base');
const COLUMNS = Symbol('columns');
const VALUES = Symbol('values');
const SELF = Symbol('self');

interface EditedRow extends SourceRow {
  readonly [BASE]: SourceRow;
  // One changed cell (a clean-up changes one column of each row) is kept as its column and value themselves; more
  // as two lists of their own length. Two one-item lists were ~60 B a row more (grown by push, ~180 B).
  readonly [COLUMNS]: number | number[];
  readonly [VALUES]: string | string[];
  [SELF]: EditedRow | null;
}

function makeEdited(base: SourceRow, columns: number | number[], values: string | string[]): EditedRow {
  // Every row made here has the same shape: the literal's four fields, SELF, then `cells`. A literal of its own,
  // like makeLazy's, not a helper both share: each literal is its own allocation site, and one site for both kinds
  // pretenured worse (decision 154).
  const row = { line: base.line, [BASE]: base, [COLUMNS]: columns, [VALUES]: values, [SELF]: null } as unknown as EditedRow;
  row[SELF] = row;
  Object.defineProperty(row, 'cells', EDITED_CELLS);
  return row;
}

function isEdited(row: { readonly cells: readonly string[] }): row is EditedRow {
  return (row as Partial<EditedRow>)[SELF] === row;
}

const EditedRow = {
  count(row: EditedRow): number {
    const c = row[COLUMNS];
    return typeof c === 'number' ? 1 : c.length;
  },

  column(row: EditedRow, k: number): number {
    const c = row[COLUMNS];
    return typeof c === 'number' ? c : (c[k] as number);
  },

  value(row: EditedRow, k: number): string {
    const v = row[VALUES];
    return typeof v === 'string' ? v : (v[k] as string);
  },

  indexOf(row: EditedRow, column: number): number {
    const c = row[COLUMNS];
    return typeof c === 'number' ? (c === column ? 0 : -1) : c.indexOf(column);
  },

  cellsOf(row: EditedRow): string[] {
    // A packed row's cells are a new array on each read; a plain row's are its own, which must not change.
    const base = row[BASE];
    const cells = isLazy(base) ? base.cells : [...base.cells];
    const n = EditedRow.count(row);
    for (let k = 0; k < n; k++) cells[EditedRow.column(row, k)] = EditedRow.value(row, k);
    return cells;
  },

  columnsOf(row: EditedRow, columns: readonly number[], out: (string | undefined)[]): void {
    readColumns(row[BASE], columns, out);
    const n = EditedRow.count(row);
    for (let k = 0; k < n; k++) {
      const c = EditedRow.column(row, k);
      if (columns.includes(c)) out[c] = EditedRow.value(row, k);
    }
  },

  changesOf(row: EditedRow, base: SourceRow, each: (column: number, value: string) => void): boolean {
    if (row[BASE] !== base) return false;
    const n = EditedRow.count(row);
    for (let k = 0; k < n; k++) each(EditedRow.column(row, k), EditedRow.value(row, k));
    return true;
  },

  /** An edited row has its unedited row's width (a cell past its end makes a plain row, see withCell). */
  widthOf(row: EditedRow): number {
    return rowWidth(row[BASE]);
  },

  cellOf(row: EditedRow, column: number): string {
    const k = EditedRow.indexOf(row, column);
    return k < 0 ? cellAt(row[BASE], column) : EditedRow.value(row, k);
  },

  /** `row` with one cell set, over the unedited row; a cell set back to its unedited value leaves the edit. */
  withCell(row: SourceRow, column: number, value: string): SourceRow {
    const edited = isEdited(row);
    const root = edited ? row[BASE] : row;
    if (column >= rowWidth(root)) {
      const cells = [...row.cells];
      cells[column] = value;
      return { line: row.line, cells };
    }
    const changes = value !== cellAt(root, column);
    if (!edited) return changes ? makeEdited(root, column, value) : root;
    const had = EditedRow.count(row);
    const k = EditedRow.indexOf(row, column);
    const n = had - (k >= 0 ? 1 : 0) + (changes ? 1 : 0);
    if (n === 0) return root;
    // Lists made at their final length (grown by push, a one-item list reserves 17 slots).
    const columns = new Array<number>(n);
    const values = new Array<string>(n);
    let j = 0;
    for (let i = 0; i < had; i++) {
      if (i === k) continue;
      columns[j] = EditedRow.column(row, i);
      values[j++] = EditedRow.value(row, i);
    }
    if (changes) {
      columns[j] = column;
      values[j] = value;
    }
    return n === 1 ? makeEdited(root, columns[0] as number, values[0] as string) : makeEdited(root, columns, values);
  },

  /** `base` with `cells`, over the unedited row even when `base` is itself an edited row; see editedRow. */
  of(base: SourceRow, cells: readonly string[]): SourceRow {
    const root = isEdited(base) ? base[BASE] : base;
    // An edited row has its unedited row's width, so the unedited row's cells answer for both.
    const before = root.cells;
    if (before.length !== cells.length) return { line: base.line, cells: [...cells] };
    const columns: number[] = [];
    const values: string[] = [];
    for (let c = 0; c < cells.length; c++) {
      if (before[c] !== cells[c]) {
        columns.push(c);
        values.push(cells[c] as string);
      }
    }
    if (columns.length === 0) return root;
    // One cell as itself; more copied at their length (see withCell).
    return columns.length === 1 ? makeEdited(root, columns[0] as number, values[0] as string) : makeEdited(root, columns.slice(), values.slice());
  },
};

const EDITED_CELLS: PropertyDescriptor = {
  get(this: EditedRow): string[] {
    return EditedRow.cellsOf(this);
  },
  enumerable: true,
};

/**
 * True for a row made here (packed, or an edit over a row): one that reads as `{ line, cells }` but keeps what it is
 * made of under symbols. Tests compare such rows by what they read as (src/test-setup.ts).
 */
export function isPackedRow(row: unknown): row is SourceRow {
  return typeof row === 'object' && row !== null && (isLazy(row as SourceRow) || isEdited(row as SourceRow));
}

/** How many cells the row has, without cutting a packed (or edited packed) row's cells. */
export function rowWidth(row: SourceRow): number {
  if (isLazy(row)) return LazyRow.widthOf(row);
  if (isEdited(row)) return EditedRow.widthOf(row);
  return row.cells.length;
}

/**
 * `row` (as it stands, edited or not) with the cell at `column` set to `value`; like editedRow, it holds only the
 * cells that differ from the unedited row. A cell past the row's end gives a plain row of the new width.
 */
export function withCell(row: SourceRow, column: number, value: string): SourceRow {
  return EditedRow.withCell(row, column, value);
}

/**
 * `base` with its cells replaced by `cells`, holding only the cells that differ (the unedited row itself when none
 * does). A row whose width changed is kept whole. The result reads exactly as `{ line: base.line, cells }`.
 */
export function editedRow(base: SourceRow, cells: readonly string[]): SourceRow {
  return EditedRow.of(base, cells);
}

/**
 * When `row` is an edit of `base` (made by editedRow or withCell), calls `each` for every cell it changes, in the
 * order the edits were made, and returns true; otherwise returns false and the caller compares the cells itself.
 */
export function forEachChangedCell(row: SourceRow, base: SourceRow, each: (column: number, value: string) => void): boolean {
  return isEdited(row) && EditedRow.changesOf(row, base, each);
}

/** The distinct columns among `columns` (null = none), ascending: the form `readColumns` takes. */
export function ascendingColumns(columns: Iterable<number | null>): number[] {
  const read = new Set<number>();
  for (const c of columns) if (c !== null) read.add(c);
  return [...read].sort((a, b) => a - b);
}

/**
 * Writes the cells of `row` at `columns` (ascending, no repeats) into `out` and leaves its other entries alone; a
 * column past the row's end reads undefined, as a plain row's array does. A packed row cuts only those cells: a check
 * that reads 6 mapped columns of 40 no longer pays for the other 34.
 */
export function readColumns(row: { readonly cells: readonly string[] }, columns: readonly number[], out: (string | undefined)[]): void {
  if (isLazy(row)) LazyRow.columnsOf(row, columns, out);
  else if (isEdited(row)) EditedRow.columnsOf(row, columns, out);
  else {
    const cells = row.cells;
    for (let n = 0; n < columns.length; n++) out[columns[n] as number] = cells[columns[n] as number];
  }
}

/** The text of one cell ('' past the row's end), without cutting the rest of a packed row. */
export function cellAt(row: { readonly cells: readonly string[] }, column: number): string {
  if (isLazy(row)) return LazyRow.cellOf(row, column);
  if (isEdited(row)) return EditedRow.cellOf(row, column);
  return row.cells[column] ?? '';
}

// One descriptor (and one getter) shared by every row.
const CELLS: PropertyDescriptor = {
  get(this: LazyRow): string[] {
    return LazyRow.cellsOf(this);
  },
  enumerable: true,
};

/** Rows over one packed batch: the main thread holds one packed string per batch instead of one string per cell. */
export function lazyRows(p: PackedRows): SourceRow[] {
  const n = p.widths.length;
  const firstCell = new Uint32Array(n + 1);
  const firstChar = new Uint32Array(n + 1);
  let c = 0;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    firstCell[i] = c;
    firstChar[i] = pos;
    const w = p.widths[i] as number;
    for (let k = 0; k < w; k++) pos += p.cellLengths[c++] as number;
  }
  firstCell[n] = c;
  firstChar[n] = pos;
  const batch: LazyBatch = { text: p.text, cellLengths: p.cellLengths, firstCell, firstChar };
  const out = new Array<SourceRow>(n);
  for (let i = 0; i < n; i++) out[i] = makeLazy(batch, i, p.lines[i] as number);
  return out;
}
