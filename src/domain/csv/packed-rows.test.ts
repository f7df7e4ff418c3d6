import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellAt, editedRow, lazyRows, packRows, readColumns, rowWidth, unpackRows } from './packed-rows.ts';

const SEED = 5;
const CELL_SEED = 146;
const row = fc.record({ line: fc.integer({ min: 1, max: 1e6 }), cells: fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 5 }) });

describe('packed rows', () => {
  it(`property: unpack(pack(rows)) = rows, ragged and empty cells included (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        expect(unpackRows(packRows(rows))).toEqual(rows);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it(`property: cellAt reads every cell of a lazy row as the plain row holds it, '' past its end (fast-check seed ${CELL_SEED})`, () => {
    console.log(`fast-check seed ${CELL_SEED}`);
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), (rows) => {
        const lazy = lazyRows(packRows(rows));
        rows.forEach((plain, i) => {
          for (let c = 0; c <= plain.cells.length + 1; c++) {
            const want = plain.cells[c] ?? '';
            expect(cellAt(lazy[i]!, c)).toBe(want);
            expect(cellAt(plain, c)).toBe(want);
          }
          expect(rowWidth(lazy[i]!)).toBe(plain.cells.length);
          expect(rowWidth(plain)).toBe(plain.cells.length);
        });
      }),
      { seed: CELL_SEED, numRuns: 300 },
    );
  });
});

describe('reading some columns', () => {
  it(`property: readColumns writes those columns as a plain row's array reads them (undefined past its end) and nothing else (fast-check seed ${CELL_SEED})`, () => {
    const columns = fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 8 }).map((cs) => cs.sort((a, b) => a - b));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 20 }), columns, (rows, cols) => {
        const lazy = lazyRows(packRows(rows));
        rows.forEach((plain, i) => {
          for (const source of [plain, lazy[i]!]) {
            const out: (string | undefined)[] = Array.from({ length: 9 }, () => 'untouched');
            readColumns(source, cols, out);
            for (let c = 0; c < 9; c++) {
              if (cols.includes(c)) expect(out[c]).toBe(plain.cells[c]);
              else expect(out[c]).toBe('untouched');
            }
          }
        });
      }),
      { seed: CELL_SEED, numRuns: 300 },
    );
  });
});

describe('edited rows', () => {
  const EDIT_SEED = 1461;
  it(`property: an edit of a packed row (and an edit of that edit) reads exactly as the plain edited row, by every reader (fast-check seed ${EDIT_SEED})`, () => {
    console.log(`fast-check seed ${EDIT_SEED}`);
    const value = fc.constantFrom('', 'a', 'b', 'éé', 'a long value of twenty');
    const cellsLike = (cells: string[]) => fc.tuple(...cells.map(() => value)).map((vs) => vs.map((v, i) => (v === 'a' ? (cells[i] as string) : v)));
    fc.assert(
      fc.property(
        fc
          .array(row, { minLength: 1, maxLength: 10 })
          .chain((rows) => fc.tuple(fc.constant(rows), fc.tuple(...rows.map((r) => cellsLike(r.cells))), fc.tuple(...rows.map((r) => cellsLike(r.cells))))),
        ([rows, firstEdits, secondEdits]) => {
          const lazy = lazyRows(packRows(rows));
          rows.forEach((plain, i) => {
            const once = editedRow(lazy[i]!, firstEdits[i]!);
            const twice = editedRow(once, secondEdits[i]!);
            for (const [edited, cells] of [
              [once, firstEdits[i]!],
              [twice, secondEdits[i]!],
            ] as const) {
              const want = { line: plain.line, cells };
              expect(edited.cells).toEqual(cells);
              expect(edited).toEqual(want);
              // Only `line` and `cells` are string keys (the rest is under symbols, decision 154) ...
              expect(Object.keys(edited)).toEqual(['line', 'cells']);
              // ... and a spread copy given other cells is a plain row: it reads its own cells, not the edit's.
              expect(cellAt({ ...edited, cells: ['copy'] }, 0)).toBe('copy');
              expect(structuredClone(edited)).toEqual(want);
              expect(JSON.parse(JSON.stringify(edited))).toEqual(want);
              for (let c = 0; c <= cells.length; c++) expect(cellAt(edited, c)).toBe(cells[c] ?? '');
              expect(rowWidth(edited)).toBe(cells.length);
              const out: (string | undefined)[] = Array.from({ length: cells.length + 2 }, () => 'untouched');
              const cols = [0, 2, cells.length + 1];
              readColumns(edited, cols, out);
              out.forEach((v, c) => expect(v).toBe(cols.includes(c) ? cells[c] : 'untouched'));
            }
            // An edit that changes nothing is the row itself; so is an edit undone.
            expect(editedRow(lazy[i]!, plain.cells)).toBe(lazy[i]);
            expect(editedRow(once, plain.cells)).toBe(lazy[i]);
          });
        },
      ),
      { seed: EDIT_SEED, numRuns: 200 },
    );
  });

  it('a row edited to another width is kept whole', () => {
    const [base] = lazyRows(packRows([{ line: 7, cells: ['a', 'b'] }]));
    expect(editedRow(base!, ['a', 'b', 'c'])).toEqual({ line: 7, cells: ['a', 'b', 'c'] });
    expect(editedRow(base!, ['a'])).toEqual({ line: 7, cells: ['a'] });
  });
});

describe('cell lengths', () => {
  it('take 16 bits a cell, and 32 in a batch with a cell of 65,536 characters or more, which still reads back whole', () => {
    const short = [{ line: 2, cells: ['a', 'x'.repeat(0xffff)] }];
    expect(packRows(short).cellLengths).toBeInstanceOf(Uint16Array);
    const long = [
      { line: 2, cells: ['a', 'y'.repeat(0x10000), 'b'] },
      { line: 3, cells: ['c', 'é'.repeat(70_000)] },
    ];
    const packed = packRows(long);
    expect(packed.cellLengths).toBeInstanceOf(Uint32Array);
    expect(unpackRows(packed)).toEqual(long);
    const lazy = lazyRows(packRows(long));
    expect(lazy.map((r) => r.cells)).toEqual(long.map((r) => r.cells));
    expect(cellAt(lazy[0]!, 2)).toBe('b');
    expect(cellAt(lazy[1]!, 1)).toBe('é'.repeat(70_000));
  });
});

describe('lazy rows', () => {
  it('read like plain rows: cells, spread, JSON, ragged widths', () => {
    const rows = [
      { line: 2, cells: ['a', 'bb', ''] },
      { line: 5, cells: ['x'] },
      { line: 6, cells: [] },
    ];
    const lazy = lazyRows(packRows(rows));
    expect(lazy.map((r) => r.cells)).toEqual(rows.map((r) => r.cells));
    // A spread copies the cells (and the symbols it is made of, which do not make the copy a packed row).
    expect(Object.keys(lazy[0]!)).toEqual(['line', 'cells']);
    expect({ ...lazy[0] }).toMatchObject(rows[0]!);
    expect(cellAt({ ...lazy[0]!, cells: ['copy'] }, 0)).toBe('copy');
    expect(JSON.parse(JSON.stringify(lazy))).toEqual(rows);
    // What postMessage sends (rows go back to the worker after edits) and what deep equality sees.
    expect(structuredClone(lazy)).toEqual(rows);
    expect(lazy).toEqual(rows);
    expect(Object.keys(lazy[0]!)).toEqual(['line', 'cells']);
  });
});
