import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packRows, unpackRows } from './row-batch.ts';

const SEED = 5;

describe('row batches', () => {
  it(`property: unpack(pack(rows)) = rows, ragged and empty cells included (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    const row = fc.record({ line: fc.integer({ min: 1, max: 1e6 }), cells: fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { maxLength: 5 }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        expect(unpackRows(packRows(rows))).toEqual(rows);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('job packing', () => {
  it('unpackJob(packJob(job)) gives the same job', async () => {
    const { splitIntoJobs } = await import('../domain/jobs/split.ts');
    const { packJob, unpackJob } = await import('./row-batch.ts');
    const rows = [
      { line: 2, cells: ['a', 'b,"c"'] },
      { line: 4, cells: ['', 'é\n'] },
    ];
    const res = await splitIntoJobs({ header: ['X', 'Y'], columnSource: [1, 0], rows, module: 'Leads' });
    const job = res.jobs[0]!;
    const copy = { ...job, zip: job.zip.slice() };
    expect(unpackJob(packJob(job).part)).toEqual(copy);
  });
});

describe('lazy rows', () => {
  it('read like plain rows: cells, spread, JSON, ragged widths', async () => {
    const { lazyRows } = await import('./row-batch.ts');
    const rows = [
      { line: 2, cells: ['a', 'bb', ''] },
      { line: 5, cells: ['x'] },
      { line: 6, cells: [] },
    ];
    const lazy = lazyRows(packRows(rows));
    expect(lazy.map((r) => r.cells)).toEqual(rows.map((r) => r.cells));
    expect({ ...lazy[0] }).toEqual(rows[0]);
    expect(JSON.parse(JSON.stringify(lazy))).toEqual(rows);
    // What postMessage sends (rows go back to the worker after edits) and what deep equality sees.
    expect(structuredClone(lazy)).toEqual(rows);
    expect(lazy).toEqual(rows);
    expect(Object.keys(lazy[0]!)).toEqual(['line', 'cells']);
  });
});
