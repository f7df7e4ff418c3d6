// ResultRowReader (Papa Parse paused and resumed) against parseResultCsv (one Papa Parse call): the same header and
// the same rows in order, however the reads are cut, for well-formed and broken CSV text alike.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResultCsv, ResultRowReader } from './reconcile.ts';

const SEED = 1571;

function readAll(text: string, sizes: readonly number[]): { header: string[]; rows: string[][]; calls: number } {
  const reader = new ResultRowReader(text);
  const rows: string[][] = [];
  let k = 0;
  let calls = 0;
  for (;;) {
    calls++;
    const before = rows.length;
    const more = reader.read(sizes[k++ % sizes.length]!, (r) => rows.push(r));
    expect(rows.length - before).toBeLessThanOrEqual(sizes[(k - 1) % sizes.length]!);
    if (!more) break;
  }
  return { header: reader.header, rows, calls };
}

describe('ResultRowReader', () => {
  it(`property: reads the rows parseResultCsv reads, however the reads are cut (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    const piece = fc.constantFrom('a', 'ADDED', ' ', ',', '"', '""', '\r\n', '\n', '\r', 'é', '💡', '  \r\n', ',,', '"x\r\ny"', '\ufeff');
    const text = fc.array(piece, { maxLength: 60 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }), (t, sizes) => {
        const whole = parseResultCsv(t);
        const { header, rows } = readAll(t, sizes);
        expect({ header, rows }).toEqual(whole);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('reads a result file a few rows at a time, and all of it in one read when asked', () => {
    const lines = ['\ufeffFirst_Name , Email,STATUS,RECORD_ID,ERRORS'];
    for (let i = 0; i < 1000; i++) lines.push(`"Ann ""${i}""",a${i}@x.example,ADDED,40000000000${String(i).padStart(8, '0')},`);
    lines.push('Bo,"line\r\nbreak",SKIPPED,,DUPLICATE_DATA-Email:e');
    const text = lines.join('\r\n') + '\r\n\r\n';
    const cut = readAll(text, [7]);
    expect(cut.header).toEqual(['First_Name', 'Email', 'STATUS', 'RECORD_ID', 'ERRORS']);
    expect(cut.rows).toHaveLength(1001);
    expect(cut.rows[3]).toEqual(['Ann "3"', 'a3@x.example', 'ADDED', '4000000000000000003', '']);
    expect(cut.rows[1000]).toEqual(['Bo', 'line\r\nbreak', 'SKIPPED', '', 'DUPLICATE_DATA-Email:e']);
    expect(cut.calls).toBe(144);
    expect(readAll(text, [Number.POSITIVE_INFINITY]).calls).toBe(1);
    expect(readAll(text, [Number.POSITIVE_INFINITY]).rows).toEqual(cut.rows);
  });

  it('an empty file has no header and no rows', () => {
    expect(readAll('', [3])).toEqual({ header: [], rows: [], calls: 1 });
    expect(readAll('\ufeff', [3])).toEqual({ header: [], rows: [], calls: 1 });
  });
});
