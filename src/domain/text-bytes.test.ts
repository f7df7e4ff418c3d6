// TextBytes: whatever the texts (ASCII, then one that is not, empty ones, slices of a longer text), the finished
// list reads back as exactly the texts pushed, in order — as bytes while all are ASCII, else as strings.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowTexts, TextBytes } from './text-bytes.ts';

function readBack(list: TextBytes): string[] {
  const done = list.finish();
  if ('texts' in done) return done.texts;
  const out: string[] = [];
  let start = 0;
  for (const end of done.ends) {
    out.push(String.fromCharCode(...done.bytes.subarray(start, end)));
    start = end;
  }
  return out;
}

describe('TextBytes', () => {
  it('property: reads back as the texts pushed, whole or sliced, ASCII or not (fast-check seed 3141)', () => {
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'Müller', '東京', '😀', 'a,b', 'x'.repeat(70_000)));
    fc.assert(
      fc.property(fc.array(fc.tuple(text, fc.nat(), fc.nat()), { maxLength: 40 }), (items) => {
        const list = new TextBytes();
        const want: string[] = [];
        for (const [t, a, b] of items) {
          const start = t.length === 0 ? 0 : a % (t.length + 1);
          const end = start + (t.length === start ? 0 : b % (t.length - start + 1));
          if ((a + b) % 2 === 0) {
            list.push(t);
            want.push(t);
          } else {
            list.pushSlice(t, start, end);
            want.push(t.slice(start, end));
          }
        }
        expect(list.length).toBe(want.length);
        want.forEach((w, k) => expect(list.get(k)).toBe(w));
        expect(readBack(list)).toEqual(want);
      }),
      { seed: 3_141, numRuns: 300 },
    );
  });

  it('stays bytes while every text is ASCII, and turns to strings at the first that is not', () => {
    const ascii = new TextBytes();
    ascii.push('Boss');
    ascii.pushSlice('xxChiefxx', 2, 7);
    expect(ascii.finish()).toMatchObject({ ascii: true });
    const mixed = new TextBytes();
    mixed.push('Boss');
    mixed.push('Geschäftsführer');
    mixed.push('Chief');
    expect(mixed.finish()).toEqual({ texts: ['Boss', 'Geschäftsführer', 'Chief'] });
  });

  it('RowTexts: a text per row, empty for the rows not visited, and rows only in increasing order', () => {
    const rows = new RowTexts();
    rows.row(2).push('5725767000001000124');
    rows.row(3).push('DUPLICATE_DATA-Email');
    const list = rows.finish(6);
    expect(Array.from({ length: list.length }, (_, k) => list.get(k))).toEqual(['', '', '5725767000001000124', 'DUPLICATE_DATA-Email', '', '']);
    expect(() => rows.row(1)).toThrow(/comes after/);
  });
});
