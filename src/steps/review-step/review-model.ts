// Turns pre-flight validation into what the review grid shows: issues per row and cell, per-column counts,
// the rows predicted to be skipped, and the blocks that stop the import (file-level errors, ragged rows).
import type { FileIssue, ParsedTable, SourceRow } from '../../domain/csv/types.ts';
import type { ReviewEdits } from '../../domain/wizard/wizard-state.ts';

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

export function buildReviewModel(columns: number, issues: readonly ViewIssue[], fileIssues: readonly FileIssue[]): ReviewModel {
  const byRow = new Map<number, Map<number, CellIssueView[]>>();
  const countsByColumn = Array.from({ length: columns }, () => ({ error: 0, warning: 0 }));
  const add = (row: number, col: number, v: CellIssueView) => {
    let m = byRow.get(row);
    if (!m) {
      m = new Map();
      byRow.set(row, m);
    }
    const list = m.get(col);
    if (list) list.push(v);
    else m.set(col, [v]);
    const c = countsByColumn[col];
    if (c) c[v.severity] += 1;
  };
  for (const i of issues) {
    if (i.row === null) continue;
    add(i.row, i.column ?? -1, { severity: i.severity, message: i.message });
  }
  const rowBlocks = new Map<number, string>();
  for (const f of fileIssues) {
    if (f.scope !== 'row' || f.rowIndex === undefined) continue;
    if (f.severity === 'error') rowBlocks.set(f.rowIndex, f.message);
    add(f.rowIndex, f.columnIndex ?? -1, { severity: f.severity === 'error' ? 'error' : 'warning', message: f.message });
  }
  return { byRow, countsByColumn, rowBlocks };
}
