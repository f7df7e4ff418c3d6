// IdSet (decision 159) against a Set of strings: the same membership, the same first-seen order, exact text (so
// "007" and "7" are two ids), across the growth of its byte buffer and its hash table, and trims between adds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdSet } from './id-set.ts';

const SEED = 159_2026;

describe('IdSet', () => {
  it(`property: agrees with a Set of strings on add, has, size and order (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    // Few distinct ids (so repeats are common) of the shapes record ids take, plus ASCII text that is no id.
    const id = fc.oneof(
      fc.constantFrom('', '0', '7', '07', '007', '4876876000000123001', '18446744073709551616', '123456789012345678901234567890'),
      fc.integer({ min: 0, max: 3_000 }).map(String),
      fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', '"', ';'), maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 3_000 }), fc.array(id, { maxLength: 50 }), (adds, probes) => {
        const ids = new IdSet();
        const model = new Set<string>();
        for (const [i, a] of adds.entries()) {
          expect(ids.add(a)).toBe(!model.has(a));
          model.add(a);
          // Trimmed now and then: adding after a trim grows the buffers again.
          if (i % 97 === 0) ids.trim();
        }
        expect(ids.size).toBe(model.size);
        for (const p of [...probes, ...adds.slice(0, 50)]) expect(ids.has(p)).toBe(model.has(p));
        const order = [...model];
        expect(ids.slice()).toEqual(order);
        // Any range, by the same rule as Array.prototype.slice for in-range bounds.
        const from = Math.floor(order.length / 3);
        const to = Math.floor((2 * order.length) / 3);
        expect(ids.slice(from, to)).toEqual(order.slice(from, to));
        expect(ids.slice(to, from)).toEqual([]);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('a million 19-digit ids: each once, in order, with a repeat refused', () => {
    const ids = new IdSet();
    const base = 4_876_876_000_000_000_000n;
    for (let i = 0; i < 1_000_000; i++) ids.add(String(base + BigInt(i)));
    expect(ids.add(String(base + 123_456n))).toBe(false);
    expect(ids.size).toBe(1_000_000);
    expect(ids.has('4876876000000999999')).toBe(true);
    expect(ids.has('4876876000001000000')).toBe(false);
    const all = ids.slice();
    expect(all).toHaveLength(1_000_000);
    expect(all[0]).toBe('4876876000000000000');
    expect(all[999_999]).toBe('4876876000000999999');
  });

  it('refuses text that is not ASCII, naming it, and stays as it was', () => {
    const ids = new IdSet();
    ids.add('1');
    expect(() => ids.add('1é')).toThrow(/ASCII.*"1é"/);
    expect(ids.size).toBe(1);
    expect(ids.slice()).toEqual(['1']);
  });
});
