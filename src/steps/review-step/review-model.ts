// Turns pre-flight validation into what the review grid shows: issues per row and cell, per-column counts,
// the rows predicted to be skipped, and the blocks that stop the import (file-level errors, ragged rows).
import type { CellIssue, GridRow } from '../../components/data-grid/grid-model.ts';
import type { FileIssue, ParsedTable, SourceRow } from '../../domain/csv/types.ts';
import type { ReviewEdits } from '../../domain/wizard/wizard-state.ts';
import { forEachChange, type PackedFix } from '../../worker/column-fixes.ts';

export interface ValidationView {
  /** rowIndex → column (-1 = the row as a whole) → issues. */
  byRow: Map<number, Map<number, CellIssueView[]>>;
  countsByColumn: { error: number; warning: number }[];
  /** Problems of the whole table (mapping-level), each a block. */
  tableBlocks: string[];
  /** 0-based row indexes predicted to be skipped by Zoho. */
  predictedSkips: readonly number[];
  /** One-click column clean-ups offered for the rows as they stand, in column order. */
  fixes: readonly PackedFix[];
}

/** Validates the rows as they stand; reports rows checked so far; stops when the signal aborts. */
export type ValidateRows = (
  rows: readonly SourceRow[],
  editedRows: ReadonlyMap<number, readonly string[]>,
  hooks: { onProgress: (done: number, total: number) => void; signal: AbortSignal },
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

// An edited row keeps one object per edit, so callers can find changed rows by reference.
const editedRowObjects = new WeakMap<readonly string[], SourceRow>();

/** The rows as the user sees and sends them: parsed rows with edits applied. */
export function effectiveRows(table: ParsedTable, edits: ReviewEdits): SourceRow[] {
  if (edits.editedRows.size === 0) return table.rows;
  return table.rows.map((r, i) => {
    const e = edits.editedRows.get(i);
    if (!e) return r;
    let obj = editedRowObjects.get(e);
    if (!obj) {
      obj = { line: r.line, cells: [...e] };
      editedRowObjects.set(e, obj);
    }
    return obj;
  });
}

/** Issues per row and cell with per-column counts; the validator keeps one up to date row by row. */
export interface IssueIndex {
  byRow: Map<number, Map<number, CellIssueView[]>>;
  countsByColumn: { error: number; warning: number }[];
}

export function emptyIssueIndex(columns: number): IssueIndex {
  return { byRow: new Map(), countsByColumn: Array.from({ length: columns }, () => ({ error: 0, warning: 0 })) };
}

/** Adds one issue (column -1 = the row as a whole, shown but not counted under a column). */
export function addIssue(index: IssueIndex, row: number, col: number, v: CellIssueView): void {
  let m = index.byRow.get(row);
  if (!m) {
    m = new Map();
    index.byRow.set(row, m);
  }
  const list = m.get(col);
  if (list) list.push(v);
  else m.set(col, [v]);
  const c = index.countsByColumn[col];
  if (c) c[v.severity] += 1;
}

/** Forgets every issue of one row (before its re-checked issues are added). */
export function clearRow(index: IssueIndex, row: number): void {
  const m = index.byRow.get(row);
  if (!m) return;
  for (const [col, list] of m) {
    const c = index.countsByColumn[col];
    if (c) for (const v of list) c[v.severity] -= 1;
  }
  index.byRow.delete(row);
}

/** The validator's index plus the file's row-level issues (ragged rows), which block until excluded. */
export function withFileIssues(validation: IssueIndex, fileIssues: readonly FileIssue[]): ReviewModel {
  const rowIssues = fileIssues.filter((f) => f.scope === 'row' && f.rowIndex !== undefined);
  const rowBlocks = new Map<number, string>();
  if (rowIssues.length === 0) return { byRow: validation.byRow, countsByColumn: validation.countsByColumn, rowBlocks };
  // Copy only what the file issues touch: the validator's index stays its own.
  const index: IssueIndex = { byRow: new Map(validation.byRow), countsByColumn: validation.countsByColumn.map((c) => ({ ...c })) };
  for (const f of rowIssues) {
    const row = f.rowIndex as number;
    const own = index.byRow.get(row);
    if (own && own === validation.byRow.get(row)) index.byRow.set(row, new Map([...own].map(([c, l]) => [c, [...l]])));
    if (f.severity === 'error') rowBlocks.set(row, f.message);
    addIssue(index, row, f.columnIndex ?? -1, { severity: f.severity === 'error' ? 'error' : 'warning', message: f.message });
  }
  return { byRow: index.byRow, countsByColumn: index.countsByColumn, rowBlocks };
}

export function buildReviewModel(columns: number, issues: readonly ViewIssue[], fileIssues: readonly FileIssue[]): ReviewModel {
  const index = emptyIssueIndex(columns);
  for (const i of issues) {
    if (i.row === null) continue;
    addIssue(index, i.row, i.column ?? -1, { severity: i.severity, message: i.message });
  }
  return withFileIssues(index, fileIssues);
}

/**
 * The edited rows after applying a confirmed clean-up. A cell that no longer holds the suggestion's "before"
 * value (edited after the suggestion was computed) is left as the user made it.
 */
export function applyFix(editedRows: ReadonlyMap<number, readonly string[]>, rows: readonly SourceRow[], fix: PackedFix): Map<number, readonly string[]> {
  const out = new Map(editedRows);
  forEachChange(fix, (c) => {
    const base = out.get(c.row) ?? rows[c.row]?.cells ?? [];
    if ((base[fix.column] ?? '') !== c.before) return;
    const next = [...base];
    next[fix.column] = c.after;
    out.set(c.row, next);
  });
  return out;
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
  const base = edits.editedRows.get(rowIndex) ?? rows[rowIndex]?.cells ?? [];
  const next = [...base];
  next[col] = value;
  return { ...edits, editedRows: new Map(edits.editedRows).set(rowIndex, next) };
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
