// encodeNewRecord must give byte for byte what JSON.stringify of the record object gives (fast-check, fixed seed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldValue } from '../../src/domain/fields/validate-value.ts';
import { encodeNewRecord, RecordJsonCache } from './record-json.ts';

/** The object path RecordWriter.write takes when encodeNewRecord returns null. */
function viaObject(values: ReadonlyMap<string, FieldValue | null>, nowIso: string): string {
  const data: Record<string, FieldValue> = {};
  values.forEach((v, k) => {
    if (v !== null) data[k] = v;
  });
  data.Created_Time = nowIso;
  data.Modified_Time = nowIso;
  return JSON.stringify(data);
}

const SEED = 20261129;
const key = fc.oneof(
  fc.constantFrom(
    'Last_Name',
    'Email',
    'Hobbies',
    'Loyalty_Points',
    'Created_Time',
    'Modified_Time',
    '0',
    '7',
    '12',
    '01',
    '-1',
    '4294967295',
    '__proto__',
    'a"b',
    'é\u2028',
  ),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const value: fc.Arbitrary<FieldValue | null> = fc.oneof(
  fc.constant(null),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string({ unit: 'binary', maxLength: 5 }), { maxLength: 3 }),
);

describe(`encodeNewRecord (fast-check seed ${SEED})`, () => {
  it('equals JSON.stringify of the record object whenever it answers, and answers for ordinary field names', () => {
    console.log(`fast-check seed ${SEED}`);
    const cache = new RecordJsonCache(); // shared across runs, as across the rows of one job
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), fc.string({ maxLength: 30 }), (pairs, now) => {
        const values = new Map(pairs);
        const fast = encodeNewRecord(values, now, cache);
        if (fast !== null) expect(fast).toBe(viaObject(values, now));
        const ordinary = [...values.keys()].every((k) => !/^\d+$/.test(k) && !['Created_Time', 'Modified_Time', '__proto__'].includes(k));
        if (ordinary) expect(fast).not.toBeNull();
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('keeps map order, skips nulls and stamps both times last', () => {
    const values = new Map<string, FieldValue | null>([
      ['Email', 'a@b.example'],
      ['Phone', null],
      ['Hobbies', ['Music', 'Travel']],
      ['Points', 7],
      ['Opt_Out', false],
    ]);
    expect(encodeNewRecord(values, '2026-01-01T00:00:00+00:00', new RecordJsonCache())).toBe(
      '{"Email":"a@b.example","Hobbies":["Music","Travel"],"Points":7,"Opt_Out":false,"Created_Time":"2026-01-01T00:00:00+00:00","Modified_Time":"2026-01-01T00:00:00+00:00"}',
    );
    expect(encodeNewRecord(new Map([['3', 'x']]), 'now', new RecordJsonCache())).toBeNull();
    expect(encodeNewRecord(new Map([['Created_Time', 'x']]), 'now', new RecordJsonCache())).toBeNull();
    expect(encodeNewRecord(new Map([['__proto__', 'x']]), 'now', new RecordJsonCache())).toBeNull();
  });
});
