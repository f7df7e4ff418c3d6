// The allocation-free fast paths in the validators (cached date parse, canonical bigint, exact-case booleans,
// in-place multi-select split, nested validator cache) give exactly what the plain definitions give, for any text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWithPattern, ISO_DATE_PATTERN, ISO_DATETIME_PATTERN, toIsoDate, toIsoDateTime } from './date-format.ts';
import { fieldOf } from './test-fields.ts';
import { compileValidator, splitMultiSelect, validatorFor, type FieldValue } from './validate-value.ts';

const SEED = 4242;
const RUNS = 3000;

/** check then normalise, as the row rules call them; null when check refuses the text. */
function run(v: { check(raw: string): unknown; normalise(raw: string): FieldValue }, raw: string): FieldValue | null {
  return v.check(raw) === null ? v.normalise(raw) : null;
}

// The definitions the fast paths replaced, written plainly.
const plainBigint = (raw: string): string => {
  const negative = raw.startsWith('-');
  const digits = (negative ? raw.slice(1) : raw).replace(/^0+(?=\d)/, '');
  return negative && digits !== '0' ? `-${digits}` : digits;
};
const plainBooleanOk = (raw: string): boolean => (raw.length === 4 && raw.toLowerCase() === 'true') || (raw.length === 5 && raw.toLowerCase() === 'false');
const plainDate = (raw: string, withTime: boolean): string | null => {
  const parts = parseWithPattern(raw, withTime ? ISO_DATETIME_PATTERN : ISO_DATE_PATTERN);
  if (parts === null || (withTime && raw.endsWith('Z'))) return null;
  return withTime ? toIsoDateTime(parts, 0) : toIsoDate(parts);
};

const digitsText = fc.oneof(fc.stringMatching(/^-?0{0,3}[0-9]{0,6}$/), fc.string({ maxLength: 8 }));
const boolText = fc.oneof(fc.constantFrom('true', 'false', 'TRUE', 'False', 'tRuE', 'truee', ' true', 'K', '\u212Arue'), fc.string({ maxLength: 6 }));
const dateText = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 2100 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('2024-05-01T10:20:30+02:00', '2024-05-01T10:20:30Z', '2024-02-30', '2024-02-29', '2023-02-29T00:00:00+00:00'),
  fc.string({ maxLength: 12 }),
);

describe(`validator fast paths (fast-check seed ${SEED})`, () => {
  it('bigint: canonical form equals the plain definition; booleans accept and map exactly as lower-casing does', () => {
    console.log(`fast-check seed ${SEED}`);
    const big = compileValidator(fieldOf('Points', 'bigint'));
    const bool = compileValidator(fieldOf('Opt_Out', 'boolean'));
    fc.assert(
      fc.property(digitsText, boolText, (d, b) => {
        if (big.check(d) === null) expect(big.normalise(d)).toBe(plainBigint(d));
        expect(bool.check(b) === null).toBe(plainBooleanOk(b));
        expect(bool.normalise(b)).toBe(b.toLowerCase() === 'true');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('dates: check + normalise (one parse) equals a fresh parse, whatever was checked before', () => {
    const date = compileValidator(fieldOf('Born', 'date'));
    const dt = compileValidator(fieldOf('Seen', 'datetime'));
    fc.assert(
      fc.property(fc.array(dateText, { minLength: 1, maxLength: 4 }), (texts) => {
        for (const t of texts) {
          expect(run(date, t)).toBe(plainDate(t, false));
          expect(run(dt, t)).toBe(plainDate(t, true));
        }
        // normalise of a text other than the last checked one still parses that text.
        const [first] = texts;
        date.check('1999-01-01');
        if (plainDate(first!, false) !== null) expect(date.normalise(first!)).toBe(plainDate(first!, false));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('multi-select split equals split + trim into a new array', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        expect(splitMultiSelect(s)).toEqual(s.split(';').map((v) => v.trim()));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the validator cache: one validator per field and options, "" and null alike, whichever form asks', () => {
    const f = fieldOf('When', 'date');
    expect(validatorFor(f, 'dd/MM/yyyy', null)).toBe(compileValidator(f, { format: 'dd/MM/yyyy' }));
    expect(validatorFor(f, null, null)).toBe(compileValidator(f));
    expect(validatorFor(f, '', '')).toBe(compileValidator(f, { format: null, findBy: null }));
    expect(validatorFor(f, null, null, 120)).not.toBe(compileValidator(f));
    expect(run(validatorFor(f, 'dd/MM/yyyy', null), '03/04/2025')).toBe('2025-04-03');
  });

  it('the validator cache: whichever of "" and null asks first, both get the no-format validator', () => {
    // A fresh field object per order, so each starts with an empty cache.
    const emptyFirst = fieldOf('When', 'date');
    const a = validatorFor(emptyFirst, '', '');
    expect(run(a, '2025-04-03')).toBe('2025-04-03');
    expect(run(validatorFor(emptyFirst, null, null), '2025-04-03')).toBe('2025-04-03');
    const nullFirst = fieldOf('When', 'date');
    validatorFor(nullFirst, null, null);
    expect(run(validatorFor(nullFirst, '', ''), '2025-04-03')).toBe('2025-04-03');
    const lookup = fieldOf('Account_Name', 'lookup');
    expect(validatorFor(lookup, '', '').check('4876876000000624001')).toBeNull();
  });
});
