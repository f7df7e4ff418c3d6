import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { escapeFormula, excelSafeCsvChunks, toExcelSafeCsv } from './excel-safe.ts';

const SEED = 7;
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\n', '\0'];

describe('excel-safe export (S8)', () => {
  it('escapes formula leaders with a leading apostrophe', () => {
    for (const t of TRIGGERS) expect(escapeFormula(`${t}x`)).toBe(`'${t}x`);
    expect(escapeFormula('x=1')).toBe('x=1');
    expect(escapeFormula('')).toBe('');
  });

  it('BOM, CRLF, RFC 4180 quoting; generated columns untouched', () => {
    const csv = toExcelSafeCsv({ header: ['Name', 'STATUS'], rows: [['=HYPERLINK("x")', '-generated']], generatedColumns: [1] });
    expect(csv).toBe('\uFEFFName,STATUS\r\n"\'=HYPERLINK(""x"")",-generated\r\n');
  });

  it(`property: no user cell starts with a formula trigger after unquoting (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    const cell = fc.array(fc.constantFrom(...TRIGGERS, 'a', ',', '"', ' ', '1', 'é'), { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 10 }), (rows) => {
        const csv = toExcelSafeCsv({ header: ['a', 'b', 'c'], rows });
        expect(csv.startsWith('\uFEFF')).toBe(true);
        const parsed = Papa.parse<string[]>(csv.slice(1), { delimiter: ',', newline: '\r\n' }).data.slice(1, rows.length + 1);
        expect(parsed).toHaveLength(rows.length);
        parsed.forEach((r, i) =>
          r.forEach((v, j) => {
            expect(TRIGGERS.includes(v[0] ?? '')).toBe(false);
            const original = rows[i]?.[j] ?? '';
            expect(v === original || v === `'${original}`).toBe(true);
          }),
        );
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it(`property: the CSV in pieces of k rows is the same text, in ceil(rows / k) pieces (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    const cell = fc.array(fc.constantFrom(...TRIGGERS, 'a', ',', '"', ' ', 'é', '\r\n'), { maxLength: 5 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { maxLength: 25 }), fc.integer({ min: 1, max: 7 }), (rows, k) => {
        const input = { header: ['a', 'STATUS'], rows, generatedColumns: [1] };
        const chunks = [...excelSafeCsvChunks(input, k)];
        expect(chunks.join('')).toBe(toExcelSafeCsv(input));
        expect(chunks).toHaveLength(Math.max(1, Math.ceil(rows.length / k)));
        // Each piece holds its own k rows: the first piece starts with the BOM and header, the next with a row.
        chunks.forEach((c, i) => {
          const first = rows[i * k];
          const lead = i === 0 ? '\uFEFFa,STATUS\r\n' : '';
          if (first)
            expect(
              c.startsWith(
                lead +
                  toExcelSafeCsv({ ...input, rows: [first] })
                    .split('\r\n')
                    .slice(1)
                    .join('\r\n'),
              ),
            ).toBe(true);
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
