import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OutcomeBuilder, RowOutcomes, type RowOutcome, type RowStatus } from './outcomes.ts';

const SEED = 20261205;
const status = fc.constantFrom<RowStatus>('ADDED', 'UPDATED', 'SKIPPED', 'UNPROCESSED');
// Zoho's 19-digit ids, short ones, and ids the packing must keep as text: leading zero, 20 digits, not a number.
const recordId = fc.oneof(
  fc.constant(null),
  fc.bigInt({ min: 1n, max: 9_999_999_999_999_999_999n }).map(String),
  fc.constantFrom('0', '007', '18446744073709551616', '99999999999999999999', 'abc', ' 12', '4876876000000123001'),
);
const errorsText = fc.constantFrom('', 'INVALID_DATA-Phone', 'MANDATORY_NOT_FOUND-Email');
// A job's result rows: whether the row before it had no known status (a gap in rowInJob), and what it says.
const job = fc.record({
  rows: fc.array(fc.record({ gap: fc.boolean(), status, recordId, errorsText }), { maxLength: 12 }),
  // Provenance shorter than the rows: rows past it are unknown (-1).
  known: fc.integer({ min: 0, max: 14 }),
  listed: fc.boolean(),
});

function build(
  jobNo: number,
  spec: { rows: { gap: boolean; status: RowStatus; recordId: string | null; errorsText: string }[]; known: number; listed: boolean },
) {
  const rowIndexes = Uint32Array.from({ length: spec.known }, (_, i) => 100 * jobNo + i);
  const lines = Uint32Array.from({ length: spec.known }, (_, i) => 1000 * jobNo + i + 2);
  const expected: RowOutcome[] = [];
  const builder = new OutcomeBuilder(jobNo, spec.rows.length * 2, { rowIndexes, lines });
  let rowInJob = 0;
  for (const r of spec.rows) {
    if (r.gap) rowInJob++;
    const errors = r.errorsText === '' ? [] : [{ code: r.errorsText.split('-')[0] ?? '', apiName: r.errorsText.split('-')[1] ?? '', reason: r.errorsText }];
    builder.push(rowInJob, r.status, r.recordId, r.errorsText, errors);
    const known = rowInJob < spec.known;
    expected.push({
      job: jobNo,
      rowInJob,
      rowIndex: known ? 100 * jobNo + rowInJob : -1,
      line: known ? 1000 * jobNo + rowInJob + 2 : -1,
      status: r.status,
      recordId: r.recordId,
      errorsText: r.errorsText,
      errors,
    });
    rowInJob++;
  }
  return { list: spec.listed ? RowOutcomes.of(expected) : builder.build(), expected };
}

describe('RowOutcomes (packed reconciled rows, decision 153)', () => {
  it(`property: packed, listed, concatenated and shifted, every row reads back as it was given (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    fc.assert(
      fc.property(fc.array(job, { maxLength: 5 }), fc.integer({ min: 0, max: 3 }), (jobs, offset) => {
        const parts = jobs.map((j, n) => build(n, j));
        const merged = RowOutcomes.concat(parts.map((p) => p.list)).withJobOffset(offset);
        const expected = parts.flatMap((p) => p.expected).map((o) => ({ ...o, job: o.job + offset }));
        expect(merged.length).toBe(expected.length);
        expect([...merged]).toEqual(expected);
        // Read out of order (the segment is found by search, not only by the last one read).
        for (let i = expected.length - 1; i >= 0; i -= 2) {
          expect(merged.at(i)).toEqual(expected[i]);
          expect(merged.statusAt(i)).toBe(expected[i]?.status);
          expect(merged.rowIndexAt(i)).toBe(expected[i]?.rowIndex);
        }
        for (const bad of [-1, expected.length, 0.5])
          expect([merged.at(bad), merged.statusAt(bad), merged.rowIndexAt(bad)]).toEqual([undefined, undefined, undefined]);
        const notWritten = new Set<RowStatus>(['SKIPPED', 'UNPROCESSED']);
        expect(merged.withStatus(notWritten)).toEqual(expected.filter((o) => notWritten.has(o.status)));
        expect(merged.filter((o) => o.recordId !== null)).toEqual(expected.filter((o) => o.recordId !== null));
        expect(merged.map((o, i) => `${i}:${o.line}`)).toEqual(expected.map((o, i) => `${i}:${o.line}`));
        const inOrder = expected.every(
          (o, i) => i === 0 || expected[i - 1]!.job < o.job || (expected[i - 1]!.job === o.job && expected[i - 1]!.rowInJob <= o.rowInJob),
        );
        expect(merged.ordered()).toBe(inOrder);
        // Jobs given in reverse are out of order whenever two of them have rows.
        const reversed = RowOutcomes.concat(parts.map((p) => p.list).reverse());
        expect(reversed.ordered()).toBe(parts.filter((p) => p.expected.length > 0).length < 2);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('keeps a 19-digit id exactly, and the ids a 64-bit number cannot hold as text', () => {
    const b = new OutcomeBuilder(0, 4, { rowIndexes: Uint32Array.of(0, 1, 2, 3), lines: Uint32Array.of(2, 3, 4, 5) });
    b.push(0, 'ADDED', '9999999999999999999', '', []);
    b.push(1, 'ADDED', '18446744073709551616', '', []);
    b.push(2, 'UPDATED', '0042', '', []);
    b.push(3, 'SKIPPED', null, 'INVALID_DATA-Phone', []);
    const list = b.build();
    expect(list.map((o) => o.recordId)).toEqual(['9999999999999999999', '18446744073709551616', '0042', null]);
    expect(list.at(3)?.errorsText).toBe('INVALID_DATA-Phone');
  });
});
