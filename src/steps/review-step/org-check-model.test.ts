import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../../domain/csv/types.ts';
import {
  changeCounts,
  changeText,
  changingRows,
  describesRows,
  earlierResultShown,
  orgCellText,
  predictedOutcome,
  unchangedMatchedRows,
  withOrgIssues,
  readCovers,
  type OrgChangeView,
  type OrgCheckView,
  type OrgRowView,
} from './org-check-model.ts';

const row = (line: number, ...cells: string[]): SourceRow => ({ line, cells });
const update = (recordId: string): OrgRowView => ({
  outcome: 'update',
  recordId,
  reason: `updates record ${recordId}`,
  detail: `updates record ${recordId}`,
  column: null,
  severity: null,
});
const add: OrgRowView = { outcome: 'add', recordId: null, reason: 'adds a new record', detail: 'adds a new record', column: null, severity: null };
const dup = (recordId: string): OrgRowView => ({
  outcome: 'skip',
  recordId,
  reason: `duplicate of record ${recordId}`,
  detail: `duplicate of record ${recordId}`,
  column: 1,
  severity: 'error',
});

// Rows 0–1 change a field, row 2 matches and changes nothing, row 3 is a new record, row 4 duplicates one.
const checked = [row(2, 'Ann', 'a@x.io'), row(3, 'Bo', 'b@x.io'), row(4, 'Cy', 'c@x.io'), row(5, 'Di', 'd@x.io'), row(6, 'Ed', 'e@x.io')];
/** A view over plain maps, as the app's adapter gives one over the packed result. */
function viewOf(rows: Map<number, OrgRowView>, changes: Map<number, OrgChangeView[]>): OrgCheckView {
  const matched = [...changes.keys()].sort((a, b) => a - b);
  const per = new Map<number, { column: number; apiName: string; rows: number }>();
  for (const list of changes.values())
    for (const c of list) per.set(c.column, { column: c.column, apiName: c.apiName, rows: (per.get(c.column)?.rows ?? 0) + 1 });
  return {
    outcome: (i) => rows.get(i)?.outcome ?? null,
    row: (i) => rows.get(i) ?? null,
    finding: (i) => {
      const r = rows.get(i);
      return r?.severity ? { column: r.column, severity: r.severity } : null;
    },
    flagged: [...rows].filter(([, r]) => r.severity !== null).map(([i]) => i),
    errors: () => [],
    issues: (i) => {
      const r = rows.get(i);
      return r?.severity ? [{ column: r.column, severity: r.severity, message: r.reason }] : [];
    },
    changes: (i) => changes.get(i) ?? [],
    counts: {
      add: [...rows.values()].filter((r) => r.outcome === 'add').length,
      update: [...rows.values()].filter((r) => r.outcome === 'update').length,
      skip: [...rows.values()].filter((r) => r.outcome === 'skip').length,
    },
    changedRows: matched.filter((i) => (changes.get(i) ?? []).length > 0),
    unchangedRows: matched.filter((i) => (changes.get(i) ?? []).length === 0),
    perField: [...per.values()].sort((a, b) => a.column - b.column),
    fixes: [],
    summary: 'Checked against the org',
  };
}

const view = viewOf(
  new Map([
    [0, update('10')],
    [1, update('11')],
    [2, update('12')],
    [3, add],
    [4, dup('13')],
  ]),
  new Map([
    [0, [{ column: 0, apiName: 'First_Name', before: 'Anne', after: 'Ann' }]],
    [
      1,
      [
        { column: 0, apiName: 'First_Name', before: 'Bob', after: 'Bo' },
        { column: 1, apiName: 'Email', before: '', after: 'b@x.io' },
      ],
    ],
    [2, []],
  ]),
);

describe('predictedOutcome', () => {
  it('counts the org check per included row, and a file-only skip wins over the org', () => {
    expect(predictedOutcome({ rows: checked, excluded: new Set(), fileSkips: [], check: { view, rows: checked }, operation: 'upsert' })).toEqual({
      add: 1,
      update: 3,
      skip: 1,
      unchecked: 0,
    });
    expect(predictedOutcome({ rows: checked, excluded: new Set([2]), fileSkips: [3], check: { view, rows: checked }, operation: 'upsert' })).toEqual({
      add: 0,
      update: 2,
      skip: 2,
      unchecked: 0,
    });
  });
  it('falls back to the file-only prediction for a row edited after the check, and says it was not checked', () => {
    const edited = [...checked];
    edited[4] = row(6, 'Ed', 'new@x.io');
    expect(predictedOutcome({ rows: edited, excluded: new Set(), fileSkips: [], check: { view, rows: checked }, operation: 'insert' })).toEqual({
      add: 2,
      update: 3,
      skip: 0,
      unchecked: 1,
    });
  });
  it('without a check it counts as a pass over every row would (fast-check seed 1481)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: -2, max: 45 })),
        fc.array(fc.integer({ min: -2, max: 45 })),
        fc.constantFrom('insert' as const, 'update' as const, 'upsert' as const),
        (n, excludedList, fileSkips, operation) => {
          const rows = Array.from({ length: n }, (_, i) => row(i + 2, `r${i}`));
          const excluded = new Set(excludedList);
          const want = { add: 0, update: 0, skip: 0, unchecked: 0 };
          const skips = new Set(fileSkips);
          for (let i = 0; i < n; i++) {
            if (excluded.has(i)) continue;
            if (skips.has(i)) want.skip += 1;
            else if (operation === 'update') want.update += 1;
            else want.add += 1;
          }
          expect(predictedOutcome({ rows, excluded, fileSkips, check: null, operation })).toEqual(want);
        },
      ),
      { seed: 1481, numRuns: 300 },
    );
  });
  it('without a check, an update updates and an insert adds every row the file does not skip', () => {
    expect(predictedOutcome({ rows: checked, excluded: new Set(), fileSkips: [0], check: null, operation: 'update' })).toEqual({
      add: 0,
      update: 4,
      skip: 1,
      unchecked: 0,
    });
    expect(predictedOutcome({ rows: checked, excluded: new Set(), fileSkips: [], check: null, operation: 'insert' })).toEqual({
      add: 5,
      update: 0,
      skip: 0,
      unchecked: 0,
    });
  });
});

describe('what will change', () => {
  it('counts matched and changing rows and changes per field, leaving out excluded and edited rows', () => {
    expect(changeCounts(view, checked, checked, new Set())).toEqual({
      matched: 3,
      changing: 2,
      perField: [
        { column: 0, apiName: 'First_Name', rows: 2 },
        { column: 1, apiName: 'Email', rows: 1 },
      ],
    });
    const edited = [...checked];
    edited[1] = row(3, 'Bobby', 'b@x.io');
    expect(changeCounts(view, checked, edited, new Set([0]))).toEqual({ matched: 1, changing: 0, perField: [] });
  });
  it('finds the rows that change and the matched rows that change nothing', () => {
    expect(Array.from(changingRows(view, checked, checked, new Set()))).toEqual([0, 1]);
    expect(Array.from(changingRows(view, checked, checked, new Set([1])))).toEqual([0]);
    expect(Array.from(unchangedMatchedRows(view, checked, checked, new Set()))).toEqual([2]);
    expect(Array.from(unchangedMatchedRows(view, checked, checked, new Set([2])))).toEqual([]);
  });
  it('counts the same as row-by-row counting, whatever rows are excluded or edited (property)', () => {
    // Random checks of up to 40 rows: each row an add, an update changing some of three fields, or a skip.
    const rowArb = fc.record({ kind: fc.constantFrom('add', 'update', 'skip'), fields: fc.subarray([0, 1, 2]) });
    fc.assert(
      fc.property(
        fc
          .array(rowArb, { maxLength: 40 })
          .chain((spec) =>
            fc.tuple(
              fc.constant(spec),
              fc.uniqueArray(fc.nat({ max: 39 })),
              fc.uniqueArray(fc.nat({ max: 39 })),
              fc.uniqueArray(fc.nat({ max: 39 })),
              fc.boolean(),
            ),
          ),
        ([spec, excludedList, editedList, skipList, checkedExcluded]) => {
          const names = ['First_Name', 'Last_Name', 'Email'];
          const outcomes = new Map<number, OrgRowView>();
          const changes = new Map<number, OrgChangeView[]>();
          const excluded = new Set(excludedList.filter((i) => i < spec.length));
          spec.forEach((r, i) => {
            // A check that predicted with these exclusions saw no outcome for the excluded rows.
            if (checkedExcluded && excluded.has(i)) return;
            outcomes.set(i, r.kind === 'add' ? add : r.kind === 'skip' ? dup(String(i)) : update(String(i)));
            if (r.kind === 'update')
              changes.set(
                i,
                r.fields.map((c) => ({ column: c, apiName: names[c]!, before: 'old', after: 'new' })),
              );
          });
          const v = viewOf(outcomes, changes);
          const rowsChecked = spec.map((_, i) => row(i + 2, `r${i}`));
          // No edit: the very rows the check saw (as when its answer arrives), not a copy of them.
          const rows = editedList.length === 0 ? rowsChecked : rowsChecked.map((r, i) => (editedList.includes(i) ? row(r.line, 'edited') : r));
          const counted = (i: number) => !excluded.has(i) && rows[i] === rowsChecked[i];

          const perField = new Map<number, number>();
          let changing = 0;
          let matched = 0;
          spec.forEach((r, i) => {
            if (r.kind !== 'update' || !counted(i)) return;
            matched++;
            if (r.fields.length > 0) changing++;
            for (const c of r.fields) perField.set(c, (perField.get(c) ?? 0) + 1);
          });
          expect(changeCounts(v, rowsChecked, rows, excluded)).toEqual({
            matched,
            changing,
            perField: [...perField].sort(([a], [b]) => a - b).map(([column, n]) => ({ column, apiName: names[column]!, rows: n })),
          });

          const fileSkips = skipList.filter((i) => i < spec.length);
          const want = { add: 0, update: 0, skip: 0, unchecked: 0 };
          spec.forEach((r, i) => {
            if (excluded.has(i)) return;
            if (fileSkips.includes(i)) want.skip++;
            else if (rows[i] !== rowsChecked[i]) {
              want.unchecked++;
              want.add++;
            } else want[r.kind]++;
          });
          const check = checkedExcluded ? { view: v, rows: rowsChecked, excluded } : { view: v, rows: rowsChecked };
          expect(predictedOutcome({ rows, excluded, fileSkips, check, operation: 'upsert' })).toEqual(want);
        },
      ),
      { seed: 1642, numRuns: 300 },
    );
  });
  it('writes old → new and names an empty value', () => {
    expect(changeText({ before: 'Anne', after: 'Ann' })).toBe('Anne → Ann');
    expect(changeText({ before: '', after: 'b@x.io' })).toBe('(empty) → b@x.io');
    // Spaces a grid cell would not show are made visible (a change of spaces alone read "Chemist → Chemist").
    expect(changeText({ before: 'Chemist ', after: 'Chemist' })).toBe('“Chemist·” → Chemist');
    expect(changeText({ before: 'Paris', after: ' Paris' })).toBe('Paris → “·Paris”');
    expect(changeText({ before: 'Northwind  Traders', after: 'New York' })).toBe('“Northwind··Traders” → New York');
  });
});

describe('withOrgIssues', () => {
  it('adds the org’s finding to the cell it is about, counts it under the column, and leaves the validation’s index alone', () => {
    const base = {
      byRow: new Map([[4, new Map([[0, [{ severity: 'warning' as const, message: 'file says' }]]])]]),
      countsByColumn: [
        { error: 0, warning: 1 },
        { error: 0, warning: 0 },
      ],
      rowBlocks: new Map<number, string>(),
    };
    const merged = withOrgIssues(base, { view, rows: checked }, checked);
    expect(merged.byRow.get(4)?.get(1)).toEqual([{ severity: 'error', message: 'duplicate of record 13' }]);
    expect(merged.byRow.get(4)?.get(0)).toHaveLength(1);
    expect(merged.countsByColumn[1]).toEqual({ error: 1, warning: 0 });
    expect(base.byRow.get(4)?.has(1)).toBe(false);
    expect(base.countsByColumn[1]).toEqual({ error: 0, warning: 0 });
    const edited = [...checked];
    edited[4] = row(6, 'Ed', 'other@x.io');
    expect(withOrgIssues(base, { view, rows: checked }, edited).byRow.get(4)?.has(1)).toBe(false);
  });

  it('a skip the org check gives no cell issue of its own, on a cell the file-only check flags, is not counted twice', () => {
    // Row 0 is skipped for the file's own phone rule: the org check's finding is that same cell, without words of its own.
    const skipped = viewOf(
      new Map([[0, { outcome: 'skip', recordId: null, reason: 'Skipped: Phone is not valid.', detail: '', column: 1, severity: 'error' }]]),
      new Map(),
    );
    const onlyFinding: OrgCheckView = { ...skipped, issues: () => [] };
    const base = {
      byRow: new Map([[0, new Map([[1, [{ severity: 'error' as const, message: 'Phone is not valid' }]]])]]),
      countsByColumn: [
        { error: 0, warning: 0 },
        { error: 1, warning: 0 },
      ],
      rowBlocks: new Map<number, string>(),
    };
    const merged = withOrgIssues(base, { view: onlyFinding, rows: checked }, checked);
    expect(merged.countsByColumn[1]).toEqual({ error: 1, warning: 0 });
    expect(merged.byRow.get(0)?.get(1)).toEqual([{ severity: 'error', message: 'Phone is not valid' }]);
  });

  it('a user cell the file-only check and the org check word the same way is one finding, counted once', () => {
    const said = 'No user of this Zoho CRM org has the name Aisha  Khan, so Contact Owner cannot be set and Zoho skips the row (INVALID_DATA).';
    const both: OrgCheckView = { ...view, flagged: [0], issues: (i) => (i === 0 ? [{ column: 1, severity: 'error', message: said }] : []), row: () => null };
    const base = {
      byRow: new Map([[0, new Map([[1, [{ severity: 'error' as const, message: `Line 2, Owner: ${said}` }]]])]]),
      countsByColumn: [
        { error: 0, warning: 0 },
        { error: 1, warning: 0 },
      ],
      rowBlocks: new Map<number, string>(),
    };
    const merged = withOrgIssues(base, { view: both, rows: checked }, checked);
    expect(merged.countsByColumn[1]).toEqual({ error: 1, warning: 0 });
    expect(merged.byRow.get(0)?.get(1)).toHaveLength(1);
  });

  it('reads as the eager merge of both indexes would: every row, its cells, the row count and the column counts', () => {
    type Issue = { column: number | null; severity: 'error' | 'warning'; message: string };
    const issue = fc.record({
      column: fc.constantFrom(null, 0, 1, 2),
      severity: fc.constantFrom('error' as const, 'warning' as const),
      message: fc.constantFrom('a', 'b'),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(issue, { maxLength: 2 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.array(issue, { maxLength: 2 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (fileIssues, orgIssues, editedAt) => {
          const n = Math.max(fileIssues.length, orgIssues.length);
          const checkedRows = Array.from({ length: n }, (_, i) => row(i + 2, 'x'));
          const rows = checkedRows.slice();
          for (const at of editedAt) rows[at % n] = row((at % n) + 2, 'edited');
          const byRow = new Map<number, Map<number, { severity: 'error' | 'warning'; message: string }[]>>();
          const counts = [0, 1, 2].map(() => ({ error: 0, warning: 0 }));
          fileIssues.forEach((list, i) => {
            for (const x of list) {
              const col = x.column ?? -1;
              let m = byRow.get(i);
              if (!m) byRow.set(i, (m = new Map<number, { severity: 'error' | 'warning'; message: string }[]>()));
              m.set(col, [...(m.get(col) ?? []), { severity: x.severity, message: x.message }]);
              if (col >= 0) counts[col]![x.severity] += 1;
            }
          });
          const orgOf = (i: number): Issue[] => orgIssues[i] ?? [];
          const orgView: OrgCheckView = { ...view, flagged: orgIssues.flatMap((l, i) => (l.length > 0 ? [i] : [])), issues: orgOf, row: () => null };
          const got = withOrgIssues({ byRow, countsByColumn: counts, rowBlocks: new Map() }, { view: orgView, rows: checkedRows }, rows);
          // The eager merge, written out plainly.
          const want = new Map<number, Map<number, { severity: string; message: string }[]>>();
          const wantCounts = counts.map((c) => ({ ...c }));
          for (let i = 0; i < n; i++) {
            const own = new Map([...(byRow.get(i) ?? [])].map(([c, l]) => [c, [...l]]));
            // An org issue in the very words the file's own issue on that cell has (same severity) is said once.
            const fileOwn = byRow.get(i);
            const extra = (rows[i] === checkedRows[i] ? orgOf(i) : []).filter(
              (x) => !(fileOwn?.get(x.column ?? -1)?.some((y) => y.severity === x.severity && y.message.endsWith(x.message)) ?? false),
            );
            for (const x of extra) {
              const col = x.column ?? -1;
              own.set(col, [...(own.get(col) ?? []), { severity: x.severity, message: x.message }]);
              if (col >= 0) wantCounts[col]![x.severity] += 1;
            }
            if (own.size > 0) want.set(i, own);
          }
          expect(got.byRow.size).toBe(want.size);
          expect(got.countsByColumn).toEqual(wantCounts);
          for (let i = 0; i < n; i++) {
            expect(got.byRow.has(i)).toBe(want.has(i));
            expect(got.byRow.get(i) === undefined ? undefined : new Map(got.byRow.get(i))).toEqual(want.get(i));
          }
          // Reading merged rows never changes the validation's own index.
          expect(byRow.size).toBe(fileIssues.filter((l) => l.length > 0).length);
        },
      ),
      { seed: 92026, numRuns: 200 },
    );
  });
});

describe('describesRows and orgCellText (when a re-prediction is due, and what the In the org column says meanwhile)', () => {
  it('is due after an edit or a change of the excluded rows, not for an equal copy of either', () => {
    const held = { view, rows: checked, excluded: new Set([3]) };
    // A new array holding the same row objects, and a new set of the same rows: nothing to predict again.
    expect(describesRows(held, [...checked], new Set([3]))).toBe(true);
    const edited = [...checked];
    edited[1] = row(3, 'Bo', 'new@x.io');
    expect(describesRows(held, edited, new Set([3]))).toBe(false);
    expect(describesRows(held, checked, new Set())).toBe(false);
    expect(describesRows(held, checked, new Set([2]))).toBe(false);
    // A check held without exclusions describes the rows with none excluded.
    expect(describesRows({ view, rows: checked }, checked, new Set())).toBe(true);
  });

  it('an earlier result is shown after a run that did not finish only while it is not out of date', () => {
    expect(earlierResultShown(null)).toBe(false);
    expect(earlierResultShown({ view, rows: checked })).toBe(true);
    expect(earlierResultShown({ view, rows: checked, stale: 'The org check needs to run again.' })).toBe(false);
  });

  it('says an edited row is being checked while an answer is on its way, and an excluded row is not sent', () => {
    const held = { view, rows: checked };
    const edited = [...checked];
    edited[4] = row(6, 'Ed', 'other@x.io');
    expect(orgCellText(held, edited, new Set(), 4, true)).toBe('Edited: checking again…');
    expect(orgCellText(held, edited, new Set(), 4, false)).toBe('Edited since the check');
    expect(orgCellText(held, edited, new Set([3]), 3, false)).toBe('Excluded: not sent.');
    expect(orgCellText(held, edited, new Set(), 0, false)).toBe('updates record 10');
  });
});

describe('readCovers (a mapping changed on Map keeps the check when the read holds what it needs)', () => {
  const read = { destination: 'd', reads: [{ module: 'Contacts', fields: ['id', 'Email', 'Title'] }], readsUsers: false };
  it('the same, less, or the same fields in another order: covered; another field, another module or the users: not', () => {
    expect(readCovers(read, { reads: [{ module: 'Contacts', fields: ['id', 'Email', 'Title'] }], readsUsers: false })).toBe(true);
    expect(readCovers(read, { reads: [{ module: 'Contacts', fields: ['Title', 'id'] }], readsUsers: false })).toBe(true);
    expect(readCovers(read, { reads: [], readsUsers: false })).toBe(true);
    expect(readCovers(read, { reads: [{ module: 'Contacts', fields: ['id', 'Description'] }], readsUsers: false })).toBe(false);
    expect(readCovers(read, { reads: [{ module: 'Accounts', fields: ['Account_Name'] }], readsUsers: false })).toBe(false);
    expect(readCovers(read, { reads: [{ module: 'Contacts', fields: ['id'] }], readsUsers: true })).toBe(false);
  });
});
