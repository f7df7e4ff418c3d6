import { describe, expect, it } from 'vitest';
import type { FileIssue } from '../../domain/csv/types.ts';
import { buildReviewModel } from './review-model.ts';

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
    expect(m.countsByColumn).toEqual([{ error: 0, warning: 1 }, { error: 1, warning: 1 }]);
    expect(m.rowBlocks.get(2)).toContain('Line 4');
    expect(m.byRow.get(2)?.get(-1)?.[0]?.severity).toBe('error');
  });
});
