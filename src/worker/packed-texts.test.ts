// Texts packed for the page (the org check's record ids, errors, old and new values, messages) read back exactly:
// after a real structured clone with the buffers transferred, each text on its own and in any order, ASCII or not,
// with lone surrogates kept. Property test, fixed seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYTES_FROM, packedTextsTransfer, packTextList, PackedTextsReader } from './packed-texts.ts';

const SEED = 1622;

describe('packTextList / PackedTextsReader', () => {
  it('gives back every text, read in any order, after a transferred structured clone (property)', () => {
    const text = fc.oneof(
      fc.constantFrom('', '5725767000001200122', 'DUPLICATE_DATA:Email', 'Müller', 'ß→SS', '😀 emoji', '\uD800 lone', 'x\uDC00'),
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 40 }), fc.boolean(), (parts, order, asBytes) => {
        // Every list as bytes (as a million rows' lists go), and as it goes at its size (a string when small).
        const packed = packTextList(parts, asBytes ? 0 : undefined);
        const moved = structuredClone(packed, { transfer: packedTextsTransfer(packed) });
        const reader = new PackedTextsReader(moved);
        expect(reader.length).toBe(parts.length);
        // Random reads first (a grid scrolled anywhere), then every text in order.
        for (const k of order) if (parts.length > 0) expect(reader.get(k % parts.length)).toBe(parts[k % parts.length]);
        parts.forEach((p, i) => expect(reader.get(i)).toBe(p));
        expect(reader.get(parts.length)).toBe('');
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('hands the page bytes for a large list, unless a lone surrogate forces the string; a small list stays a string', () => {
    expect(packTextList(['111', '222']).text).toBe('111222');
    const big = packTextList(['x'.repeat(BYTES_FROM - 1), 'y']);
    expect(big.bytes !== undefined && big.ascii).toBe(true);
    expect(new PackedTextsReader(big).get(1)).toBe('y');
    const ascii = packTextList(['111', '', '222'], 0);
    expect(ascii.bytes).toBeInstanceOf(Uint8Array);
    expect(ascii.text).toBeUndefined();
    expect(ascii.bytes !== undefined && ascii.ascii).toBe(true);
    const utf8 = packTextList(['Zoë', 'Łódź'], 0);
    expect(utf8.bytes !== undefined && !utf8.ascii).toBe(true);
    expect(packTextList(['ok', 'bad \uD83D'], 0).text).toBe('okbad \uD83D');
  });

  it('reads a text longer than the short path, across the decoder’s pieces', () => {
    const long = 'a'.repeat(300_000);
    const wide = 'é'.repeat(200_000);
    const r1 = new PackedTextsReader(packTextList(['x', long, 'y'], 0));
    expect(r1.get(1)).toBe(long);
    const r2 = new PackedTextsReader(packTextList(['x', wide, 'y'], 0));
    expect(r2.get(2)).toBe('y');
    expect(r2.get(1)).toBe(wide);
  });
});
