import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellText, dateFormatKind, numberText, plainDecimal, serialToText } from './cell-text.ts';
import { validateValue } from '../fields/validate-value.ts';
import { fieldOf } from '../fields/test-fields.ts';

const SEED = 110;
const DAY = 86_400_000;

/** ISO text of a UTC instant, to the second, computed by Date alone (the reference the conversion is held to). */
const iso = (ms: number, withTime: boolean): string => {
  const s = new Date(ms).toISOString();
  return withTime ? s.slice(0, 19) : s.slice(0, 10);
};

/** Day 1 of the 1900 system is 1 Jan 1900; from day 61 on, one day less (day 60 is Excel's 29 Feb 1900). */
const ref1900 = (day: number): number => (day < 60 ? Date.UTC(1900, 0, day) : Date.UTC(1900, 0, day - 1));
const ref1904 = (day: number): number => Date.UTC(1904, 0, 1 + day);

describe(`date serials (fast-check seed ${SEED})`, () => {
  it('1900 system: every day and second matches Date.UTC, skipping Excel’s fictitious 29 Feb 1900', () => {
    console.log(`fast-check seed ${SEED}`);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_958_465 }).filter((d) => d !== 60),
        fc.integer({ min: 0, max: 86_399 }),
        (day, second) => {
          const serial = day + second / 86_400;
          expect(serialToText(day, false, 'date')).toBe(iso(ref1900(day), false));
          expect(serialToText(serial, false, 'datetime')).toBe(iso(ref1900(day) + second * 1000, true));
        },
      ),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('1904 system: every day and second matches Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_957_003 }), fc.integer({ min: 0, max: 86_399 }), (day, second) => {
        expect(serialToText(day, true, 'date')).toBe(iso(ref1904(day), false));
        expect(serialToText(day + second / 86_400, true, 'datetime')).toBe(iso(ref1904(day) + second * 1000, true));
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('round trip: a calendar date → its serial in either system (by Date.UTC) → the same date', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1904, 0, 1) / DAY, max: Date.UTC(9999, 11, 31) / DAY }), fc.boolean(), (epochDay, date1904) => {
        const ms = epochDay * DAY;
        const serial = date1904 ? (ms - Date.UTC(1904, 0, 1)) / DAY : (ms - Date.UTC(1899, 11, 30)) / DAY;
        expect(serialToText(serial, date1904, 'date')).toBe(iso(ms, false));
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('the 1900 bug and the edges: 28 Feb, the fictitious 29 Feb (refused by the date rule), 1 Mar; 0 Jan 1900; beyond 9999', () => {
    expect(serialToText(59, false, 'date')).toBe('1900-02-28');
    expect(serialToText(60, false, 'date')).toBe('1900-02-29');
    expect(serialToText(61, false, 'date')).toBe('1900-03-01');
    expect(serialToText(0, false, 'date')).toBe('1900-01-00');
    expect(serialToText(2_958_465, false, 'date')).toBe('9999-12-31');
    expect(serialToText(2_958_466, false, 'date')).toBeNull();
    expect(serialToText(-1, false, 'date')).toBeNull();
    expect(serialToText(0, true, 'date')).toBe('1904-01-01');
    // 23:59:59.6 rounds to the next day, as Excel's display rounds.
    expect(serialToText(45_000 + 86_399.6 / 86_400, false, 'datetime')).toBe('2023-03-16T00:00:00');
    // The text a date field is given is refused by name for the days that never were.
    const dateField = fieldOf('Follow_Up_Date', 'date');
    expect(validateValue(dateField, '1900-02-29').ok).toBe(false);
    expect(validateValue(dateField, '1900-01-00').ok).toBe(false);
    expect(validateValue(dateField, '1900-03-01').ok).toBe(true);
  });

  it('a number cell with a date format becomes its date; a time-only format keeps the shown time; #### serials keep the number', () => {
    expect(cellText({ kind: 'number', value: 45000, isDate: true, format: 'dd/mm/yyyy', formatted: '15/03/2023' }, false).text).toBe('2023-03-15');
    expect(cellText({ kind: 'number', value: 45000.5, isDate: true, format: 'm/d/yy h:mm AM/PM' }, false).text).toBe('2023-03-15T12:00:00');
    expect(cellText({ kind: 'number', value: 0.75, isDate: true, format: 'hh:mm', formatted: '18:00' }, false).text).toBe('18:00');
    expect(cellText({ kind: 'number', value: -5, isDate: true, format: 'yyyy-mm-dd', formatted: '####' }, false).text).toBe('-5');
  });
});

describe('date format kinds', () => {
  it.each([
    ['yyyy-mm-dd', 'date'],
    ['d-mmm-yy', 'date'],
    ['mmm yyyy', 'date'],
    ['[$-409]mmmm d, yyyy;@', 'date'],
    ['yyyy-mm-dd hh:mm:ss', 'datetime'],
    ['m/d/yy h:mm AM/PM', 'datetime'],
    ['hh:mm', 'time'],
    ['mm:ss', 'time'],
    ['[h]:mm:ss', 'time'],
    ['h "h" mm', 'time'],
  ] as const)('%s → %s', (format, kind) => {
    expect(dateFormatKind(format)).toBe(kind);
  });
});

describe(`numbers as written (fast-check seed ${SEED})`, () => {
  it('the exact decimal of any finite number: no exponent, and it reads back as the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const text = numberText(v, undefined);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(Object.is(v, -0) ? 0 : v);
      }),
      { seed: SEED, numRuns: 5_000 },
    );
  });

  it('integers print every digit (a 15-digit phone shown as 4.91701E+11 is written out in full)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (v) => {
        expect(numberText(v, v.toExponential(5).toUpperCase())).toBe(BigInt(v).toString());
      }),
      { seed: SEED, numRuns: 2_000 },
    );
    expect(numberText(491701234567, '4.91701E+11')).toBe('491701234567');
    expect(plainDecimal(1e21)).toBe('1000000000000000000000');
    expect(plainDecimal(1.5e-7)).toBe('0.00000015');
    expect(plainDecimal(-2.5e-7)).toBe('-0.00000025');
  });

  it('the shown text is kept when it is the same number: leading zeros of a 00000 format, trailing zeros of 0.00', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 5, max: 12 }), (v, width) => {
        const shown = String(v).padStart(width, '0');
        expect(numberText(v, shown)).toBe(shown);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
    expect(numberText(12.5, '12.50')).toBe('12.50');
    // Not the same number, or not a plain numeral: the stored value.
    expect(numberText(3.14159, '3.14')).toBe('3.14159');
    expect(numberText(1234, '1,234')).toBe('1234');
    expect(numberText(0.12, '12%')).toBe('0.12');
  });

  it('text cells are kept exactly (leading zeros, spaces); booleans are TRUE/FALSE; errors and uncalculated formulas are flagged', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(cellText({ kind: 'text', value: s }, false)).toEqual({ text: s });
      }),
      { seed: SEED, numRuns: 500 },
    );
    expect(cellText({ kind: 'boolean', value: true }, false).text).toBe('TRUE');
    expect(cellText({ kind: 'error', text: '#DIV/0!' }, false)).toEqual({ text: '#DIV/0!', problem: { kind: 'error', shown: '#DIV/0!' } });
    expect(cellText({ kind: 'uncalculated', formula: 'A1*2' }, false)).toEqual({ text: '', problem: { kind: 'uncalculated', formula: 'A1*2' } });
    expect(cellText(undefined, false)).toEqual({ text: '' });
  });
});
