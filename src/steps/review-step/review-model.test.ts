import { describe, expect, it } from 'vitest';
import type { FileIssue } from '../../domain/csv/types.ts';
import { fieldOf } from '../../domain/fields/test-fields.ts';
import { columnFixes, packFix } from '../../worker/column-fixes.ts';
import { applyFix, buildReviewModel } from './review-model.ts';

describe('buildReviewModel', () => {
  it('groups issues by row and cell, counts per column, and turns ragged rows into blocks', () => {
    const ragged: FileIssue = { code: 'RAGGED_ROW', severity: 'error', scope: 'row', message: 'Line 4 has 3 fields; the header has 2.', line: 4, rowIndex: 2 };
    const m = buildReviewModel(
      2,
      [
        { row: 0, column: 1, severity: 'error', message: 'Email is not valid' },
        { row: 0, column: 1, severity: 'warning', message: 'second' },
        { row: 1, column: 0, severity: 'warning', message: 'new picklist value' },
        { row: null, column: null, severity: 'error', message: 'table-level' },
      ],
      [ragged],
    );
    expect(m.byRow.get(0)?.get(1)).toHaveLength(2);
    expect(m.countsByColumn).toEqual([
      { error: 0, warning: 1 },
      { error: 1, warning: 1 },
    ]);
    expect(m.rowBlocks.get(2)).toContain('Line 4');
    expect(m.byRow.get(2)?.get(-1)?.[0]?.severity).toBe('error');
  });
});

describe('applyFix', () => {
  const rows = [
    { line: 2, cells: ['Ann', ' a@x.io '] },
    { line: 3, cells: ['Bo', ' b@x.io'] },
    { line: 4, cells: ['Cy', 'c@x.io'] },
  ];
  const trim = columnFixes(
    fieldOf('Email', 'email'),
    1,
    rows.map((r) => r.cells[1] ?? ''),
  ).find((f) => f.label === 'Trim spaces');

  it('writes every change of a confirmed clean-up into the edited rows, other cells untouched', () => {
    const out = applyFix(new Map(), rows, packFix(trim!));
    expect([...out]).toEqual([
      [0, ['Ann', 'a@x.io']],
      [1, ['Bo', 'b@x.io']],
    ]);
  });

  it('leaves a cell the user edited after the suggestion was computed', () => {
    const edited = new Map<number, readonly string[]>([
      [1, ['Bo', 'bo@elsewhere.io']],
      [2, ['Cyd', 'c@x.io']],
    ]);
    const out = applyFix(edited, rows, packFix(trim!));
    expect(out.get(0)).toEqual(['Ann', 'a@x.io']);
    expect(out.get(1)).toEqual(['Bo', 'bo@elsewhere.io']);
    expect(out.get(2)).toEqual(['Cyd', 'c@x.io']);
    expect(edited.has(0)).toBe(false);
  });
});
