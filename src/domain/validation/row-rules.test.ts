import { describe, expect, it } from 'vitest';
import type { FieldModel } from '../fields/field-model.ts';
import { leadFields } from '../fields/test-fields.ts';
import { evaluateRow, isBlank, type ResolvedMapping } from './row-rules.ts';
import { checkInFileUnique, createUniqueTracker } from './unique-tracker-test-support.ts';

const fields = leadFields();
const F = (api: string): FieldModel => {
  const f = fields.find((x) => x.apiName === api);
  if (f === undefined) throw new Error(`no field ${api}`);
  return f;
};
const map = (api: string, index: number | null, extra: Partial<ResolvedMapping> = {}): ResolvedMapping => ({
  field: F(api),
  index,
  defaultValue: null,
  ignoreEmpty: null,
  format: null,
  findBy: null,
  ...extra,
});

const mappings = [map('Last_Name', 0), map('Company', 1), map('Email', 2), map('Phone', 3), map('Follow_Up_Date', 4)];
const insert = { isInsert: true, ignoreEmpty: false };
const update = { isInsert: false, ignoreEmpty: false };

describe('isBlank', () => {
  it('treats whitespace-only (incl. NBSP, tabs) as empty', () => {
    for (const v of [undefined, '', ' ', '\t', '\u00a0', ' \r\n ']) expect(isBlank(v)).toBe(true);
    for (const v of ['a', ' a', '\u00a0x', '0']) expect(isBlank(v)).toBe(false);
  });
});

describe('evaluateRow', () => {
  it('a good row gives normalised values', () => {
    const r = evaluateRow(['Smith', 'Zylker', 'a@b.co', '+123', '2025-04-03'], mappings, insert);
    expect(r.errors).toEqual([]);
    expect(Object.fromEntries(r.values)).toEqual({ Last_Name: 'Smith', Company: 'Zylker', Email: 'a@b.co', Phone: '+123', Follow_Up_Date: '2025-04-03' });
  });

  it('mandatory empty on insert (whitespace counts) → MANDATORY_NOT_FOUND, in column order, before INVALID_DATA', () => {
    const r = evaluateRow(['   ', '', 'bad', '555-1', ''], mappings, insert);
    expect(r.errors).toEqual([
      { code: 'MANDATORY_NOT_FOUND', apiName: 'Last_Name' },
      { code: 'MANDATORY_NOT_FOUND', apiName: 'Company' },
      { code: 'INVALID_DATA', apiName: 'Email' },
      { code: 'INVALID_DATA', apiName: 'Phone' },
    ]);
    expect(r.values.has('Email')).toBe(false);
    expect(r.values.get('Follow_Up_Date')).toBeNull();
  });

  it('empty → default value, else ignore_empty (absent), else null (blank)', () => {
    const ms = [
      map('Last_Name', 0),
      map('Company', 1, { defaultValue: 'Unknown Ltd' }),
      map('Phone', 2),
      map('Mobile', 3, { ignoreEmpty: true }),
      map('Lead_Source', null, { defaultValue: 'Partner' }),
    ];
    const r = evaluateRow(['Smith', ' ', '', ''], ms, insert);
    expect(r.errors).toEqual([]);
    expect(r.values.get('Company')).toBe('Unknown Ltd');
    expect(r.values.get('Phone')).toBeNull();
    expect(r.values.has('Mobile')).toBe(false);
    expect(r.values.get('Lead_Source')).toBe('Partner');
    const job = evaluateRow(['Smith', 'X', '', ''], ms, { isInsert: true, ignoreEmpty: true });
    expect(job.values.has('Phone')).toBe(false);
    const override = evaluateRow(['Smith', 'X', '', ''], [...ms.slice(0, 3), map('Mobile', 3, { ignoreEmpty: false })], { isInsert: true, ignoreEmpty: true });
    expect(override.values.get('Mobile')).toBeNull();
  });

  it('a bad default value is INVALID_DATA; a value that is present wins over the default', () => {
    const ms = [map('Last_Name', 0), map('Company', 1), map('Phone', 2, { defaultValue: 'n/a' })];
    expect(evaluateRow(['S', 'C', ''], ms, insert).errors).toEqual([{ code: 'INVALID_DATA', apiName: 'Phone' }]);
    expect(evaluateRow(['S', 'C', '123'], ms, insert).values.get('Phone')).toBe('123');
  });

  it('update: mandatory empty leaves the field alone with ignore_empty, is refused when it would blank it', () => {
    expect(evaluateRow(['', 'C', '', '', ''], mappings, { isInsert: false, ignoreEmpty: true }).errors).toEqual([]);
    expect(evaluateRow(['', 'C', '', '', ''], mappings, update).errors).toEqual([{ code: 'MANDATORY_NOT_FOUND', apiName: 'Last_Name' }]);
  });

  it('a default-only mapping (no index) sorts after real columns; missing cells in short rows are empty', () => {
    const ms = [map('Phone', null, { defaultValue: 'bad value' }), map('Last_Name', 0), map('Email', 5)];
    const r = evaluateRow(['S'], ms, insert);
    expect(r.errors).toEqual([{ code: 'INVALID_DATA', apiName: 'Phone' }]);
    expect(r.values.get('Email')).toBeNull();
    const two = evaluateRow(['S', 'x', 'y', 'z', 'w', 'not-an-email'], ms, insert);
    expect(two.errors).toEqual([
      { code: 'INVALID_DATA', apiName: 'Email' },
      { code: 'INVALID_DATA', apiName: 'Phone' },
    ]);
  });

  it('formats and lookup find_by come from the mapping', () => {
    const ms = [map('Follow_Up_Date', 0, { format: 'dd/MM/yyyy' }), map('Account_Name', 1, { findBy: 'Account_Name' })];
    const r = evaluateRow(['03/04/2025', 'Zylker Inc'], ms, { isInsert: false, ignoreEmpty: false });
    expect(r.errors).toEqual([]);
    expect(r.values.get('Follow_Up_Date')).toBe('2025-04-03');
    expect(r.values.get('Account_Name')).toBe('Zylker Inc');
  });
});

describe('in-file uniqueness (the seed example: 7 contacts, one duplicate Email)', () => {
  it('a later row repeating a written row’s unique value is DUPLICATE_DATA, case per field', () => {
    const ms = [map('Last_Name', 0), map('Company', 1), map('Email', 2), map('Account_Number', 3)];
    const rows = [
      ['A', 'C', 'one@x.com', 'N-1'],
      ['B', 'C', 'two@x.com', 'N-2'],
      ['', 'C', 'three@x.com', 'N-3'], // skipped (mandatory): claims nothing
      ['D', 'C', 'THREE@x.com', 'n-1'], // not a duplicate: row 2 was skipped; Account_Number is case-sensitive
      ['E', 'C', 'One@X.com', 'N-5'], // duplicate Email (case-insensitive)
      ['F', 'C', 'six@x.com', 'N-2'], // duplicate Account_Number
      ['G', 'C', '', ''],
    ];
    const tracker = createUniqueTracker();
    const outcome = rows.map((cells, i) => {
      const ev = evaluateRow(cells, ms, insert);
      const dupes = checkInFileUnique(ev, ms, tracker, i);
      return [...ev.errors, ...dupes].map((e) => `${e.code}-${e.apiName}`).join(':');
    });
    expect(outcome).toEqual(['', '', 'MANDATORY_NOT_FOUND-Last_Name', '', 'DUPLICATE_DATA-Email', 'DUPLICATE_DATA-Account_Number', '']);
  });
});
