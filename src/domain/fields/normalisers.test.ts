import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  plainEnds,
  detectNumberConvention,
  leadingZeroWarning,
  proposeBooleanSynonyms,
  proposeNumberCleanup,
  proposePhoneCleanup,
  proposeTrim,
} from './normalisers.ts';
import { fieldOf } from './test-fields.ts';

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

describe("plainEnds (the clean-ups' shortcut past trim)", () => {
  it('holds only for a cell that is not blank and that trim leaves as it is (fast-check seed 1313)', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: fc.constantFrom(' ', '\u00a0', '\t', 'a', 'é', '\u2003', '\ufeff', '1'), maxLength: 6 }),
    );
    fc.assert(
      fc.property(cell, (v) => {
        if (plainEnds(v)) expect(v.trim() === v && v !== '').toBe(true);
      }),
      { seed: 1313, numRuns: 2000 },
    );
    expect(plainEnds('a')).toBe(true);
    expect(plainEnds(' a')).toBe(false);
    expect(plainEnds('a\u00a0')).toBe(false);
    expect(plainEnds('')).toBe(false);
  });
});
