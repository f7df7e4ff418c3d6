import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packRows, unpackRows } from './row-batch.ts';

const SEED = 5;

describe('row batches', () => {
  it(`property: unpack(pack(rows)) = rows, ragged and empty cells included (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    const row = fc.record({ line: fc.integer({ min: 1, max: 1e6 }), cells: fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 5 }) });
    fc.assert(fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
      expect(unpackRows(packRows(rows))).toEqual(rows);
    }), { seed: SEED, numRuns: 300 });
  });
});
