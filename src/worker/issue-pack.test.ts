import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../domain/validation/issues.ts';
import { diffIssues, forEachIssue, packIssues, type UnpackedIssue } from './issue-pack.ts';

const issue = (row: number, column: number | null, code: Issue['code'], message: string, severity: Issue['severity'] = 'error'): Issue => ({
  row,
  line: row + 2,
  column,
  apiName: null,
  code,
  severity,
  message,
});

const issues = [
  issue(0, 1, 'INVALID_DATA', 'Line 2, Email: “x” is not an email address.'),
  issue(0, null, 'DUPLICATE_DATA', 'Line 2 repeats line 5’s Email.'),
  issue(3, 2, 'NEW_PICKLIST_VALUE', 'Line 5: ‘Nope’ is not one of the values.', 'warning'),
  issue(9, 0, 'MANDATORY_NOT_FOUND', ''),
];

const all = (p: ReturnType<typeof packIssues>, from?: number, to?: number): UnpackedIssue[] => {
  const out: UnpackedIssue[] = [];
  forEachIssue(p, (i) => out.push(i), from, to);
  return out;
};

describe('packed issues', () => {
  it('round-trip row, column, code, severity and message (empty and non-ASCII messages included)', () => {
    expect(all(packIssues(issues))).toEqual(issues.map((i) => ({ row: i.row, column: i.column, code: i.code, severity: i.severity, message: i.message })));
  });

  it('keeps one copy of a message tail shared by many lines, and every message exactly', () => {
    const many = Array.from({ length: 1_000 }, (_, r) => issue(r, 4, 'INVALID_DATA', `Line ${r + 2}, "Phone": Phone allows only digits and a leading +.`));
    // A message that does not start with its own line (another line's prefix, or none) stays whole.
    many.push({ ...issue(1_000, 4, 'INVALID_DATA', 'Line 7, "Phone": not this row’s line.'), line: 1_002 });
    many.push({ ...issue(1_001, null, 'DUPLICATE_DATA', 'Line 3, "Email": same as line 2.'), line: null });
    const p = packIssues(many);
    expect(p.tails.length).toBe(3);
    expect(all(p)).toEqual(many.map((i) => ({ row: i.row, column: i.column, code: i.code, severity: i.severity, message: i.message })));
  });

  it('read in slices gives the same issues as read at once', () => {
    const p = packIssues(issues);
    expect([...all(p, 0, 1), ...all(p, 1, 3), ...all(p, 3, 99)]).toEqual(all(p));
  });

  it('a diff names the rows whose issues changed, appeared or went, with only their new issues', () => {
    const after = [
      issues[0]!,
      issue(3, 2, 'NEW_PICKLIST_VALUE', 'Line 5: ‘Nope’ is not one of the values (2 rows use it).', 'warning'),
      issue(4, 1, 'INVALID_DATA', 'new'),
    ];
    const d = diffIssues([...issues.slice(0, 3), issues[3]!], after);
    expect(d.changedRows).toEqual([0, 3, 4, 9]);
    expect(d.issues).toEqual([issues[0], after[1], after[2]]);
  });

  it('a diff in one walk names the same rows and issues as comparing every row in maps (fast-check seed 1511)', () => {
    // The reference: each result indexed by row, every row's list compared issue by issue through its message.
    const reference = (before: readonly Issue[], after: readonly Issue[]) => {
      const byRow = (list: readonly Issue[]) => {
        const m = new Map<number, Issue[]>();
        for (const i of list) if (i.row !== null) m.set(i.row, [...(m.get(i.row) ?? []), i]);
        return m;
      };
      const old = byRow(before);
      const now = byRow(after);
      const same = (a: Issue[] | undefined, b: Issue[] | undefined) =>
        a !== undefined &&
        b !== undefined &&
        a.length === b.length &&
        a.every((x, k) => x.column === b[k]!.column && x.code === b[k]!.code && x.severity === b[k]!.severity && x.message === b[k]!.message);
      const rows = [...new Set([...now.keys(), ...old.keys()])].filter((r) => !same(old.get(r), now.get(r))).sort((a, b) => a - b);
      return { changedRows: rows, issues: rows.flatMap((r) => now.get(r) ?? []) };
    };
    // Issues as a validation lists them: in row order; some share a tail (the row check's), some carry only a message.
    const anIssue = fc.record({
      row: fc.integer({ min: 0, max: 12 }),
      column: fc.constantFrom(null, 0, 1, 2),
      code: fc.constantFrom<Issue['code']>('INVALID_DATA', 'DUPLICATE_DATA', 'NEW_PICKLIST_VALUE'),
      severity: fc.constantFrom<Issue['severity']>('error', 'warning'),
      text: fc.constantFrom('bad', 'worse', ''),
      tailed: fc.boolean(),
    });
    const toIssues = (xs: { row: number; column: number | null; code: Issue['code']; severity: Issue['severity']; text: string; tailed: boolean }[]): Issue[] =>
      [...xs]
        .sort((a, b) => a.row - b.row)
        .map((x) => ({
          row: x.row,
          line: x.row + 2,
          column: x.column,
          apiName: null,
          code: x.code,
          severity: x.severity,
          message: `Line ${x.row + 2}, ${x.text}`,
          ...(x.tailed ? { tail: x.text } : {}),
        }));
    fc.assert(
      fc.property(fc.array(anIssue, { maxLength: 20 }), fc.array(anIssue, { maxLength: 20 }), fc.boolean(), (a, b, share) => {
        const before = toIssues(a);
        // Half the time the new result shares the old one's objects for most rows, as a re-check's does.
        const after = share
          ? [...before.filter((i) => (i.row ?? 0) % 3 !== 0), ...toIssues(b).filter((i) => (i.row ?? 0) % 3 === 0)].sort((x, y) => x.row! - y.row!)
          : toIssues(b);
        expect(diffIssues(before, after)).toEqual(reference(before, after));
      }),
      { seed: 1511, numRuns: 500 },
    );
  });
});

describe('packed issues from the row check', () => {
  it("packs the check's shared message tails without changing a message, for every kind of row issue", async () => {
    const { leadFields } = await import('../domain/fields/test-fields.ts');
    const { assignColumn, emptyMapping, setDefaultOnly } = await import('../domain/mapping/mapping.ts');
    const { validateTable } = await import('../domain/validation/preflight.ts');
    const headers = ['Last_Name', 'Company', 'Email', 'Phone', 'No_of_Employees'];
    let mapping = emptyMapping(headers.length);
    headers.forEach((h, i) => (mapping = assignColumn(mapping, i, h).mapping));
    mapping = setDefaultOnly(mapping, 'Mobile', 'not a phone!');
    const rows = Array.from({ length: 40 }, (_, r) => ({
      line: r + 2,
      // An invalid phone; a value with spaces around it; a required cell left empty; a bad number; a fine row.
      cells: [
        r % 3 === 0 ? '' : `Smith ${r}`,
        'Zylker',
        r % 4 === 0 ? ` a${r}@zylker.com ` : `a${r}@zylker.com`,
        r % 2 === 0 ? '415 555 0101 x' : '+14155550101',
        r % 5 === 0 ? '1.5' : '10',
      ],
    }));
    const checks = [
      { operation: 'insert', findBy: null, ignoreEmpty: false, codes: ['INVALID_DATA', 'MANDATORY_NOT_FOUND'] },
      { operation: 'upsert', findBy: 'Email', ignoreEmpty: false, codes: ['INVALID_DATA', 'MANDATORY_NOT_FOUND'] },
      { operation: 'upsert', findBy: 'Email', ignoreEmpty: true, codes: ['INVALID_DATA', 'MANDATORY_IF_NEW'] },
    ] as const;
    for (const { operation, findBy, ignoreEmpty, codes } of checks) {
      const v = validateTable({ headers, rows, mapping, fields: leadFields(), operation, findBy, ignoreEmpty });
      const withTail = v.issues.filter((i) => i.tail !== undefined);
      expect(new Set(withTail.map((i) => i.code))).toEqual(new Set(codes));
      for (const i of withTail) expect(i.message).toBe(`Line ${i.line}, ${i.tail}`);
      const p = packIssues(v.issues);
      expect(all(p)).toEqual(v.issues.map((i) => ({ row: i.row, column: i.column, code: i.code, severity: i.severity, message: i.message })));
      // One text per column and problem, not one per row.
      expect(p.tails.length).toBeLessThan(12);
      expect(v.issues.length).toBeGreaterThan(40);
    }
  });
});
