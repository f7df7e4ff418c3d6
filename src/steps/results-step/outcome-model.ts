// The plain-data side of a run's outcome: skipped rows as the retry grid shows them (Zoho's reasons on the cells
// of the fields they name, until the row is edited) and the reasons grouped for the summary list.
import type { CellIssue, GridRow } from '../../components/data-grid/grid-model.ts';
import type { SourceRow } from '../../domain/csv/types.ts';
import type { RowOutcome } from '../../domain/jobs/types.ts';

export function retryGridRows(
  rows: readonly { rowIndex: number; row: SourceRow }[],
  outcomeByRow: ReadonlyMap<number, RowOutcome>,
  fieldToColumn: ReadonlyMap<string, number>,
  edits: ReadonlyMap<number, readonly string[]>,
  excluded: ReadonlySet<number>,
): GridRow[] {
  return rows.map(({ rowIndex, row }) => {
    const cells = edits.get(rowIndex) ?? row.cells;
    const cellIssues = new Map<number, CellIssue[]>();
    // An edited row's old reasons no longer describe it: they are dropped rather than shown on the new values.
    if (!edits.has(rowIndex)) {
      for (const e of outcomeByRow.get(rowIndex)?.errors ?? []) {
        const col = fieldToColumn.get(e.apiName);
        if (col === undefined) continue;
        cellIssues.set(col, [...(cellIssues.get(col) ?? []), { severity: 'error', message: e.reason }]);
      }
    }
    return { id: rowIndex, line: row.line, cells, excluded: excluded.has(rowIndex), cellIssues };
  });
}

/** Skipped rows grouped by their plain-language reason, so 85 unprocessed rows read as one line, not 85. */
export function groupReasons(outcomes: readonly RowOutcome[]): { reason: string; lines: number[] }[] {
  const groups = new Map<string, number[]>();
  for (const o of outcomes) {
    const reason =
      o.status === 'UNPROCESSED'
        ? 'never processed (the job stopped before these rows).'
        : o.errors.map((e) => e.reason).join(' ') || o.errorsText || 'skipped without a reason from Zoho.';
    const lines = groups.get(reason);
    if (lines) lines.push(o.line);
    else groups.set(reason, [o.line]);
  }
  return [...groups].map(([reason, lines]) => ({ reason, lines }));
}
