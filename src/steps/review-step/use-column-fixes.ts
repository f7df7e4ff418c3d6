// Review's column clean-up suggestions, computed without one long main-thread task: the mapped columns' values
// are read in 10,000-row slices (one task each), each column's proposals run in their own task, and after an
// inline edit only the columns whose values changed are proposed again (the rest keep their suggestions).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SourceRow } from '../../domain/csv/types.ts';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import { columnFixes, type ColumnFix } from './column-fixes.ts';

export interface ColumnState {
  field: FieldModel;
  values: string[];
  /** The last proposals for this column (shown until new ones are in). */
  fixes: ColumnFix[];
  /** The values changed since `fixes` was computed. */
  stale: boolean;
}

export interface Cache {
  rows: readonly SourceRow[];
  columns: Map<number, ColumnState>;
}

// Rows read per task: reading a row's cells cuts them from the packed batch, ~0.3 µs a cell.
const READ_SLICE = 10_000;

/** Reads rows [from, to) of the given columns into their arrays, each row's cells once. */
function readSlice(rows: readonly SourceRow[], cols: readonly number[], arrays: readonly string[][], from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const cells = (rows[i] as SourceRow).cells;
    for (let k = 0; k < cols.length; k++) (arrays[k] as string[])[i] = cells[cols[k] as number] ?? '';
  }
}

/** The rows at which `rows` holds another object than `before` (edited rows get new objects). */
function changedRows(before: readonly SourceRow[], rows: readonly SourceRow[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) if (rows[i] !== before[i]) out.push(i);
  return out;
}

/**
 * What the last computation still holds for these rows: per mapped column its values with the edited rows'
 * cells updated (stale when any changed); columns that are new or re-mapped, or all after a new table, are `fresh`
 * and must be read.
 */
export function carryOver(prev: Cache | null, rows: readonly SourceRow[], fieldsByColumn: ReadonlyMap<number, FieldModel>): { columns: Map<number, ColumnState>; fresh: number[] } {
  const columns = new Map<number, ColumnState>();
  const fresh: number[] = [];
  const edited = prev && prev.rows.length === rows.length ? changedRows(prev.rows, rows) : null;
  for (const [col, field] of fieldsByColumn) {
    const old = prev?.columns.get(col);
    if (edited === null || old === undefined || old.field !== field) {
      fresh.push(col);
      continue;
    }
    let values = old.values;
    let stale = old.stale;
    for (const i of edited) {
      const v = rows[i]?.cells[col] ?? '';
      if (v === values[i]) continue;
      if (values === old.values) values = values.slice();
      values[i] = v;
      stale = true;
    }
    columns.set(col, { field, values, fixes: old.fixes, stale });
  }
  return { columns, fresh };
}

export function useColumnFixes(rows: readonly SourceRow[], fieldsByColumn: ReadonlyMap<number, FieldModel>): ColumnFix[] {
  const cache = useRef<Cache | null>(null);
  const [shown, setShown] = useState<ReadonlyMap<number, ColumnFix[]>>(new Map());

  useEffect(() => {
    let stopped = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const later = (task: () => void): void => {
      timers.push(setTimeout(() => { if (!stopped) task(); }, 0));
    };
    const publish = (columns: Map<number, ColumnState>): void => setShown(new Map([...columns].map(([c, s]) => [c, s.fixes])));

    later(() => {
      const { columns, fresh } = carryOver(cache.current, rows, fieldsByColumn);
      const arrays = fresh.map(() => new Array<string>(rows.length));
      const propose = (): void => {
        fresh.forEach((col, k) => columns.set(col, { field: fieldsByColumn.get(col) as FieldModel, values: arrays[k] as string[], fixes: [], stale: true }));
        cache.current = { rows, columns };
        publish(columns);
        for (const [col, s] of columns) {
          if (!s.stale) continue;
          later(() => {
            s.fixes = columnFixes(s.field, col, s.values);
            s.stale = false;
            publish(columns);
          });
        }
      };
      const readFrom = (from: number): void => {
        if (fresh.length === 0 || from >= rows.length) return propose();
        readSlice(rows, fresh, arrays, from, Math.min(rows.length, from + READ_SLICE));
        later(() => readFrom(from + READ_SLICE));
      };
      readFrom(0);
    });
    return () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
    };
  }, [rows, fieldsByColumn]);

  return useMemo(() => [...shown].sort((a, b) => a[0] - b[0]).flatMap(([, fixes]) => fixes), [shown]);
}
