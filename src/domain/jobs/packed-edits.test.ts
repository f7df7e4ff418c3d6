import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { editedRow, lazyRows, packRows, withCell } from '../csv/packed-rows.ts';
import type { SourceRow } from '../csv/types.ts';
import { applyPackedEdits, EditPacker, packedValues, packEdits, VALUES_PER_PIECE } from './packed-edits.ts';

const SEED = 138;

/** What the worker did before the edits were packed: each edited row replaced whole (same line). */
function withWholeRows(rows: readonly SourceRow[], edited: ReadonlyMap<number, readonly string[]>): SourceRow[] {
  return rows.map((r, i) => {
    const cells = edited.get(i);
    return cells ? { line: r.line, cells: [...cells] } : r;
  });
}

describe('packed edits (buildJobs: only the changed cells cross to the worker)', () => {
  it(`property: applying the packed edits gives the rows the whole edited rows give (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    const cell = fc.constantFrom('', 'a', 'b', '+1 415', '=x', 'é');
    const row = fc.array(cell, { maxLength: 5 });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 12 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 14 }), row), { maxLength: 10 }), (cellsOfRows, editList) => {
        const rows: SourceRow[] = cellsOfRows.map((cells, i) => ({ line: i + 2, cells }));
        const before = structuredClone(rows);
        // Edits as Review keeps them; an index past the rows is possible and must change nothing.
        const edited = new Map(editList);
        const applied = applyPackedEdits(rows, packEdits(edited, rows));
        expect(applied).toEqual(withWholeRows(rows, edited));
        // The parsed rows are never written into, and rows nobody edited are the same objects.
        expect(rows).toEqual(before);
        applied.forEach((r, i) => {
          if (!edited.has(i)) expect(r).toBe(rows[i]);
        });
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it(`property: Review's edited rows packed by addRow apply as their cells packed by add do (fast-check seed ${SEED})`, () => {
    const cell = fc.constantFrom('', 'a', 'b', 'é');
    const row = fc.array(cell, { minLength: 1, maxLength: 5 });
    const edit = fc.tuple(fc.nat(), fc.nat(), cell);
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 10 }), fc.array(edit, { maxLength: 12 }), (cellsOfRows, edits) => {
        const rows = lazyRows(packRows(cellsOfRows.map((cells, i) => ({ line: i + 2, cells }))));
        // Cell edits as the grid makes them (withCell), and one row replaced by a different row object's edit.
        const edited = new Map<number, SourceRow>();
        for (const [r, c, v] of edits) {
          const i = r % rows.length;
          const base = edited.get(i) ?? rows[i]!;
          edited.set(i, withCell(base, c % (base.cells.length + 1), v));
        }
        const foreign = editedRow(
          { line: 2, cells: [...rows[0]!.cells] },
          rows[0]!.cells.map(() => 'z'),
        );
        edited.set(0, foreign);
        const byRow = new EditPacker(rows);
        const byCells = new EditPacker(rows);
        for (const [i, r] of edited) {
          byRow.addRow(i, r);
          byCells.add(i, r.cells);
        }
        const want = applyPackedEdits(rows, byCells.finish());
        expect(applyPackedEdits(rows, byRow.finish())).toEqual(want);
        expect(want).toEqual(rows.map((r, i) => edited.get(i) ?? r));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a whole-column clean-up sends one value a row, no row whole', () => {
    const rows: SourceRow[] = Array.from({ length: 1000 }, (_, i) => ({ line: i + 2, cells: [`F${i}`, `L${i}`, `+1 415 555 ${i}`, `e${i}@x.io`] }));
    const edited = new Map(rows.map((r, i) => [i, [r.cells[0]!, r.cells[1]!, `+1415555${i}`, r.cells[3]!]]));
    const packed = packEdits(edited, rows);
    expect(packedValues(packed)).toHaveLength(1000);
    expect(packed.text).toHaveLength(1);
    expect([...new Set(packed.columns)]).toEqual([2]);
    expect([...packed.rowIndexes.slice(0, 3)]).toEqual([0, 1, 2]);
    expect(packed.whole).toEqual([]);
    expect(applyPackedEdits(rows, packed)[999]).toEqual({ line: 1001, cells: ['F999', 'L999', '+1415555999', 'e999@x.io'] });
  });

  it('values across several pieces come back exactly: empty, non-ASCII, astral, separators in the text', () => {
    // 2.5 pieces of values; a value of the row's number in varied characters, some empty.
    const n = Math.floor(VALUES_PER_PIECE * 2.5);
    const kinds = ['', 'é', '😀', ',', '"', '\r\n', 'abc', '中文'];
    const rows: SourceRow[] = Array.from({ length: n }, (_, i) => ({ line: i + 2, cells: ['x', `old ${i}`] }));
    const value = (i: number) => `${kinds[i % kinds.length]}${i % 5 === 0 ? '' : String(i)}${kinds[(i * 7) % kinds.length]}`;
    // Packed a row at a time through the packer, as the import does in slices of the main thread.
    const packer = new EditPacker(rows);
    for (let i = 0; i < n; i++) packer.add(i, ['x', value(i)]);
    const packed = packer.finish();
    expect(packed.text).toHaveLength(3);
    // Well-formed text crosses as UTF-8 bytes (transferable).
    expect(packed.text.every((t) => t instanceof Uint8Array)).toBe(true);
    const values = packedValues(packed);
    expect(values).toHaveLength(n);
    for (let i = 0; i < n; i++) if (values[i] !== value(i)) expect([i, values[i]]).toEqual([i, value(i)]);
    const applied = applyPackedEdits(rows, packed);
    expect(applied[n - 1]).toEqual({ line: n + 1, cells: ['x', value(n - 1)] });
    expect(applied[VALUES_PER_PIECE]).toEqual({ line: VALUES_PER_PIECE + 2, cells: ['x', value(VALUES_PER_PIECE)] });
  });

  it('a piece with a lone surrogate stays a string (UTF-8 cannot carry it); halves of a pair in two values come back apart', () => {
    const rows: SourceRow[] = [
      { line: 2, cells: ['a'] },
      { line: 3, cells: ['b'] },
      { line: 4, cells: ['c'] },
    ];
    // Two values whose joined text makes a valid pair: the piece is well-formed, crosses as bytes, and is cut back
    // into the same two UTF-16 halves by the lengths.
    const paired = ['x\uD800', '\uDC00y', '😀'];
    const asBytes = packEdits(new Map(paired.map((v, i) => [i, [v]])), rows);
    expect(asBytes.text[0]).toBeInstanceOf(Uint8Array);
    expect(packedValues(asBytes)).toEqual(paired);
    // A surrogate with no partner: the piece stays a string.
    const lone = ['x\uD800', 'y', '\uDC00'];
    const asString = packEdits(new Map(lone.map((v, i) => [i, [v]])), rows);
    expect(asString.text).toEqual(['x\uD800y\uDC00']);
    expect(packedValues(asString)).toEqual(lone);
    expect(applyPackedEdits(rows, asString).map((r) => r.cells[0])).toEqual(lone);
  });

  it('no edits: the rows themselves', () => {
    const rows: SourceRow[] = [{ line: 2, cells: ['a'] }];
    expect(applyPackedEdits(rows, packEdits(new Map(), rows))).toBe(rows);
    expect(applyPackedEdits(rows, undefined)).toBe(rows);
  });
});
