import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUTCOME_ADD, OUTCOME_EXCLUDED, OUTCOME_SKIP, OUTCOME_UPDATE } from '../domain/org-check/predict.ts';
import { flaggedRowsOf } from './org-session.ts';

describe('flaggedRowsOf', () => {
  it('lists every row predicted to be skipped or carrying an issue, ascending and once (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(OUTCOME_ADD, OUTCOME_UPDATE, OUTCOME_SKIP, OUTCOME_EXCLUDED), { maxLength: 60 }),
        fc.array(fc.nat({ max: 70 }), { maxLength: 40 }),
        (outcomes, issueRows) => {
          // Issues come sorted by row, several per row possible, and may name rows past the end (ignored).
          const sorted = [...issueRows].sort((a, b) => a - b);
          const want = outcomes.flatMap((o, row) => (o === OUTCOME_SKIP || sorted.includes(row) ? [row] : []));
          expect(Array.from(flaggedRowsOf(Uint8Array.from(outcomes), Int32Array.from(sorted)))).toEqual(want);
        },
      ),
      { seed: 1643, numRuns: 300 },
    );
  });
});
