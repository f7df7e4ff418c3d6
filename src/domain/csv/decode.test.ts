import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode, decodeWindows1252, detectNonCsv, scanUtf8 } from './decode.ts';

const SEED = 1337;

describe('decode', () => {
  it('detects magic bytes and leaves text alone', () => {
    expect(detectNonCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toBe('xlsx-or-zip');
    expect(detectNonCsv(new TextEncoder().encode('PK,no zip'))).toBeNull();
  });

  it('windows-1252 table maps the 0x80–0x9F block like browsers do', () => {
    expect(decodeWindows1252(new Uint8Array([0x80, 0x93, 0x94, 0x85, 0xe9, 0x41]))).toBe('€“”…éA');
  });

  it('scanUtf8 finds invalid sequences per line (overlongs and surrogates included)', () => {
    const b = new Uint8Array([0x61, 0x0a, 0xc0, 0xaf, 0x0d, 0x0a, 0xed, 0xa0, 0x80, 0x0d, 0x62, 0xe2, 0x82, 0xac]);
    const s = scanUtf8(b);
    expect(s.invalidLines).toEqual([2, 3]);
    expect(s.validMultibyte).toBe(1);
  });

  it('a user-picked encoding that does not fit the bytes is refused with line numbers', () => {
    const d = decode(new Uint8Array([0x61, 0x0a, 0x82, 0x0a]), { encoding: 'shift_jis' });
    expect(d.text).toBeNull();
    expect(d.issues[0]?.code).toBe('INVALID_BYTES');
    expect(d.issues[0]?.lines).toEqual([2]);
  });

  it(`property: decoding is chunk-size invariant for UTF-8, UTF-16LE/BE (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    const text = fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => `h,é😀\n${s.replace(/\0/g, '')}`);
    fc.assert(
      fc.property(text, fc.constantFrom('utf-8', 'utf-16le', 'utf-16be'), (s, enc) => {
        let bytes: Uint8Array;
        if (enc === 'utf-8') bytes = new TextEncoder().encode(s);
        else {
          bytes = new Uint8Array(2 + s.length * 2);
          const be = enc === 'utf-16be';
          bytes.set(be ? [0xfe, 0xff] : [0xff, 0xfe]);
          for (let i = 0; i < s.length; i++) {
            const c = s.charCodeAt(i);
            bytes[2 + 2 * i] = be ? c >> 8 : c & 0xff;
            bytes[3 + 2 * i] = be ? c & 0xff : c >> 8;
          }
        }
        const whole = decode(bytes);
        expect(whole.text).toBe(s);
        for (const size of [1, 2, 3, 7, 64 * 1024]) expect(decode(bytes, { chunkSize: size }).text).toBe(s);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
