// Turns pre-flight validation into what the review grid shows: issues per row and cell, per-column counts,
// the rows predicted to be skipped, and the blocks that stop the import (file-level errors, ragged rows).
import type { CellIssue, GridRow } from '../../components/data-grid/grid-model.ts';
import { cellAt, withCell } from '../../domain/csv/packed-rows.ts';
import type { FileIssue, ParsedTable, SourceRow } from '../../domain/csv/types.ts';
import { DenseEditedRows, EditedRows, effectiveRowsOf } from '../../domain/wizard/edited-rows.ts';
import type { ReviewEdits } from '../../domain/wizard/wizard-state.ts';
import { forEachChange, type PackedFix } from '../../worker/column-fixes.ts';
import type { PackedIssues } from '../../worker/issue-pack.ts';

/** Row indexes read in order and counted, never changed: a plain array, or a typed array as the worker sent it. */
export type RowIndexes = ArrayLike<number> & Iterable<number>;

export interface ValidationView {
  /** rowIndex → column (-1 = the row as a whole) → issues. */
  byRow: IssueIndex;
  countsByColumn: { error: number; warning: number }[];
  /** Problems of the whole table (mapping-level), each a block. */
  tableBlocks: string[];
  /** 0-based row indexes predicted to be skipped by Zoho, ascending (the worker's typed array as it came). */
  predictedSkips: RowIndexes;
  /** One-click column clean-ups offered for the rows as they stand, in column order. */
  fixes: readonly PackedFix[];
  /** True while some columns' clean-ups describe the rows before the last edit (an update follows: `onFixes`). */
  fixesPending?: boolean;
}

/** Validates the rows as they stand; reports rows checked so far; stops when the signal aborts. */
export type ValidateRows = (
  rows: readonly SourceRow[],
  hooks: { onProgress: (done: number, total: number) => void; signal: AbortSignal; onFixes?: (view: ValidationView) => void },
) => Promise<ValidationView>;

export interface ViewIssue {
  row: number | null;
  column: number | null;
  severity: 'error' | 'warning';
  message: string;
}

export interface CellIssueView {
  severity: 'error' | 'warning';
  message: string;
}

/**
 * Issues by row as Review reads them (rowIndex → column → issues; column -1 = the row as a whole): a Map is one, and
 * so is the view that lays the org check's findings over the validation's without copying either (org-check-model).
 */
export interface RowIssues {
  get(row: number): ReadonlyMap<number, readonly CellIssueView[]> | undefined;
  has(row: number): boolean;
  readonly size: number;
}

export interface ReviewModel {
  byRow: RowIssues;
  countsByColumn: { error: number; warning: number }[];
  /** Rows that cannot be sent as they are (ragged rows): they must be excluded or fixed in the file. */
  rowBlocks: Map<number, string>;
}

/**
 * The rows as the user sees and sends them: parsed rows with edits applied. An edited row is one object per edit, so
 * callers can find changed rows by reference. Kept per edits map (effectiveRowsOf): do not change the array.
 */
export function effectiveRows(table: ParsedTable, edits: ReviewEdits): readonly SourceRow[] {
  return effectiveRowsOf(table.rows, edits.editedRows);
}

type ColumnIssues = Map<number, CellIssueView[]>;

/**
 * Issues per row and cell with per-column counts; the validator keeps one up to date row by row.
 *
 * A full check's issues stay packed as the worker sent them (typed arrays and the distinct message tails), grouped
 * by row with one counting sort; a row's Map of issues is built when the grid asks for it. Rows re-checked or added
 * to afterwards hold their own Map. At a million rows with an issue each, one Map, array and message per issue
 * made the main thread build ~1M objects (seconds, and hundreds of MB) before Review showed a figure.
 */
export class IssueIndex implements RowIssues {
  readonly countsByColumn: { error: number; warning: number }[];
  #size = 0;
  #packed: PackedIssues | null = null;
  /**
   * Row r's packed issues are #order[#starts[r]] … #order[#starts[r + 1] - 1], in the order they were packed; null
   * when they were packed in row order (the worker's usual order), so that the k-th packed issue is simply k.
   */
  #starts = new Uint32Array(1);
  #order: Uint32Array | null = null;
  /** Rows whose issues were replaced (re-checked, cleared) or added to after the packed check: an empty Map = none. */
  #own = new Map<number, ColumnIssues>();
  /** Packed rows already turned into Maps (bounded; never mutated, so clones share it). */
  #built = new Map<number, ColumnIssues>();

  constructor(columns: number) {
    this.countsByColumn = Array.from({ length: columns }, () => ({ error: 0, warning: 0 }));
  }

  /** The index of a full check, over its packed issues. */
  static fromPacked(columns: number, p: PackedIssues): IssueIndex {
    const index = new IssueIndex(columns);
    const { rows, columns: cols, severities } = p;
    const n = rows.length;
    let maxRow = -1;
    let ordered = true;
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      if (row < maxRow || row < 0) ordered = false;
      if (row > maxRow) maxRow = row;
    }
    const starts = new Uint32Array(maxRow + 2);
    // Counted per column in a typed array (errors at 2·column, warnings at 2·column + 1), then copied into the
    // column objects: a property chosen by name per issue was most of this loop's time at a million issues.
    const counts = index.countsByColumn;
    const width = counts.length;
    const tally = new Uint32Array(width * 2);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      if (row < 0) continue;
      starts[row + 1]! += 1;
      const col = cols[i]!;
      if (col >= 0 && col < width) tally[2 * col + (severities[i] === 0 ? 0 : 1)]! += 1;
    }
    counts.forEach((c, col) => {
      c.error += tally[2 * col]!;
      c.warning += tally[2 * col + 1]!;
    });
    let size = 0;
    for (let r = 1; r < starts.length; r++) {
      if (starts[r]! > 0) size++;
      starts[r]! += starts[r - 1]!;
    }
    // Packed out of row order (or with issues of no row): a counting sort by row.
    let order: Uint32Array | null = null;
    if (!ordered) {
      const next = starts.slice(0, starts.length - 1);
      order = new Uint32Array(starts[starts.length - 1]!);
      for (let i = 0; i < n; i++) {
        const row = rows[i]!;
        if (row >= 0) order[next[row]!++] = i;
      }
    }
    index.#packed = p;
    index.#starts = starts;
    index.#order = order;
    index.#size = size;
    return index;
  }

  /** The same issues, sharing the packed part; changes to either copy stay its own. */
  clone(): IssueIndex {
    const copy = new IssueIndex(0);
    copy.countsByColumn.push(...this.countsByColumn.map((c) => ({ ...c })));
    copy.#size = this.#size;
    copy.#packed = this.#packed;
    copy.#starts = this.#starts;
    copy.#order = this.#order;
    copy.#built = this.#built;
    for (const [row, m] of this.#own) copy.#own.set(row, new Map([...m].map(([c, l]) => [c, [...l]])));
    return copy;
  }

  get size(): number {
    return this.#size;
  }

  has(row: number): boolean {
    const own = this.#own.get(row);
    return own !== undefined ? own.size > 0 : this.#packedCount(row) > 0;
  }

  get(row: number): ColumnIssues | undefined {
    const own = this.#own.get(row);
    if (own !== undefined) return own.size > 0 ? own : undefined;
    if (this.#packedCount(row) === 0) return undefined;
    let m = this.#built.get(row);
    if (m === undefined) {
      m = this.#fromPacked(row);
      // Only what the grid has shown lately: a full scroll must not rebuild every row's objects for good.
      if (this.#built.size >= BUILT_ROWS) this.#built.clear();
      this.#built.set(row, m);
    }
    return m;
  }

  /** Adds one issue (column -1 = the row as a whole, shown but not counted under a column). */
  add(row: number, col: number, v: CellIssueView): void {
    let m = this.#own.get(row);
    if (m === undefined) {
      m = this.#packedCount(row) > 0 ? this.#fromPacked(row) : new Map();
      this.#own.set(row, m);
    }
    if (m.size === 0) this.#size++;
    const list = m.get(col);
    if (list) list.push(v);
    else m.set(col, [v]);
    const c = this.countsByColumn[col];
    if (c) c[v.severity] += 1;
  }

  /** Forgets every issue of one row (before its re-checked issues are added). */
  clearRow(row: number): void {
    const m = this.#own.get(row) ?? (this.#packedCount(row) > 0 ? this.#fromPacked(row) : undefined);
    if (m !== undefined && m.size > 0) {
      this.#size--;
      for (const [col, list] of m) {
        const c = this.countsByColumn[col];
        if (c) for (const v of list) c[v.severity] -= 1;
      }
    }
    if (m !== undefined || this.#own.has(row)) this.#own.set(row, new Map());
  }

  /** Every row with issues, in row order (tests and small tables; the grid asks row by row). */
  *[Symbol.iterator](): IterableIterator<[number, ColumnIssues]> {
    const rows = new Set(this.#own.keys());
    for (let r = 0; r + 1 < this.#starts.length; r++) if (this.#starts[r + 1]! > this.#starts[r]!) rows.add(r);
    for (const row of [...rows].sort((a, b) => a - b)) {
      const m = this.get(row);
      if (m !== undefined) yield [row, m];
    }
  }

  #packedCount(row: number): number {
    return row >= 0 && row + 1 < this.#starts.length ? this.#starts[row + 1]! - this.#starts[row]! : 0;
  }

  #fromPacked(row: number): ColumnIssues {
    const p = this.#packed as PackedIssues;
    const m: ColumnIssues = new Map();
    for (let k = this.#starts[row]!; k < this.#starts[row + 1]!; k++) {
      const i = this.#order === null ? k : this.#order[k]!;
      const col = p.columns[i]!;
      const line = p.lines[i]!;
      const tail = p.tails[p.tailOf[i]!]!;
      const v: CellIssueView = { severity: p.severities[i] === 0 ? 'error' : 'warning', message: line < 0 ? tail : `Line ${line}, ${tail}` };
      const list = m.get(col);
      if (list) list.push(v);
      else m.set(col, [v]);
    }
    return m;
  }
}

const BUILT_ROWS = 4096;

/** The validator's index plus the file's row-level issues (ragged rows), which block until excluded. */
export function withFileIssues(validation: IssueIndex, fileIssues: readonly FileIssue[]): ReviewModel {
  const rowIssues = fileIssues.filter((f) => f.scope === 'row' && f.rowIndex !== undefined);
  const rowBlocks = new Map<number, string>();
  if (rowIssues.length === 0) return { byRow: validation, countsByColumn: validation.countsByColumn, rowBlocks };
  // The validator's index stays its own: the clone shares its packed issues and copies only the rows it changes.
  const index = validation.clone();
  for (const f of rowIssues) {
    const row = f.rowIndex as number;
    if (f.severity === 'error') rowBlocks.set(row, f.message);
    index.add(row, f.columnIndex ?? -1, { severity: f.severity === 'error' ? 'error' : 'warning', message: f.message });
  }
  return { byRow: index, countsByColumn: index.countsByColumn, rowBlocks };
}

export function buildReviewModel(columns: number, issues: readonly ViewIssue[], fileIssues: readonly FileIssue[]): ReviewModel {
  const index = new IssueIndex(columns);
  for (const i of issues) {
    if (i.row === null) continue;
    index.add(i.row, i.column ?? -1, { severity: i.severity, message: i.message });
  }
  return withFileIssues(index, fileIssues);
}

/**
 * The edited rows after applying a confirmed clean-up. A cell that no longer holds the suggestion's "before"
 * value (edited after the suggestion was computed) is left as the user made it.
 */
export function applyFix(editedRows: ReadonlyMap<number, SourceRow>, rows: readonly SourceRow[], fix: PackedFix): EditedRows {
  const applying = new FixApplication(editedRows, rows, fix);
  applying.step(fix.changeCount);
  return applying.result();
}

/**
 * applyFix a few changes at a time, so a clean-up of a million cells can be applied in slices of the main thread (in
 * one go it was one 1.3 s task at a million rows). `step(n)` applies the next n changes and says whether all are.
 * The changes are written into a copy of the rows as sent (DenseEditedRows): into a Map, a million edited rows grew
 * it by rehashing, one 50–100 ms step at each doubling.
 */
export class FixApplication {
  readonly #before: ReadonlyMap<number, SourceRow>;
  readonly #rows: readonly SourceRow[];
  readonly #fix: PackedFix;
  #sent: SourceRow[] | null = null;
  #size = 0;
  #result: EditedRows | null = null;
  #done = 0;

  constructor(editedRows: ReadonlyMap<number, SourceRow>, rows: readonly SourceRow[], fix: PackedFix) {
    this.#before = editedRows;
    this.#rows = rows;
    this.#fix = fix;
  }

  /** The clean-up's changes applied so far (for progress). */
  get done(): number {
    return this.#done;
  }

  #start(): SourceRow[] {
    if (this.#sent === null) {
      // Review has made these rows already (effectiveRowsOf keeps them): one array copy.
      this.#sent = effectiveRowsOf(this.#rows, this.#before).slice();
      this.#size = this.#before.size;
    }
    return this.#sent;
  }

  step(n: number): boolean {
    const fix = this.#fix;
    const rows = this.#rows;
    const sent = this.#start();
    const to = Math.min(fix.changeCount, this.#done + n);
    let size = this.#size;
    forEachChange(
      fix,
      (c) => {
        const row = sent[c.row];
        if (row === undefined || cellAt(row, fix.column) !== c.before) return;
        const edited = withCell(row, fix.column, c.after);
        const file = rows[c.row];
        size += (edited !== file ? 1 : 0) - (row !== file ? 1 : 0);
        sent[c.row] = edited;
      },
      this.#done,
      to,
    );
    this.#size = size;
    this.#done = to;
    return to >= fix.changeCount;
  }

  /** The edited rows once every step is done. */
  result(): EditedRows {
    this.#result ??= EditedRows.of(new DenseEditedRows(this.#rows, this.#start(), this.#size));
    return this.#result;
  }
}

/** One row as the grid shows it; row-wide issues (ragged rows, table rules) are shown on the first cell. */
export function gridRowOf(rowIndex: number, row: SourceRow, issues: ReadonlyMap<number, readonly CellIssueView[]> | undefined, excluded: boolean): GridRow {
  if (!issues) return { id: rowIndex, line: row.line, cells: row.cells, excluded };
  const cellIssues = new Map<number, CellIssue[]>();
  for (const [col, list] of issues) {
    const c = col < 0 ? 0 : col;
    cellIssues.set(c, [...(cellIssues.get(c) ?? []), ...list]);
  }
  return { id: rowIndex, line: row.line, cells: row.cells, excluded, cellIssues };
}

/** The edits after one cell of one row is set (the row's earlier edits are kept). */
export function withCellEdit(edits: ReviewEdits, rows: readonly SourceRow[], rowIndex: number, col: number, value: string): ReviewEdits {
  const row = edits.editedRows.get(rowIndex) ?? rows[rowIndex] ?? { line: 0, cells: [] };
  const edited = withCell(row, col, value);
  // One layer over the map before, not a copy of it (a million edited rows took ~300 ms to copy).
  return { ...edits, editedRows: EditedRows.of(edits.editedRows).with(rowIndex, edited === rows[rowIndex] ? null : edited) };
}

/** The edits after a row is included or excluded. */
export function withRowIncluded(edits: ReviewEdits, rowIndex: number, included: boolean): ReviewEdits {
  const s = new Set(edits.excluded);
  if (included) s.delete(rowIndex);
  else s.add(rowIndex);
  return { ...edits, excluded: s };
}

/** Ragged rows shown as blocks at most; the rest are counted by the block count. */
const MAX_ROW_BLOCKS_LISTED = 20;

/** What stops the import for the rows as they stand: the file's errors, the table's (mapping-level) blocks and each ragged row still included. */
export function reviewBlocks(table: ParsedTable, model: ReviewModel, tableBlocks: readonly string[], excluded: ReadonlySet<number>): string[] {
  const raggedIncluded = [...model.rowBlocks.keys()].filter((r) => !excluded.has(r));
  return [
    ...fileErrors(table),
    ...tableBlocks,
    ...raggedIncluded.slice(0, MAX_ROW_BLOCKS_LISTED).map((r) => `${model.rowBlocks.get(r) ?? ''} Exclude the row (or fix the file and upload it again).`),
  ];
}

/**
 * How many blocks the file itself makes (its errors and the ragged rows still included): known without
 * validation, so Next pressed during a check can decide as soon as the check brings the table's blocks.
 */
export function fileBlockCount(table: ParsedTable, excluded: ReadonlySet<number>): number {
  const ragged = new Set<number>();
  for (const f of table.issues)
    if (f.scope === 'row' && f.severity === 'error' && f.rowIndex !== undefined && !excluded.has(f.rowIndex)) ragged.add(f.rowIndex);
  return fileErrors(table).length + ragged.size;
}

function fileErrors(table: ParsedTable): string[] {
  return table.issues.filter((i) => i.scope === 'file' && i.severity === 'error').map((i) => i.message);
}
