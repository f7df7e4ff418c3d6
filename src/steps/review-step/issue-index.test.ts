// The packed issue index must read exactly like the Map of Maps it replaced (one Map per row with issues, one list
// per column, issues in the order the check found them, per-column counts), after a full check, after re-checked
// rows replace their issues, and in a clone that gets the file's own row issues — with the original left alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../domain/validation/issues.ts';
import { packIssues } from '../../worker/issue-pack.ts';
import { IssueIndex, type CellIssueView } from './review-model.ts';

const SEED = 20261205;
const COLUMNS = 4;

/** The reference: what the index was before (a Map per row, a list per column, counts kept beside). */
class Reference {
  byRow = new Map<number, Map<number, CellIssueView[]>>();
  counts = Array.from({ length: COLUMNS }, () => ({ error: 0, warning: 0 }));
  add(row: number, col: number, v: CellIssueView): void {
    let m = this.byRow.get(row);
    if (!m) this.byRow.set(row, (m = new Map<number, CellIssueView[]>()));
    const list = m.get(col);
    if (list) list.push(v);
    else m.set(col, [v]);
    const c = this.counts[col];
    if (c) c[v.severity] += 1;
  }
  clear(row: number): void {
    for (const [col, list] of this.byRow.get(row) ?? []) {
      const c = this.counts[col];
      if (c) for (const v of list) c[v.severity] -= 1;
    }
    this.byRow.delete(row);
  }
}

const issueArb = fc.record({
  row: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null, freq: 8 }),
  column: fc.option(fc.integer({ min: 0, max: COLUMNS }), { nil: null, freq: 5 }),
  severity: fc.constantFrom('error' as const, 'warning' as const),
  withLine: fc.boolean(),
  tail: fc.constantFrom('Email: not an e-mail address.', 'Phone: has spaces.', 'a new pick-list value', 'x'),
});

function issuesOf(spec: fc.Arbitrary<{ row: number | null; column: number | null; severity: 'error' | 'warning'; withLine: boolean; tail: string }[]>) {
  return spec.map((list) =>
    list.map((s): Issue => ({
      row: s.row,
      line: s.row === null ? null : s.row + 2,
      column: s.column,
      apiName: null,
      code: 'INVALID_DATA',
      severity: s.severity,
      message: s.withLine && s.row !== null ? `Line ${s.row + 2}, ${s.tail}` : s.tail,
    })),
  );
}

function same(index: IssueIndex, ref: Reference, rows = 34): void {
  expect(index.size).toBe(ref.byRow.size);
  expect(index.countsByColumn).toEqual(ref.counts);
  for (let r = -1; r < rows; r++) {
    expect(index.has(r)).toBe(ref.byRow.has(r));
    const got = index.get(r);
    expect(got === undefined ? undefined : new Map(got)).toEqual(ref.byRow.get(r));
  }
  expect([...index].map(([r]) => r)).toEqual([...ref.byRow.keys()].sort((a, b) => a - b));
}

describe('IssueIndex over packed issues', () => {
  it('reads like the Map of Maps, through re-checks and a clone with added issues', () => {
    fc.assert(
      fc.property(
        // Half the time packed in row order with every issue on a row, as the worker packs a check (the index then
        // reads them in place); otherwise in any order, with issues of no row.
        fc
          .tuple(issuesOf(fc.array(issueArb, { maxLength: 60 })), fc.boolean())
          .map(([list, inRowOrder]) => (inRowOrder ? list.filter((i) => i.row !== null).sort((a, b) => a.row! - b.row!) : list)),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 33 }), issuesOf(fc.array(issueArb, { maxLength: 3 }))), { maxLength: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 33 }), fc.integer({ min: -1, max: COLUMNS - 1 }), fc.constantFrom('error' as const, 'warning' as const)), {
          maxLength: 4,
        }),
        (issues, rechecks, added) => {
          const index = IssueIndex.fromPacked(COLUMNS, packIssues(issues));
          const ref = new Reference();
          for (const i of issues) if (i.row !== null) ref.add(i.row, i.column ?? -1, { severity: i.severity, message: i.message });
          same(index, ref);
          // A re-check: the row's issues are cleared, then its new ones (about that row) added.
          for (const [row, fresh] of rechecks) {
            index.clearRow(row);
            ref.clear(row);
            for (const i of fresh) {
              index.add(row, i.column ?? -1, { severity: i.severity, message: i.message });
              ref.add(row, i.column ?? -1, { severity: i.severity, message: i.message });
            }
          }
          same(index, ref);
          // A clone with the file's own issues added; the original does not change.
          const before = new Reference();
          for (const [r, m] of ref.byRow) for (const [c, l] of m) for (const v of l) before.add(r, c, v);
          const copy = index.clone();
          for (const [row, col, severity] of added) {
            copy.add(row, col, { severity, message: 'ragged' });
            ref.add(row, col, { severity, message: 'ragged' });
          }
          same(copy, ref);
          same(index, before);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('a row read twice is the same Map (the grid keeps its cells), and an empty index has nothing', () => {
    const index = IssueIndex.fromPacked(
      2,
      packIssues([{ row: 5, line: 7, column: 1, apiName: null, code: 'INVALID_DATA', severity: 'error', message: 'Line 7, bad' }]),
    );
    expect(index.get(5)).toBe(index.get(5));
    expect(index.get(5)?.get(1)).toEqual([{ severity: 'error', message: 'Line 7, bad' }]);
    const none = new IssueIndex(2);
    expect([none.size, none.has(0), none.get(0)]).toEqual([0, false, undefined]);
  });
});
