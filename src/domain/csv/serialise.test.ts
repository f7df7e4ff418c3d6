import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { projectRow, quoteField, serialiseCsv, serialiseRow, utf8Length } from './serialise.ts';
import { readTable } from './read-table.ts';

const SEED = 42;
const pieces = ['a', 'Z', '0', ' ', ',', '"', '\r', '\n', '\r\n', ';', '|', '\t', ':', 'é', '😀', 'ß', '日', '\u200b', '=', '#'];
const cell = fc.array(fc.constantFrom(...pieces), { maxLength: 8 }).map((p) => p.join(''));

describe('serialise', () => {
  it('quotes only when needed (RFC 4180), CRLF, comma, no BOM', () => {
    expect(quoteField('plain')).toBe('plain');
    expect(quoteField('a,b')).toBe('"a,b"');
    expect(quoteField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteField('x\ny')).toBe('"x\ny"');
    expect(quoteField('x\ry')).toBe('"x\ry"');
    expect(serialiseCsv(['A', 'B'], [['1', '2']])).toBe('A,B\r\n1,2\r\n');
  });

  it('projects cells through columnSource; a missing cell is sent empty', () => {
    expect(projectRow(['a', 'b', 'c'], [2, 0])).toEqual(['c', 'a']);
    expect(projectRow(['a'], [0, 3])).toEqual(['a', '']);
  });

  it('utf8Length matches TextEncoder', () => {
    for (const s of ['', 'abc', 'é', '😀', '日本', 'a\ud800b', '\udc00']) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });

  it(`property: serialise → parse round trip is the identity (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    const table = fc
      .integer({ min: 1, max: 5 })
      .chain((width) => fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 15 }).map((rows) => ({ width, rows })));
    fc.assert(
      fc.property(table, ({ width, rows }) => {
        // A row whose cells are all blank is a blank line by design (#17): give each row one visible mark.
        const data = rows.map((r) => (r.every((c) => c.trim() === '') ? ['x', ...r.slice(1)] : r));
        const header = Array.from({ length: width }, (_, i) => `h${i}`);
        const bytes = new TextEncoder().encode(serialiseCsv(header, data));
        const t = readTable(bytes, { parse: { delimiter: ',' } });
        expect(t.headers).toEqual(header);
        expect(t.rows.map((r) => r.cells)).toEqual(data);
        expect(t.issues.filter((i) => i.severity === 'error')).toEqual([]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it(`property: source lines count the physical lines each record starts on (fast-check seed ${SEED})`, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 10 }), (rows) => {
        const data = rows.map(([a, b]) => (a.trim() === '' && b.trim() === '' ? ['x', b] : [a, b]));
        const text = serialiseCsv(['h0', 'h1'], data);
        const t = readTable(new TextEncoder().encode(text), { parse: { delimiter: ',' } });
        let line = 2;
        const expected: number[] = [];
        for (const r of data) {
          expected.push(line);
          line +=
            1 +
            (serialiseRow(r)
              .slice(0, -2)
              .match(/\r\n|\n|\r/g)?.length ?? 0);
        }
        expect(t.rows.map((r) => r.line)).toEqual(expected);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
