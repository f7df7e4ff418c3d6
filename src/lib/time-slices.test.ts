import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resultExport, resultExportCsv } from '../domain/jobs/reconcile.ts';
import { OutcomeBuilder } from '../domain/jobs/outcomes.ts';
import type { ReconcileResult, RowStatus } from '../domain/jobs/types.ts';
import { Cancelled, runInSlices, textBlobInSlices } from './time-slices.ts';

const SEED = 141;

describe('work in slices of the main thread', () => {
  it('yields after a slice: with a 0 ms slice only one step runs before the caller gets the thread back', async () => {
    let steps = 0;
    const done = runInSlices(() => ++steps === 5, { sliceMs: 0 });
    expect(steps).toBe(1);
    await done;
    expect(steps).toBe(5);
  });

  it('stops at the next slice once aborted: Cancelled, and the pieces after it are never made', async () => {
    const ctrl = new AbortController();
    let made = 0;
    function* pieces(): Generator<string, void, undefined> {
      for (let i = 0; i < 100; i++) {
        made++;
        yield `piece ${i}\r\n`;
      }
    }
    const run = textBlobInSlices(pieces(), 'text/csv', { sliceMs: 0, signal: ctrl.signal, onPiece: (n) => (n === 3 ? ctrl.abort() : undefined) });
    await expect(run).rejects.toBeInstanceOf(Cancelled);
    expect(made).toBe(3);
  });

  it('a file of many MB is the same bytes when its pieces are gathered into several Blobs', async () => {
    // ~20 MB in 40 pieces of different text (non-ASCII included, and a lone surrogate, written as U+FFFD):
    // more than two 8 MB Blob parts.
    const piece = (i: number) => `${String(i).padStart(3, '0')}é😀,`.repeat(105_000) + '\uD800\r\n';
    function* pieces(): Generator<string, void, undefined> {
      for (let i = 0; i < 40; i++) yield piece(i);
    }
    const blob = await textBlobInSlices(pieces(), 'text/csv');
    const expected = new TextEncoder().encode(Array.from({ length: 40 }, (_, i) => piece(i)).join(''));
    expect(blob.size).toBe(expected.length);
    expect(Buffer.from(await blob.arrayBuffer()).equals(Buffer.from(expected))).toBe(true);
  });

  it(`property: encoded into one reused buffer of any size, the Blob holds exactly the UTF-8 of the joined pieces (fast-check seed ${SEED})`, async () => {
    // Astral characters (4 bytes, a surrogate pair), a lone high surrogate (U+FFFD), 2- and 3-byte characters, empty
    // pieces; buffers from 1 byte (taken as 4) up, so characters and pieces straddle every flush. (A lone low surrogate
    // is left out: after a lone high one in the piece before, the joined text holds a pair that the pieces do not —
    // the merged CSV's pieces end at line ends, so none splits a pair.)
    const unit = fc.constantFrom('a', 'é', '中', '😀', '\uD800', '\r\n', '');
    const piece = fc.array(unit, { maxLength: 12 }).map((u) => u.join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), fc.integer({ min: 1, max: 24 }), async (texts, partBytes) => {
        const blob = await textBlobInSlices(texts[Symbol.iterator](), 'text/plain', { sliceMs: 0, partBytes });
        const expected = new TextEncoder().encode(texts.join(''));
        expect(Buffer.from(await blob.arrayBuffer()).equals(Buffer.from(expected))).toBe(true);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("reads the rows' widths a step at a time: empty pieces before the header, none counted as progress, a wide last row still widens the header", async () => {
    const n = 120_001;
    const rows = Array.from({ length: n }, (_, i) => ({ line: i + 2, cells: i === n - 1 ? ['last', 'extra'] : [`r${i}`] }));
    const built = new OutcomeBuilder(0, n, { rowIndexes: Uint32Array.from(rows, (_, i) => i), lines: Uint32Array.from(rows, (r) => r.line) });
    for (let i = 0; i < n; i++) built.push(i, 'ADDED', `9${i}`, '', []);
    const result: ReconcileResult = {
      reconciled: true,
      problems: [],
      outcomes: built.build(),
      counts: { added: n, updated: 0, skipped: 0, unprocessed: 0, total: n },
    };
    const input = { headers: ['A'], rows, result };
    const pieces = [...resultExport(input, 50_000).chunks];
    // 120,001 widths in steps of 50,000: two empty pieces, then the header with the last row's extra cell.
    expect(pieces.slice(0, 2)).toEqual(['', '']);
    expect(pieces[2]?.startsWith('\uFEFFLine,A,Extra column 1,STATUS,')).toBe(true);
    expect(pieces.join('')).toBe(resultExportCsv(input));
    const progress: number[] = [];
    await textBlobInSlices(resultExport(input, 50_000).chunks, 'text/csv', { sliceMs: 0, onPiece: (k) => progress.push(k) });
    expect(progress).toEqual([1, 2, 3]);
  });

  it(`property: the merged CSV made in slices of k rows is byte for byte the one-shot text as UTF-8 (fast-check seed ${SEED})`, async () => {
    console.log(`fast-check seed ${SEED}`);
    // Cells with quotes, separators, line breaks, formula leaders, non-ASCII and astral characters (two UTF-16 units).
    const cell = fc.array(fc.constantFrom('a', 'é', ',', '"', '\r\n', '=', '-', ' ', '7', '😀', '中'), { maxLength: 5 }).map((p) => p.join(''));
    const status = fc.constantFrom<RowStatus>('ADDED', 'UPDATED', 'SKIPPED', 'UNPROCESSED');
    await fc.assert(
      fc.asyncProperty(
        // Ragged rows (1–5 cells under 3 headers), each with a status; a subset of statuses exported; k rows a piece.
        fc.array(fc.tuple(fc.array(cell, { minLength: 1, maxLength: 5 }), status, cell), { maxLength: 30 }),
        fc.option(fc.subarray<RowStatus>(['SKIPPED', 'UNPROCESSED'], { minLength: 1 }), { nil: undefined }),
        fc.integer({ min: 1, max: 8 }),
        async (spec, only, k) => {
          const rows = spec.map(([cells], i) => ({ line: i + 2, cells }));
          // Packed, as Results holds them.
          const built = new OutcomeBuilder(0, spec.length, { rowIndexes: Uint32Array.from(spec, (_, i) => i), lines: Uint32Array.from(spec, (_, i) => i + 2) });
          spec.forEach(([, s, errorsText], i) =>
            built.push(
              i,
              s,
              s === 'ADDED' || s === 'UPDATED' ? `40${i}` : null,
              errorsText,
              errorsText === '' ? [] : [{ code: 'INVALID_DATA', apiName: 'Phone', reason: `Phone: ${errorsText}` }],
            ),
          );
          const outcomes = built.build();
          const result: ReconcileResult = { reconciled: true, problems: [], outcomes, counts: { added: 0, updated: 0, skipped: 0, unprocessed: 0, total: 0 } };
          const input = { headers: ['A', 'B', 'C'], rows, result, ...(only ? { only } : {}) };
          const pieced = resultExport(input, k);
          expect(pieced.rows).toBe(only ? spec.filter(([, s]) => only.includes(s as 'SKIPPED')).length : spec.length);
          const progress: number[] = [];
          const blob = await textBlobInSlices(pieced.chunks, 'text/csv;charset=utf-8', { sliceMs: 0, onPiece: (n) => progress.push(n) });
          expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new TextEncoder().encode(resultExportCsv(input)));
          expect(blob.type).toBe('text/csv;charset=utf-8');
          const pieces = Math.max(1, Math.ceil(pieced.rows / k));
          expect(progress).toEqual(Array.from({ length: pieces }, (_, i) => i + 1));
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
