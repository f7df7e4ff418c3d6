import { describe, expect, it } from 'vitest';
import { fieldOf } from '../domain/fields/test-fields.ts';
import { assignColumn, emptyMapping } from '../domain/mapping/mapping.ts';
import { validateTable } from '../domain/validation/preflight.ts';
import { createReviewValidator, type ReviewContext } from './validation-adapter.ts';

const fields = [fieldOf('Last_Name', 'text', { system_mandatory: true }), fieldOf('Email', 'email', { unique: { case_sensitive: false } })];
let mapping = emptyMapping(2);
mapping = assignColumn(mapping, 0, 'Last_Name').mapping;
mapping = assignColumn(mapping, 1, 'Email').mapping;
const ctx: ReviewContext = { headers: ['Last_Name', 'Email'], mapping, fields, operation: 'insert', findBy: null, excluded: new Set() };
const rows = [
  { line: 2, cells: ['Lee', 'a@example.com'] },
  { line: 3, cells: ['Ray', 'A@example.com'] },
  { line: 4, cells: ['', 'c@example.com'] },
];

describe('review validator', () => {
  it('an inline edit re-checks incrementally and agrees with a full validation', () => {
    const validate = createReviewValidator();
    const first = validate(ctx, rows);
    expect([...first.predictedSkips]).toEqual([1, 2]);
    const edited = [rows[0]!, { line: 3, cells: ['Ray', 'b@example.com'] }, rows[2]!];
    const second = validate(ctx, edited);
    const full = validateTable({ headers: ctx.headers, rows: edited, mapping, fields, operation: 'insert', findBy: null, ignoreEmpty: false });
    expect([...second.predictedSkips]).toEqual(full.predictedSkips);
    expect([...second.predictedSkips]).toEqual([2]);
    expect(second.issues.map((i) => i.message)).toEqual(full.issues.map((i) => i.message));
  });

  it('excluded rows are not sent, so never predicted skipped', () => {
    const validate = createReviewValidator();
    expect([...validate({ ...ctx, excluded: new Set([2]) }, rows).predictedSkips]).toEqual([1]);
  });
});
