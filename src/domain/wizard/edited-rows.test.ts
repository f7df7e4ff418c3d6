import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lazyRows, packRows, withCell } from '../csv/packed-rows.ts';
import type { SourceRow } from '../csv/types.ts';
import { DenseEditedRows, EditedRows, effectiveRowsOf } from './edited-rows.ts';

const plain = (n: number): SourceRow[] => Array.from({ length: n }, (_, i) => ({ line: i + 2, cells: [`r${i}`, `v${i}`] }));

describe('EditedRows', () => {
  it('reads like a Map changed the same way, through many layers, and its rows as sent are the same objects (fast-check seed 148)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.tuple(fc.nat(34), fc.option(fc.string({ maxLength: 2 }), { nil: null })), { maxLength: 80 }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(34), fc.string({ maxLength: 2 })), { maxLength: 40 }),
        fc.boolean(),
        (n, changes, layerMax, packed, first, dense) => {
          const rows = packed ? lazyRows(packRows(plain(n))) : plain(n);
          // Edits made before (by a clean-up: the rows as sent; or a Map), then single-row changes layered over them.
          const model = new Map<number, SourceRow>();
          for (const [i, value] of first) {
            const row = rows[i];
            if (row === undefined) continue;
            const e = withCell(model.get(i) ?? row, 0, value);
            if (e === row) model.delete(i);
            else model.set(i, e);
          }
          const sentBefore = rows.map((r, i) => model.get(i) ?? r);
          const start = dense ? new DenseEditedRows(rows, sentBefore, model.size) : new Map(model);
          let edited = EditedRows.of(start, layerMax);
          expect([...edited].sort((a, b) => a[0] - b[0])).toEqual([...model].sort((a, b) => a[0] - b[0]));
          const versions: { edited: EditedRows; model: Map<number, SourceRow> }[] = [];
          for (const [i, value] of changes) {
            const before = model.get(i) ?? rows[i] ?? { line: 0, cells: [] };
            const row = value === null ? null : withCell(before, 1, value);
            if (row === null || row === rows[i]) model.delete(i);
            else model.set(i, row);
            edited = edited.with(i, row === rows[i] ? null : row);
            versions.push({ edited, model: new Map(model) });
          }
          // Every version still reads as it was made (nothing is shared by mutation).
          for (const v of versions) {
            expect(v.edited.size).toBe(v.model.size);
            for (let i = 0; i < 36; i++) {
              expect(v.edited.get(i)).toBe(v.model.get(i));
              expect(v.edited.has(i)).toBe(v.model.has(i));
            }
            const sorted = (m: Iterable<[number, SourceRow]>) => [...m].sort((a, b) => a[0] - b[0]);
            expect(sorted(v.edited)).toEqual(sorted(v.model));
            expect([...v.edited.keys()].sort((a, b) => a - b)).toEqual([...v.model.keys()].sort((a, b) => a - b));
            const sent = effectiveRowsOf(rows, v.edited);
            expect(sent.length).toBe(rows.length);
            sent.forEach((r, i) => expect(r).toBe(v.model.get(i) ?? rows[i]));
          }
        },
      ),
      { seed: 148, numRuns: 300 },
    );
  });

  it('a change adds a layer over the map before it, never copying it, and a row set back is no longer edited', () => {
    const rows = plain(3);
    const base = new Map<number, SourceRow>([[0, withCell(rows[0]!, 1, 'x')]]);
    const one = EditedRows.of(base);
    const two = one.with(1, withCell(rows[1]!, 0, 'y'));
    expect(two.base).toBe(base);
    expect(two.size).toBe(2);
    const three = two.with(0, null);
    expect(three.size).toBe(1);
    expect(three.has(0)).toBe(false);
    expect(one.get(0)?.cells).toEqual(['r0', 'x']);
    expect(effectiveRowsOf(rows, three)).toEqual([rows[0], { line: 3, cells: ['y', 'v1'] }, rows[2]]);
    expect(effectiveRowsOf(rows, EditedRows.of(new Map()))).toBe(rows);
  });
});
