import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import JSZip from 'jszip';
import { splitIntoJobs, SplitError, entryNameFor } from './split.ts';
import { serialiseCsv } from '../csv/serialise.ts';
import type { SourceRow } from '../csv/types.ts';
import { digestEcho, provenanceOf } from './types.ts';

const SEED = 2024;

async function unzip(zip: Uint8Array): Promise<{ names: string[]; text: string }> {
  const z = await JSZip.loadAsync(zip);
  const names = Object.keys(z.files);
  return { names, text: await z.file(names[0] ?? '')!.async('string') };
}

const rows = (n: number, width = 3): SourceRow[] =>
  Array.from({ length: n }, (_, i) => ({ line: i + 2, cells: Array.from({ length: width }, (_, c) => `r${i}c${c}`) }));

describe('splitIntoJobs', () => {
  it('one zip entry <Module>.csv with only the mapped columns, in sent order, CRLF, no BOM', async () => {
    const res = await splitIntoJobs({ header: ['Email', 'Last_Name'], columnSource: [2, 0], rows: rows(2), module: 'Contacts' });
    expect(res.jobs).toHaveLength(1);
    const { names, text } = await unzip(res.jobs[0]!.zip);
    expect(names).toEqual(['Contacts.csv']);
    expect(text).toBe('Email,Last_Name\r\nr0c2,r0c0\r\nr1c2,r1c0\r\n');
    expect(res.jobs[0]!.echo).toEqual(digestEcho(['r0c2', 'r0c0', 'r1c2', 'r1c0'], 2));
  });

  it('excluded rows are left out and provenance maps job rows back to source lines', async () => {
    const res = await splitIntoJobs({ header: ['A'], columnSource: [0], rows: rows(5), rowIndexes: [0, 2, 4], module: 'Leads', maxRows: 2 });
    expect(res.jobs.map((j) => provenanceOf(j))).toEqual([
      [
        { rowIndex: 0, line: 2 },
        { rowIndex: 2, line: 4 },
      ],
      [{ rowIndex: 4, line: 6 }],
    ]);
  });

  it('same input → same bytes (fixed zip date)', async () => {
    const a = await splitIntoJobs({ header: ['A'], columnSource: [0], rows: rows(50), module: 'Leads' });
    const b = await splitIntoJobs({ header: ['A'], columnSource: [0], rows: rows(50), module: 'Leads' });
    expect(Buffer.from(a.jobs[0]!.zip).equals(Buffer.from(b.jobs[0]!.zip))).toBe(true);
  });

  it('a part whose measured zip exceeds the byte budget is split further', async () => {
    // Random-ish hex data barely compresses, so the zip budget (not the row budget) decides.
    let x = 12345;
    const noisy = Array.from({ length: 400 }, (_, i) => ({
      line: i + 2,
      cells: [Array.from({ length: 40 }, () => (((x = (x * 1103515245 + 12345) % 2147483648) >>> 16) % 16).toString(16)).join('')],
    }));
    const res = await splitIntoJobs({ header: ['A'], columnSource: [0], rows: noisy, module: 'Leads', maxZipBytes: 6000 });
    expect(res.jobs.length).toBeGreaterThan(1);
    for (const j of res.jobs) expect(j.zipBytes).toBeLessThanOrEqual(6000);
    expect(res.jobs.reduce((s, j) => s + j.rowCount, 0)).toBe(400);
  });

  it('refuses > 200 mapped columns, nothing mapped, or nothing selected', async () => {
    const header = Array.from({ length: 201 }, (_, i) => `F${i}`);
    await expect(splitIntoJobs({ header, columnSource: header.map((_, i) => i), rows: rows(1), module: 'Leads' })).rejects.toThrow(/at most 200/);
    await expect(splitIntoJobs({ header: [], columnSource: [], rows: rows(1), module: 'Leads' })).rejects.toBeInstanceOf(SplitError);
    await expect(splitIntoJobs({ header: ['A'], columnSource: [0], rows: rows(1), rowIndexes: [], module: 'Leads' })).rejects.toThrow(/No rows/);
  });

  it('entry name is a safe file name', () => {
    expect(entryNameFor('../../etc')).toBe('______etc.csv');
  });

  it(`property: split → concatenate = identity, within every budget (fast-check seed ${SEED})`, async () => {
    console.log(`fast-check seed ${SEED}`);
    const cell = fc.array(fc.constantFrom('a', 'é', '😀', ',', '"', '\r\n', ' ', '1'), { maxLength: 6 }).map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        fc.integer({ min: 150, max: 2000 }),
        async (cells, maxRows, maxCsvBytes) => {
          const src = cells.map((c, i) => ({ line: i + 2, cells: c }));
          const input = { header: ['X', 'Y'], columnSource: [1, 0], rows: src, module: 'Deals', maxRows, maxCsvBytes };
          let res;
          try {
            res = await splitIntoJobs(input);
          } catch (e) {
            // Only a single row larger than the budget may be refused, and it says so.
            expect(String(e)).toMatch(/alone is/);
            return;
          }
          const bodies: string[] = [];
          for (const j of res.jobs) {
            expect(j.rowCount).toBeLessThanOrEqual(maxRows);
            expect(j.csvBytes).toBeLessThanOrEqual(maxCsvBytes);
            const { text } = await unzip(j.zip);
            expect(text.startsWith('X,Y\r\n')).toBe(true);
            bodies.push(text.slice('X,Y\r\n'.length));
          }
          expect('X,Y\r\n' + bodies.join('')).toBe(
            serialiseCsv(
              ['X', 'Y'],
              cells.map(([a, b]) => [b ?? '', a ?? '']),
            ),
          );
          expect(res.jobs.flatMap((j) => provenanceOf(j).map((p) => p.rowIndex))).toEqual(src.map((_, i) => i));
          expect(res.jobs.flatMap((j) => provenanceOf(j).map((p) => p.line))).toEqual(src.map((r) => r.line));
          // Each job echoes exactly its own rows' sent cells (Y then X).
          expect(res.jobs.flatMap((j) => [...j.echo.hashes])).toEqual([
            ...digestEcho(
              cells.flatMap(([a, b]) => [b ?? '', a ?? '']),
              2,
            ).hashes,
          ]);
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});
