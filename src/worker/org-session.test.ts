import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OUTCOME_ADD, OUTCOME_EXCLUDED, OUTCOME_SKIP, OUTCOME_UPDATE } from '../domain/org-check/predict.ts';
import { fieldOf } from '../domain/fields/test-fields.ts';
import { assignColumn, emptyMapping } from '../domain/mapping/mapping.ts';
import { createOrgSession, flaggedRowsOf } from './org-session.ts';
import type { WorkerEvent } from './protocol.ts';
import { SETTLE_MIN_ROWS, SETTLE_SLICES, settleYoungGeneration } from './settle-young.ts';

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

describe('the file side made during the wait (settle-young.ts)', () => {
  const fields = [fieldOf('Last_Name', 'text', { length: 80, system_mandatory: true }), fieldOf('Email', 'email', { unique: { case_sensitive: false } })];
  let mapping = emptyMapping(2);
  ['Last_Name', 'Email'].forEach((h, i) => {
    mapping = assignColumn(mapping, i, h).mapping;
  });
  const wire = { mapping, fields, operation: 'upsert' as const, findBy: 'Email', ignoreEmpty: false };

  /** orgStart, orgPrepare of `n` rows, orgPredict twice (no page: an empty org): each prediction's timing and counts. */
  const run = (n: number) => {
    const events: WorkerEvent[] = [];
    const session = createOrgSession((e) => events.push(e));
    const rows = Array.from({ length: n }, (_, i) => ({ line: i + 2, cells: [`L${i}`, `p${i}@x.example`] }));
    void session.handle(
      { type: 'orgStart', id: 1, input: { target: { module: 'Contacts', fields: ['Email', 'Last_Name'] }, lookups: [], moduleFields: {}, users: [] } },
      () => rows,
    );
    void session.handle({ type: 'orgPrepare', id: 2, input: wire }, () => rows);
    void session.handle({ type: 'orgPredict', id: 3, input: wire }, () => rows);
    void session.handle({ type: 'orgPredict', id: 4, input: wire }, () => rows);
    return events.flatMap((e) => (e.type === 'orgPredicted' && e.result ? [{ settleMs: e.result.timing.settleMs, add: e.result.counts.add }] : []));
  };

  it('is promoted right after it is made, for a large file only, and the prediction is the same', () => {
    const large = run(SETTLE_MIN_ROWS);
    expect(large.map((p) => p.add)).toEqual([SETTLE_MIN_ROWS, SETTLE_MIN_ROWS]);
    // Reported once, with the prediction that follows the file side it settled.
    expect(large[0]!.settleMs).toBeGreaterThan(0);
    expect(large[1]!.settleMs).toBe(0);
    const small = run(SETTLE_MIN_ROWS - 1);
    expect(small.map((p) => p.add)).toEqual([SETTLE_MIN_ROWS - 1, SETTLE_MIN_ROWS - 1]);
    expect(small[0]!.settleMs).toBe(0);
  });

  it('makes enough garbage for two collections of the largest young generation, and stops when told', async () => {
    // 8 MB slices, 64 MB: twice the 16 MB semi-spaces, twice over.
    expect(SETTLE_SLICES * 8).toBeGreaterThanOrEqual(4 * 16);
    expect(await settleYoungGeneration(() => false)).toBe(SETTLE_SLICES);
    let asked = 0;
    expect(await settleYoungGeneration(() => ++asked >= 2)).toBe(2);
  });
});

describe('orgReset naming a run of the check', () => {
  it("drops only that run's snapshot: a stopped run's late clean-up leaves a newer run's copy", () => {
    const session = createOrgSession(() => undefined);
    const start = (check: number) =>
      void session.handle(
        { type: 'orgStart', id: check, input: { target: { module: 'Contacts', fields: ['Email'] }, lookups: [], moduleFields: {}, users: [], check } },
        () => [],
      );
    start(1);
    // Run 2 begins: everything goes, then its own snapshot starts; run 1's clean-up only comes now.
    void session.handle({ type: 'orgReset', id: 10 }, () => []);
    start(2);
    void session.handle({ type: 'orgReset', id: 11, check: 1 }, () => []);
    expect(session.active()).toBe(true);
    void session.handle({ type: 'orgReset', id: 12, check: 2 }, () => []);
    expect(session.active()).toBe(false);
    // A reset naming no run drops whatever is held.
    start(3);
    void session.handle({ type: 'orgReset', id: 13 }, () => []);
    expect(session.active()).toBe(false);
    // A snapshot started without a run's name goes with any reset.
    void session.handle(
      { type: 'orgStart', id: 14, input: { target: { module: 'Contacts', fields: ['Email'] }, lookups: [], moduleFields: {}, users: [] } },
      () => [],
    );
    void session.handle({ type: 'orgReset', id: 15, check: 3 }, () => []);
    expect(session.active()).toBe(false);
  });
});
