import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lazyRows, packRows, withCell } from '../../domain/csv/packed-rows.ts';
import type { FileIssue, SourceRow } from '../../domain/csv/types.ts';
import type { ReviewEdits } from '../../domain/wizard/wizard-state.ts';
import { fieldOf } from '../../domain/fields/test-fields.ts';
import { columnFixes, packFix } from '../../worker/column-fixes.ts';
import { applyFix, buildReviewModel, FixApplication, withCellEdit } from './review-model.ts';

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

  // The rows as the page holds them (packed, decision 146) and as plain rows: the same edits either way.
  for (const [kind, base] of [
    ['plain', rows],
    ['packed', lazyRows(packRows(rows))],
  ] as const) {
    it(`writes every change of a confirmed clean-up into the edited rows, other cells untouched (${kind} rows)`, () => {
      const out = applyFix(new Map(), base, packFix(trim!));
      expect([...out]).toEqual([
        [0, { line: 2, cells: ['Ann', 'a@x.io'] }],
        [1, { line: 3, cells: ['Bo', 'b@x.io'] }],
      ]);
      // The file's rows are not changed.
      expect(base.map((r) => r.cells)).toEqual(rows.map((r) => r.cells));
    });

    it(`leaves a cell the user edited after the suggestion was computed (${kind} rows)`, () => {
      const edited = new Map<number, SourceRow>([
        [1, withCell(base[1]!, 1, 'bo@elsewhere.io')],
        [2, withCell(base[2]!, 0, 'Cyd')],
      ]);
      const out = applyFix(edited, base, packFix(trim!));
      expect(out.get(0)).toEqual({ line: 2, cells: ['Ann', 'a@x.io'] });
      expect(out.get(1)).toEqual({ line: 3, cells: ['Bo', 'bo@elsewhere.io'] });
      expect(out.get(2)).toEqual({ line: 4, cells: ['Cyd', 'c@x.io'] });
      expect(edited.has(0)).toBe(false);
    });
  }

  it('applied a few changes a step (as Review does in slices) it gives what applyFix gives at once (fast-check seed 147)', () => {
    const cell = fc.constantFrom('a@x.io', ' a@x.io', 'b@x.io ', ' é@x.io ', '  ', '', 'x');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ maxLength: 3 }), cell), { minLength: 1, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(39), cell)),
        fc.integer({ min: 1, max: 7 }),
        (cells, userEdits, k) => {
          const plain = cells.map((c, i) => ({ line: i + 2, cells: [...c] }));
          const base = lazyRows(packRows(plain));
          const fix = columnFixes(
            fieldOf('Email', 'email'),
            1,
            plain.map((r) => r.cells[1] ?? ''),
          ).find((f) => f.label === 'Trim spaces');
          if (fix === undefined) return;
          // Some cells edited by the user after the suggestion was computed.
          const edited = new Map<number, SourceRow>();
          for (const [i, v] of userEdits) if (base[i]) edited.set(i, withCell(edited.get(i) ?? base[i], 1, v));
          const packed = packFix(fix);
          const applying = new FixApplication(edited, base, packed);
          let steps = 1;
          while (!applying.step(k)) steps++;
          expect(steps).toBe(Math.max(1, Math.ceil(packed.changeCount / k)));
          expect(applying.done).toBe(packed.changeCount);
          const atOnce = applyFix(edited, base, packed);
          expect([...applying.result()].map(([i, r]) => [i, r.cells])).toEqual([...atOnce].map(([i, r]) => [i, r.cells]));
        },
      ),
      { seed: 147, numRuns: 200 },
    );
  });

  it("a cell edited back to the file's value leaves the row unedited; a cell past the row's end widens it", () => {
    const base = lazyRows(packRows(rows));
    let edits: ReviewEdits = { editedRows: new Map(), excluded: new Set() };
    edits = withCellEdit(edits, base, 0, 0, 'Anna');
    expect(edits.editedRows.get(0)).toEqual({ line: 2, cells: ['Anna', ' a@x.io '] });
    edits = withCellEdit(edits, base, 0, 0, 'Ann');
    expect(edits.editedRows.has(0)).toBe(false);
    edits = withCellEdit(edits, base, 1, 2, 'extra');
    expect(edits.editedRows.get(1)).toEqual({ line: 3, cells: ['Bo', ' b@x.io', 'extra'] });
  });
});
