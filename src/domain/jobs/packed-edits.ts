// The Review grid's edited rows as the import sends them to the worker (buildJobs): only the cells that differ
// from the parsed row, in typed arrays and one list of values. The worker holds the parsed rows already; after a
// whole-column clean-up at 1,000,000 rows, sending every edited row whole (20 cells each) held the main thread for
// ~20 s cloning ~650 MB (docs/benchmarks.md §6, decision 138), where the changed cells are one a row.
import type { SourceRow } from '../csv/types.ts';

export interface PackedEdits {
  /** Change k sets cell `columns[k]` of row `rowIndexes[k]` (0-based into the parsed rows) to `values[k]`. */
  rowIndexes: Int32Array;
  columns: Int32Array;
  values: string[];
  /** Rows whose cell count differs from the parsed row's (a short row padded by an edit, say): sent whole. */
  whole: { rowIndex: number; cells: string[] }[];
}

/** The edits (row index → the row's cells as edited) against `rows`, the rows the worker parsed. */
export function packEdits(edited: Iterable<readonly [number, readonly string[]]>, rows: readonly SourceRow[]): PackedEdits {
  const rowIndexes: number[] = [];
  const columns: number[] = [];
  const values: string[] = [];
  const whole: { rowIndex: number; cells: string[] }[] = [];
  for (const [rowIndex, cells] of edited) {
    const base = rows[rowIndex]?.cells;
    if (!base || base.length !== cells.length) {
      whole.push({ rowIndex, cells: [...cells] });
      continue;
    }
    for (let c = 0; c < cells.length; c++) {
      const v = cells[c] as string;
      if (v === base[c]) continue;
      rowIndexes.push(rowIndex);
      columns.push(c);
      values.push(v);
    }
  }
  return { rowIndexes: Int32Array.from(rowIndexes), columns: Int32Array.from(columns), values, whole };
}

/** `rows` with the packed edits applied: an edited row is a new row (same line); the others are the same objects. */
export function applyPackedEdits(rows: readonly SourceRow[], edits: PackedEdits | undefined): readonly SourceRow[] {
  if (!edits || (edits.values.length === 0 && edits.whole.length === 0)) return rows;
  const out = rows.slice();
  for (const e of edits.whole) {
    const r = rows[e.rowIndex];
    if (r) out[e.rowIndex] = { line: r.line, cells: [...e.cells] };
  }
  for (let k = 0; k < edits.values.length; k++) {
    const i = edits.rowIndexes[k] as number;
    const r = rows[i];
    if (!r) continue;
    // The first change of a row copies it; later changes of the same row write into that copy.
    let row = out[i] as SourceRow;
    if (row === r) {
      row = { line: r.line, cells: [...r.cells] };
      out[i] = row;
    }
    row.cells[edits.columns[k] as number] = edits.values[k] as string;
  }
  return out;
}
