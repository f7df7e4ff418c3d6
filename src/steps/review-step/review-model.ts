// Turns pre-flight validation into what the review grid shows: issues per row and cell, per-column counts,
// the rows predicted to be skipped, and the blocks that stop the import (file-level errors, ragged rows).
import type { FileIssue, ParsedTable, SourceRow } from '../../domain/csv/types.ts';
import type { ReviewEdits } from '../../domain/wizard/wizard-state.ts';
import { forEachChange, type PackedFix } from '../../worker/column-fixes.ts';

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

export interface ReviewModel {
  /** rowIndex → column → issues; column -1 = the row as a whole. */
  byRow: Map<number, Map<number, CellIssueView[]>>;
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
