import { describe, expect, it } from 'vitest';
import { fieldOf } from '../../domain/fields/test-fields.ts';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import { columnFixes } from './column-fixes.ts';
import { carryOver, type Cache } from './use-column-fixes.ts';

const name = fieldOf('Last_Name', 'text');
const email = fieldOf('Email', 'email');
const fields = new Map<number, FieldModel>([[0, name], [1, email]]);
const rows = [
  { line: 2, cells: ['Ann', ' a@x.io'] },
  { line: 3, cells: ['Bo', 'b@x.io'] },
];

function computed(): Cache {
  const columns = new Map([0, 1].map((col) => {
    const values = rows.map((r) => r.cells[col] ?? '');
    return [col, { field: fields.get(col) as FieldModel, values, fixes: columnFixes(fields.get(col) as FieldModel, col, values), stale: false }];
  }));
  return { rows, columns };
}

describe('carryOver (which column suggestions an edit invalidates)', () => {
  it('a new table reads every mapped column', () => {
    expect(carryOver(null, rows, fields).fresh).toEqual([0, 1]);
  });

  it('an edit of one cell makes only that column stale, with the new value in place', () => {
    const prev = computed();
    const edited = [rows[0]!, { line: 3, cells: ['Bo', ' b@x.io '] }];
    const { columns, fresh } = carryOver(prev, edited, fields);
    expect(fresh).toEqual([]);
    expect(columns.get(0)?.stale).toBe(false);
    expect(columns.get(0)?.values).toBe(prev.columns.get(0)?.values);
    expect(columns.get(1)?.stale).toBe(true);
    expect(columns.get(1)?.values).toEqual([' a@x.io', ' b@x.io ']);
    // The earlier computation's values are not changed (they belong to the rows before the edit).
    expect(prev.columns.get(1)?.values).toEqual([' a@x.io', 'b@x.io']);
    // Until recomputed, the column keeps showing its last suggestions.
    expect(columns.get(1)?.fixes).toBe(prev.columns.get(1)?.fixes);
  });

  it('a re-mapped column is read again; a still-stale column stays stale', () => {
    const prev = computed();
    prev.columns.get(0)!.stale = true;
    const { columns, fresh } = carryOver(prev, rows, new Map<number, FieldModel>([[0, name], [1, fieldOf('Secondary_Email', 'email')]]));
    expect(fresh).toEqual([1]);
    expect(columns.get(0)?.stale).toBe(true);
  });
});
