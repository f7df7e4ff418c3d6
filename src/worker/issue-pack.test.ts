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
