import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROW_ERROR_CODES } from '../fields/field-meta.ts';
import { describeRowError, formatRowErrors, parseRowErrors } from './row-errors.ts';

describe('formatRowErrors', () => {
  it("writes Zoho's CODE-col,col:CODE-col form", () => {
    expect(
      formatRowErrors([
        { code: 'MANDATORY_NOT_FOUND', apiName: 'Company' },
        { code: 'MANDATORY_NOT_FOUND', apiName: 'Last_Name' },
        { code: 'DUPLICATE_DATA', apiName: 'Email' },
      ]),
    ).toBe('MANDATORY_NOT_FOUND-Company,Last_Name:DUPLICATE_DATA-Email');
    expect(formatRowErrors([])).toBe('');
    expect(formatRowErrors([{ code: 'LIMIT_EXCEEDED', apiName: '' }])).toBe('LIMIT_EXCEEDED');
  });
});

describe('parseRowErrors', () => {
  it('reads the seed example and tolerates spaces, case and unknown codes', () => {
    expect(parseRowErrors('MANDATORY_NOT_FOUND-Company,Last_Name:DUPLICATE_DATA-Email')).toEqual([
      { code: 'MANDATORY_NOT_FOUND', apiName: 'Company' },
      { code: 'MANDATORY_NOT_FOUND', apiName: 'Last_Name' },
      { code: 'DUPLICATE_DATA', apiName: 'Email' },
    ]);
    expect(parseRowErrors(' invalid_data - Phone , Mobile : Something_New-X ')).toEqual([
      { code: 'INVALID_DATA', apiName: 'Phone' },
      { code: 'INVALID_DATA', apiName: 'Mobile' },
      { code: 'Something_New', apiName: 'X' },
    ]);
    expect(parseRowErrors('CANNOT_PROCESS')).toEqual([{ code: 'CANNOT_PROCESS', apiName: '' }]);
    expect(parseRowErrors('')).toEqual([]);
    expect(parseRowErrors('Internal error occurred')).toEqual([{ code: 'Internal error occurred', apiName: '' }]);
  });

  it('round-trips formatted errors (fast-check seed 7)', () => {
    console.log('fast-check seed 7');
    const apiName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/);
    fc.assert(
      fc.property(fc.array(fc.record({ code: fc.constantFrom(...ROW_ERROR_CODES), apiName }), { maxLength: 8 }), (errors) => {
        const parsed = parseRowErrors(formatRowErrors(errors));
        // Grouped by code in first-seen order, duplicates of the same column collapsed.
        const expected: { code: string; apiName: string }[] = [];
        for (const code of [...new Set(errors.map((e) => e.code))]) {
          for (const a of [...new Set(errors.filter((e) => e.code === code).map((e) => e.apiName))]) expected.push({ code, apiName: a });
        }
        expect(parsed).toEqual(expected);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('describeRowError', () => {
  it.each(ROW_ERROR_CODES)('%s has a plain reason with what to do', (code) => {
    const text = describeRowError(code, 'Email', 'Email address');
    expect(text.length).toBeGreaterThan(40);
    expect(text).not.toContain(code);
    expect(text).toMatch(/(Fill|Correct|Change|Ask|Unlock|Check|Split)/);
  });
  it('names the field by label, else API name', () => {
    expect(describeRowError('MANDATORY_NOT_FOUND', 'Last_Name', 'Last Name')).toContain('"Last Name"');
    expect(describeRowError('MANDATORY_NOT_FOUND', 'Last_Name')).toContain('"Last_Name"');
    expect(describeRowError('WHATEVER', 'X')).toContain('WHATEVER');
  });
});
