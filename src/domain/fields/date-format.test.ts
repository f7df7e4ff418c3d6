import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileDatePattern,
  daysInMonth,
  formatDate,
  isValidDatePattern,
  matchesPattern,
  parseWithPattern,
  toIsoDateTime,
  type DateParts,
} from './date-format.ts';

const SEED = 4242;

describe('isValidDatePattern', () => {
  it.each([
    'yyyy-MM-dd',
    'dd/MM/yyyy',
    'MM/dd/yyyy',
    'dd.MM.yyyy',
    'dd-MMM-yyyy',
    'd/M/yy',
    "yyyy-MM-dd'T'HH:mm:ssXXX",
    'dd/MM/yyyy hh:mm a',
    'yyyyMMdd',
    "dd 'de' MMMM yyyy",
    'yyyy-MM-dd HH:mm:ss Z',
    "dd/MM/yyyy 'o''clock'",
  ])('accepts %s', (p) => expect(isValidDatePattern(p)).toBe(true));
  it.each([
    '',
    'MM/dd',
    'yyyy-MM',
    'yyy-MM-dd',
    'yyyy-MM-dd-yyyy',
    'qq/MM/yyyy',
    'dd/MM/yyyy EEE',
    'dd/MM/yyyy hh:mm',
    'dd/MM/yyyy HH a',
    "dd/MM/yyyy 'unclosed",
    'dd/MM/yyyy XXX',
    'yyyy-MM-ddd',
  ])('refuses %j', (p) => expect(isValidDatePattern(p)).toBe(false));
});

describe('parseWithPattern', () => {
  it('is strict about width, calendar and trailing text', () => {
    expect(parseWithPattern('03/04/2025', 'dd/MM/yyyy')).toMatchObject({ year: 2025, month: 4, day: 3 });
    expect(parseWithPattern('3/4/2025', 'dd/MM/yyyy')).toBeNull();
    expect(parseWithPattern('3/4/2025', 'd/M/yyyy')).toMatchObject({ month: 4, day: 3 });
    expect(parseWithPattern('29/02/2023', 'dd/MM/yyyy')).toBeNull();
    expect(parseWithPattern('29/02/2000', 'dd/MM/yyyy')).not.toBeNull();
    expect(parseWithPattern('29/02/1900', 'dd/MM/yyyy')).toBeNull();
    expect(parseWithPattern('03/04/2025x', 'dd/MM/yyyy')).toBeNull();
    expect(parseWithPattern('03-apr-2025', 'dd-MMM-yyyy')).toMatchObject({ month: 4 });
    expect(parseWithPattern('03-Apx-2025', 'dd-MMM-yyyy')).toBeNull();
    expect(parseWithPattern('01/01/49', 'dd/MM/yy')).toMatchObject({ year: 2049 });
    expect(parseWithPattern('01/01/50', 'dd/MM/yy')).toMatchObject({ year: 1950 });
    expect(parseWithPattern('2025-04-03T10:00:00Z', "yyyy-MM-dd'T'HH:mm:ssXXX")).toMatchObject({ offsetMinutes: 0 });
    expect(parseWithPattern('2025-04-03T10:00:00-03:30', "yyyy-MM-dd'T'HH:mm:ssXXX")).toMatchObject({ offsetMinutes: -210 });
    expect(parseWithPattern('2025-04-03 12:00 AM', 'yyyy-MM-dd hh:mm a')).toMatchObject({ hour: 0 });
    expect(parseWithPattern('2025-04-03 12:00 PM', 'yyyy-MM-dd hh:mm a')).toMatchObject({ hour: 12 });
    expect(parseWithPattern('2025-04-03 13:00 PM', 'yyyy-MM-dd hh:mm a')).toBeNull();
    expect(parseWithPattern('x', 'not a pattern')).toBeNull();
  });
});

const parts = fc
  .record({
    year: fc.integer({ min: 1, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    offsetMinutes: fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
  })
  .map((p): DateParts => ({ ...p, day: Math.min(p.day, daysInMonth(p.year, p.month)) }));

// Patterns that carry every part they are given (so the round trip is exact).
const FULL_PATTERNS = ["yyyy-MM-dd'T'HH:mm:ssXXX", 'dd/MM/yyyy hh:mm:ss a Z', 'd-MMM-yyyy H:m:s XX', "MMMM d, yyyy 'at' HH.mm.ss XXX", 'yyyyMMddHHmmssZ'];
const DATE_PATTERNS = ['yyyy-MM-dd', 'dd/MM/yyyy', 'MM/dd/yyyy', 'dd.MM.yyyy', 'dd-MMM-yyyy', 'd/M/yyyy', 'yyyyMMdd'];

describe(`format ↔ parse round trip (fast-check seed ${SEED})`, () => {
  it('parse(format(parts)) gives the parts back for full patterns', () => {
    console.log(`fast-check seed ${SEED}`);
    fc.assert(
      fc.property(parts, fc.constantFrom(...FULL_PATTERNS), (p, pattern) => {
        const text = formatDate(p, pattern);
        expect(text).not.toBeNull();
        expect(parseWithPattern(text ?? '', pattern)).toEqual(p);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
  it('date-only patterns keep the calendar date; two-digit years within 1950–2049', () => {
    fc.assert(
      fc.property(parts, fc.constantFrom(...DATE_PATTERNS, 'dd/MM/yy'), (p, pattern) => {
        const q = pattern.includes('yy') && !pattern.includes('yyyy') ? { ...p, year: 1950 + (p.year % 100) } : p;
        const back = parseWithPattern(formatDate(q, pattern) ?? '', pattern);
        expect(back).toEqual({ year: q.year, month: q.month, day: q.day, hour: 0, minute: 0, second: 0, offsetMinutes: null });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
  it('never accepts an impossible calendar date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 31 }), (y, m, d) => {
        const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const r = parseWithPattern(text, 'yyyy-MM-dd');
        expect(r !== null).toBe(d <= daysInMonth(y, m));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
  it('toIsoDateTime writes the ±HH:mm form', () => {
    expect(toIsoDateTime({ year: 2025, month: 4, day: 3, hour: 9, minute: 5, second: 1, offsetMinutes: -330 })).toBe('2025-04-03T09:05:01-05:30');
    expect(toIsoDateTime({ year: 2025, month: 4, day: 3, hour: 9, minute: 5, second: 1, offsetMinutes: null }, 60)).toBe('2025-04-03T09:05:01+01:00');
  });
});

describe(`the allocation-free check agrees with the parser (fast-check seed ${SEED})`, () => {
  it('matchesPattern is parseWithPattern !== null, and writes the same parts, for dates, near-dates and noise', () => {
    const text = fc.oneof(
      fc.tuple(parts, fc.constantFrom(...FULL_PATTERNS)).map(([p, pattern]) => formatDate(p, pattern) ?? ''),
      // A formatted date with one character changed: most no longer match, some still do.
      fc.tuple(parts, fc.constantFrom(...FULL_PATTERNS), fc.nat(), fc.constantFrom('0', '9', ' ', 'Z', '+', ':', 'x')).map(([p, pattern, at, ch]) => {
        const t = formatDate(p, pattern) ?? '';
        const i = at % Math.max(1, t.length);
        return t.slice(0, i) + ch + t.slice(i + 1);
      }),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(text, fc.constantFrom(...FULL_PATTERNS, 'yyyy-MM-dd', 'dd/MM/yy'), (t, pattern) => {
        const compiled = compileDatePattern(pattern);
        expect(compiled).not.toBeNull();
        if (compiled === null) return;
        const into: DateParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, offsetMinutes: null };
        const parsed = parseWithPattern(t, compiled);
        expect(matchesPattern(t, compiled, into)).toBe(parsed !== null);
        if (parsed !== null) expect(into).toEqual(parsed);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
