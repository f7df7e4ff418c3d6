import { describe, expect, it } from 'vitest';
import { groupFields, isValidFindBy } from './field-groups.ts';
import { detectDatePattern, proposeDateConversion } from './normalise-dates.ts';
import { detectNumberConvention, leadingZeroWarning, proposeBooleanSynonyms, proposeNumberCleanup, proposePhoneCleanup, proposeTrim } from './normalisers.ts';
import { fieldOf, leadFields } from './test-fields.ts';

describe('groupFields', () => {
  const g = groupFields(leadFields());
  it('splits writable from not writable with reasons; mandatory first', () => {
    expect(g.writable.slice(0, 2).map((f) => f.apiName)).toEqual(['Company', 'Last_Name']);
    expect(g.notWritable.map((n) => n.field.apiName)).toEqual(['Created_Time', 'Lead_No']);
    expect(g.notWritable[0]?.reason).toMatch(/read-only/);
    expect(g.mandatory.map((f) => f.apiName)).toEqual(['Company', 'Last_Name']);
  });
  it('match candidates are id plus unique fields', () => {
    expect(g.matchCandidates.map((c) => c.apiName)).toEqual(['id', 'Account_Number', 'Email']);
    expect(isValidFindBy(leadFields(), 'Email')).toBe(true);
    expect(isValidFindBy(leadFields(), 'id')).toBe(true);
    expect(isValidFindBy(leadFields(), 'Phone')).toBe(false);
    expect(isValidFindBy(leadFields(), 'Nope')).toBe(false);
  });
});

describe('date detection', () => {
  it('a part over 12 decides day/month order', () => {
    const d = detectDatePattern(0, ['03/04/2025', '25/12/2024', '', '01/01/2025']);
    expect(d).toMatchObject({ decided: 'dd/MM/yyyy', ambiguity: null });
    expect(detectDatePattern(0, ['12/25/2024', '1/2/2025'])).toMatchObject({ decided: 'M/d/yyyy', ambiguity: null });
  });
  it('all parts ≤ 12 → ambiguous, the user chooses', () => {
    const d = detectDatePattern(0, ['03/04/2025', '01/02/2025']);
    expect(d?.ambiguity).toBe('day-month');
    expect(d?.decided).toBeNull();
    expect(d?.options.map((o) => o.pattern).sort()).toEqual(['MM/dd/yyyy', 'dd/MM/yyyy']);
    expect(d?.explanation).toMatch(/Choose/);
  });
  it('other shapes: dots, month names, ISO, two-digit years', () => {
    expect(detectDatePattern(0, ['31.01.2025', '01.02.2025'])?.decided).toBe('dd.MM.yyyy');
    expect(detectDatePattern(0, ['03-Apr-2025', '3-May-2025'])?.decided).toBe('d-MMM-yyyy');
    expect(detectDatePattern(0, ['2025-04-03'])?.alreadyIso).toBe(true);
    expect(detectDatePattern(0, ['2025-4-3'])?.decided).toBe('yyyy-M-d');
    expect(detectDatePattern(0, ['25/12/24'])).toMatchObject({ ambiguity: 'two-digit-year', decided: null });
    expect(detectDatePattern(0, ['', ' '])).toBeNull();
    const none = detectDatePattern(0, ['03/04/2025', 'soon', '31/12/2025']);
    expect(none?.decided).toBeNull();
    expect(none?.options[0]).toEqual({ pattern: 'dd/MM/yyyy', matches: 2 });
  });
  it('date-time columns', () => {
    expect(detectDatePattern(0, ['25/12/2024 14:30', '01/02/2025 09:05'], { withTime: true })?.decided).toBe('dd/MM/yyyy HH:mm');
    expect(detectDatePattern(0, ['2025-04-03T10:00:00+02:00'], { withTime: true })?.alreadyIso).toBe(true);
  });
  it('conversion lists before/after and what it cannot convert', () => {
    const p = proposeDateConversion(3, ['03/04/2025', '', '31/02/2025', '2025-04-03'], 'dd/MM/yyyy');
    expect(p.changes).toEqual([{ row: 0, before: '03/04/2025', after: '2025-04-03' }]);
    expect(p.unconvertible.map((u) => u.row)).toEqual([2, 3]);
    expect(p.summary).toContain("'03/04/2025' → '2025-04-03'");
    const dt = proposeDateConversion(0, ['25/12/2024 14:30'], 'dd/MM/yyyy HH:mm', { withTime: true, offsetMinutes: 330 });
    expect(dt.changes[0]?.after).toBe('2024-12-25T14:30:00+05:30');
  });
});

describe('phone clean-up', () => {
  it('keeps digits and a leading +, lists what it cannot fix', () => {
    const p = proposePhoneCleanup(1, ['+1 (415) 555-0100', '4155550100', '', '415.555.0100 ext 2', '12+34', '0049 30 1234']);
    expect(p?.changes).toEqual([
      { row: 0, before: '+1 (415) 555-0100', after: '+14155550100' },
      { row: 5, before: '0049 30 1234', after: '0049301234' },
    ]);
    expect(p?.unconvertible.map((u) => u.row)).toEqual([3, 4]);
    expect(p?.summary).toMatch(/2 cells .* 2 values cannot be converted/);
    expect(proposePhoneCleanup(1, ['123', ''])).toBeNull();
    expect(proposePhoneCleanup(1, ['1 2 3 4 5 6'], fieldOf('P', 'phone', { length: 5 }))?.unconvertible).toHaveLength(1);
  });
});

describe('boolean synonyms', () => {
  it('maps yes/no words, any case', () => {
    const p = proposeBooleanSynonyms(0, ['Yes', 'n', '1', 'OFF', 'true', 'maybe', '']);
    expect(p?.changes.map((c) => c.after)).toEqual(['true', 'false', 'true', 'false']);
    expect(p?.unconvertible.map((u) => [u.row, u.value])).toEqual([[5, 'maybe']]);
    expect(p?.unconvertible[0]?.reason).toContain('yes/no');
  });
});

describe('trim', () => {
  it('only cells with surrounding whitespace', () => {
    expect(proposeTrim(0, [' a', 'b', '\u00a0c\u00a0', '   '])?.changes).toEqual([
      { row: 0, before: ' a', after: 'a' },
      { row: 2, before: '\u00a0c\u00a0', after: 'c' },
    ]);
    expect(proposeTrim(0, ['a'])).toBeNull();
  });
});

describe('number clean-up', () => {
  const amount = fieldOf('Amount', 'currency', { decimal_place: 2 });
  const count = fieldOf('Employees', 'integer');
  it('decides the convention only from values that prove it', () => {
    expect(detectNumberConvention(['1,234']).convention).toBeNull();
    expect(detectNumberConvention(['1.234']).convention).toBeNull();
    expect(detectNumberConvention(['1,234', '1,234.56']).convention).toBe('point');
    expect(detectNumberConvention(['1.234', '1.234,56']).convention).toBe('comma');
    expect(detectNumberConvention(['12,5']).convention).toBe('comma');
    expect(detectNumberConvention(['1,234.5', '1.234,5']).convention).toBeNull();
    expect(detectNumberConvention(['1 234,5']).convention).toBe('comma');
  });
  it('1.234,56 → 1234.56 when the column decides it', () => {
    const p = proposeNumberCleanup(2, ['1.234,56', '12.500', '7', '', 'abc'], amount);
    expect(p?.changes).toEqual([
      { row: 0, before: '1.234,56', after: '1234.56' },
      { row: 1, before: '12.500', after: '12500' },
    ]);
    expect(p?.unconvertible.map((u) => u.row)).toEqual([4]);
  });
  it('1,234 alone is ambiguous → not offered, with the reason', () => {
    const p = proposeNumberCleanup(2, ['1,234', '5'], amount);
    expect(p?.changes).toEqual([]);
    expect(p?.summary).toMatch(/not offered/);
    expect(proposeNumberCleanup(2, ['1', '2.5'], amount)).toBeNull();
  });
  it('whole-number fields refuse values that would keep decimals', () => {
    const p = proposeNumberCleanup(0, ['1,234', '2,345.5'], count);
    expect(p?.changes).toEqual([{ row: 0, before: '1,234', after: '1234' }]);
    expect(p?.unconvertible.map((u) => u.row)).toEqual([1]);
  });
  it('leading zeros: kept for text, warned for numbers', () => {
    expect(leadingZeroWarning(['00123'], fieldOf('Zip', 'text'))).toBeNull();
    const w = leadingZeroWarning(['00123', '5', '-007'], count);
    expect(w?.rows).toEqual([0, 2]);
    expect(w?.message).toContain("'00123' is stored as '123'");
  });
});
