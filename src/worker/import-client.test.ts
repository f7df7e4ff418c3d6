// The client in Node: no Worker exists, so the same session runs in-thread — the code path the browser's worker runs.
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { createImportClient, ImportCancelledError, type Progress } from './import-client.ts';
import { packedValues, packEdits } from '../domain/jobs/packed-edits.ts';
import { leadFields } from '../domain/fields/test-fields.ts';
import { assignColumn, emptyMapping } from '../domain/mapping/mapping.ts';
import { forEachIssue, type UnpackedIssue } from './issue-pack.ts';
import type { WorkerValidation } from './protocol.ts';
import { provenanceOf } from '../domain/jobs/types.ts';
import { forEachChange, type PackedFix } from './column-fixes.ts';

const unpack = (v: WorkerValidation): UnpackedIssue[] => {
  const out: UnpackedIssue[] = [];
  forEachIssue(v.issues, (i) => out.push(i));
  return out;
};

const csv = (n: number): string => `Name,Email\n${Array.from({ length: n }, (_, i) => `N${i},n${i}@x.io`).join('\n')}\n`;

describe('import client (in-thread fallback)', () => {
  it('opens a File: progress, row batches with source lines, summary', async () => {
    const client = createImportClient();
    expect(client.usesWorker).toBe(false);
    const progress: Progress[] = [];
    const batches: Array<[number, number]> = [];
    const table = await client.openFile(
      new Blob([csv(12)]),
      { batchSize: 5 },
      {
        onProgress: (p) => progress.push(p),
        onRows: (offset, rows) => batches.push([offset, rows.length]),
      },
    );
    expect(batches).toEqual([
      [0, 5],
      [5, 5],
      [10, 2],
    ]);
    expect(table.rows).toHaveLength(12);
    expect(table.rows[11]).toEqual({ line: 13, cells: ['N11', 'n11@x.io'] });
    expect(progress.some((p) => p.phase === 'read' && p.done === p.total)).toBe(true);
    expect(progress.some((p) => p.phase === 'parse')).toBe(true);
  });

  it('reparse with a delimiter override, then buildJobs with edits', async () => {
    const client = createImportClient();
    const first = await client.openFile(new Blob(['a;b\n1;2,5\n3;4\n']));
    expect(first.delimiter.char).toBe(';');
    const forced = await client.reparse({ parse: { delimiter: ',' } });
    expect(forced.headers).toEqual(['a;b']);
    const table = await client.reparse({});
    // Row 1 gets one cell changed (sent as that cell) and row 0 a third cell (a row of another width, sent whole).
    const edits = packEdits(
      new Map([
        [1, ['3', 'four']],
        [0, ['1', '2,5', 'x']],
      ]),
      table.rows,
    );
    expect({ values: packedValues(edits), whole: edits.whole.map((w) => w.rowIndex) }).toEqual({ values: ['four'], whole: [0] });
    const built = await client.buildJobs({ header: ['B', 'A'], columnSource: [1, 0], module: 'Leads', edits });
    expect(built.jobs).toHaveLength(1);
    const z = await JSZip.loadAsync(built.jobs[0]!.zip);
    expect(await z.file('Leads.csv')!.async('string')).toBe('B,A\r\n"2,5",1\r\nfour,3\r\n');
    // Only the rows named (typed row indexes), with their provenance.
    // (Packed again: a request's typed arrays are transferred to the worker.)
    const again = packEdits(new Map([[1, ['3', 'four']]]), table.rows);
    const second = await client.buildJobs({ header: ['B', 'A'], columnSource: [1, 0], module: 'Leads', edits: again, rowIndexes: Uint32Array.of(1) });
    expect(provenanceOf(second.jobs[0]!)).toEqual([{ rowIndex: 1, line: 3 }]);
    const z2 = await JSZip.loadAsync(second.jobs[0]!.zip);
    expect(await z2.file('Leads.csv')!.async('string')).toBe('B,A\r\nfour,3\r\n');
  });

  it('a re-parse reads the file again (its bytes are not kept) and says so when the file can no longer be read', async () => {
    const client = createImportClient();
    const real = new Blob(['a;b\n1;2\n']);
    let reads = 0;
    // A file that is readable once, then gone (moved or deleted on disk after it was chosen).
    const vanishing = {
      size: real.size,
      name: 'leads.csv',
      stream: () => {
        reads += 1;
        if (reads > 2) throw new Error('NotReadableError');
        return real.stream();
      },
    } as unknown as File;
    await client.openFile(vanishing);
    expect(reads).toBe(1);
    const again = await client.reparse({ parse: { delimiter: ',' } });
    expect([reads, again.headers]).toEqual([2, ['a;b']]);
    await expect(client.reparse({})).rejects.toThrow(/leads\.csv could not be read again \(NotReadableError\).*Choose the file again\./);
  });

  it('a blocked file still opens, with its issues (nothing thrown)', async () => {
    const client = createImportClient();
    // ZIP magic bytes: read as a workbook (issue 11), which these six bytes are not.
    const t = await client.openFile(new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0])]));
    expect(t.blocked).toBe(true);
    expect(t.issues[0]?.code).toBe('WORKBOOK_UNREADABLE');
    const pdf = await client.openFile(new Blob(['%PDF-1.7\n']));
    expect(pdf.blocked).toBe(true);
    expect(pdf.issues[0]?.code).toBe('NOT_CSV');
  });

  it('cancel: an aborted signal rejects with ImportCancelledError; buildJobs before open is refused', async () => {
    const client = createImportClient();
    const ac = new AbortController();
    ac.abort();
    await expect(client.openFile(new Blob([csv(3)]), {}, { signal: ac.signal })).rejects.toBeInstanceOf(ImportCancelledError);
    await expect(client.buildJobs({ header: ['A'], columnSource: [0], module: 'Leads' })).rejects.toThrow(/No file is open/);
  });

  it('cancel during buildJobs stops before the result is delivered', async () => {
    const client = createImportClient();
    await client.openFile(new Blob([csv(20_000)]));
    const ac = new AbortController();
    const zipped: number[] = [];
    const p = client.buildJobs(
      { header: ['A'], columnSource: [0], module: 'Leads', maxRows: 1000 },
      {
        signal: ac.signal,
        onProgress: (pr) => {
          if (pr.phase !== 'zip') return;
          zipped.push(pr.done);
          ac.abort();
        },
      },
    );
    await expect(p).rejects.toBeInstanceOf(ImportCancelledError);
    // Stopped after the first of 20 zips, not after all of them.
    expect(zipped).toEqual([1000]);
  });

  it('validates the open rows off the main thread (pre-flight), with edits and exclusions', async () => {
    const client = createImportClient();
    const table = await client.openFile(new Blob(['Last,Company,Email\nAnn,Acme,a@x.io\n,Beta,b@x.io\nCy,Co,a@x.io\n']));
    let mapping = emptyMapping(3);
    mapping = assignColumn(mapping, 0, 'Last_Name').mapping;
    mapping = assignColumn(mapping, 1, 'Company').mapping;
    mapping = assignColumn(mapping, 2, 'Email').mapping;
    const input = { mapping, fields: leadFields(), operation: 'insert' as const, findBy: null, ignoreEmpty: false };
    const v = await client.validate(input);
    // Row 1 lacks the mandatory Last_Name; row 2 repeats row 0's unique Email.
    expect([...v.predictedSkips]).toEqual([1, 2]);
    expect(unpack(v).find((i) => i.row === 1)).toMatchObject({ code: 'MANDATORY_NOT_FOUND', column: 0 });
    expect(unpack(v).find((i) => i.row === 1)?.message).toContain('Line 3');
    const fixed = await client.validate({ ...input, edits: packEdits([[1, ['Bo', 'Beta', 'b@x.io']]], table.rows), excluded: [2] });
    expect([...fixed.predictedSkips]).toEqual([]);
  });

  const leadMapping = () => {
    let mapping = emptyMapping(3);
    mapping = assignColumn(mapping, 0, 'Last_Name').mapping;
    mapping = assignColumn(mapping, 1, 'Company').mapping;
    mapping = assignColumn(mapping, 2, 'Email').mapping;
    return { mapping, fields: leadFields(), operation: 'insert' as const, findBy: null, ignoreEmpty: false };
  };
  const leadCsv = (n: number): string =>
    `Last,Company,Email\n${Array.from({ length: n }, (_, i) => `L${i},Co,${i % 7 === 3 ? 'bad' : `e${i}@x.io`}`).join('\n')}\n`;

  it('reports validation progress in row slices and re-checks one row, sending back only the rows that changed', async () => {
    const client = createImportClient();
    await client.openFile(new Blob(['Last,Company,Email\nAnn,Acme,a@x.io\nBo,Beta,A@X.IO\nCy,Co,bad\n']));
    const progress: Progress[] = [];
    const v = await client.validate(leadMapping(), { onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)).toEqual({ phase: 'validate', done: 3, total: 3 });
    expect([...v.predictedSkips]).toEqual([1, 2]);
    expect(v.changedRows).toBeNull();
    // Clean-up suggestions only when asked for (Review asks; other callers only validate).
    expect(v.fixes).toEqual([]);
    const withFixes = await client.validate({ ...leadMapping(), withFixes: true });
    expect(withFixes.fixColumns).toEqual([0, 1, 2]);
    const again = await client.validate(leadMapping());
    // Row 0 takes another email: row 1 is no longer a duplicate; row 0 itself has no issue before or after.
    const r = await client.revalidate({ base: again.base, rowIndex: 0, cells: ['Ann', 'Acme', 'ann@x.io'] });
    expect(r).not.toBeNull();
    expect([...(r?.changedRows ?? [])]).toEqual([1]);
    expect(r ? unpack(r) : null).toEqual([]);
    expect([...(r?.predictedSkips ?? [])]).toEqual([2]);
    // A re-check naming an older base is refused (null), so the caller validates in full.
    expect(await client.revalidate({ base: again.base, rowIndex: 2, cells: ['Cy', 'Co', 'c@x.io'] })).toBeNull();
  });

  it("a re-check answers the row's issues first and leaves its columns' clean-ups to refreshFixes, which gives way to newer checks", async () => {
    const client = createImportClient();
    // Company with spaces around it in every row: the trim clean-up offers each of them.
    await client.openFile(new Blob([`Last,Company,Email\n${Array.from({ length: 6 }, (_, i) => `L${i}, Co ,e${i}@x.io`).join('\n')}\n`]));
    const v = await client.validate({ ...leadMapping(), withFixes: true });
    const trimOf = (fixes: readonly { column: number; label: string; changeCount: number }[]) => fixes.find((f) => f.column === 1 && f.label === 'Trim spaces');
    expect(trimOf(v.fixes)?.changeCount).toBe(6);
    expect(v.fixesPending).toBe(false);
    const r = await client.revalidate({ base: v.base, rowIndex: 2, cells: ['L2', 'Co', 'e2@x.io'] });
    expect(r?.fixColumns).toEqual([]);
    expect(r?.fixesPending).toBe(true);
    // An older base gets nothing; the kept one gets the edited column's clean-ups as the rows now stand.
    expect(await client.refreshFixes(v.base)).toBeNull();
    const f = await client.refreshFixes(r!.base);
    expect(f?.fixColumns).toEqual([1]);
    expect(trimOf(f?.fixes ?? [])?.changeCount).toBe(5);
    // Once brought up to date, a re-check that changes no cell has nothing pending.
    const same = await client.revalidate({ base: r!.base, rowIndex: 2, cells: ['L2', 'Co', 'e2@x.io'] });
    expect(same?.fixesPending).toBe(false);
    // A refresh asked for the kept base gives way (null) to a re-check posted after it: that re-check's own refresh
    // brings the clean-ups, of both edits' columns.
    const n = await client.revalidate({ base: same!.base, rowIndex: 3, cells: ['L3', 'Co', 'e3@x.io'] });
    expect(n?.fixesPending).toBe(true);
    const [s, w] = await Promise.all([client.refreshFixes(n!.base), client.revalidate({ base: n!.base, rowIndex: 4, cells: ['L4', 'Co', 'e4@x.io'] })]);
    expect(s).toBeNull();
    expect(w?.fixesPending).toBe(true);
    const last = await client.refreshFixes(w!.base);
    expect(trimOf(last?.fixes ?? [])?.changeCount).toBe(3);
  });

  it('an aborted validation stops between slices, and the worker keeps the file for the next call', async () => {
    const client = createImportClient();
    await client.openFile(new Blob([leadCsv(60_000)]));
    const ac = new AbortController();
    const seen: number[] = [];
    const p = client.validate(leadMapping(), {
      signal: ac.signal,
      onProgress: (pr) => {
        seen.push(pr.done);
        ac.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(ImportCancelledError);
    // Stopped at the first yield: the cancel is seen by then (one more slice may be reported on a slow machine,
    // when that slice alone outlasts the yield interval), and no progress reached the end.
    expect(seen[0]).toBe(0);
    expect(seen.length).toBeLessThanOrEqual(2);
    expect(Math.max(...seen)).toBeLessThan(60_000);
    const again = await client.validate(leadMapping());
    expect(again.predictedSkips.length).toBe(Math.floor((60_000 - 4) / 7) + 1);
  });

  it('validates a table the worker does not hold by sending its rows once', async () => {
    const client = createImportClient();
    const table = await client.openFile(new Blob([leadCsv(20)]));
    const other = { ...table, rows: table.rows.map((r, i) => (i === 0 ? { line: r.line, cells: ['', 'Co', 'z@x.io'] } : r)) };
    const v = await client.validate(leadMapping(), {}, other);
    expect(
      unpack(v)
        .filter((i) => i.row === 0)
        .map((i) => i.code),
    ).toEqual(['MANDATORY_NOT_FOUND']);
    // Now the worker holds `other`: the same call needs no rows and gives the same answer.
    const held = await client.validate(leadMapping(), {}, other);
    expect(unpack(held)).toEqual(unpack(v));
  });

  it('release: the worker lets go of its rows; validate, buildJobs and the org prediction lend them back first (decision 152)', async () => {
    const client = createImportClient();
    // Batches of 7 rows: the rows go back as the batches they came in, the last one short.
    const table = await client.openFile(new Blob([leadCsv(40)]), { batchSize: 7 });
    const before = await client.validate(leadMapping());
    const jobs = async () => {
      const built = await client.buildJobs({ header: ['Last_Name', 'Email'], columnSource: [0, 2], module: 'Leads', maxRows: 15 });
      return Promise.all(built.jobs.map(async (j) => (await JSZip.loadAsync(j.zip)).file('Leads.csv')!.async('string')));
    };
    const sent = await jobs();
    expect(sent).toHaveLength(3);
    await client.release();
    // Nothing worked out from the rows is kept: a re-check of the last validation is refused (check in full).
    expect(await client.revalidate({ base: before.base, rowIndex: 0, cells: ['L0', 'Co', 'x@x.io'] })).toBeNull();
    // Lent back for the split: the same jobs, every row in its place.
    expect(await jobs()).toEqual(sent);
    await client.release();
    const after = await client.validate(leadMapping(), {}, table);
    expect(unpack(after)).toEqual(unpack(before));
    expect([...after.predictedSkips]).toEqual([...before.predictedSkips]);
    await client.release();
    // Without a table named, validate lends the one released too.
    expect([...(await client.validate(leadMapping())).predictedSkips]).toEqual([...before.predictedSkips]);
  });

  it('a table made on this thread is lent in batches packed from its rows; a lending cancelled half-way leaves nothing behind', async () => {
    const client = createImportClient();
    const table = await client.openFile(new Blob([leadCsv(5_000)]));
    const edited = { ...table, rows: table.rows.map((r, i) => (i === 4_321 ? { line: r.line, cells: ['', 'Co', 'q@x.io'] } : r)) };
    const ac = new AbortController();
    ac.abort();
    await expect(client.validate(leadMapping(), { signal: ac.signal }, edited)).rejects.toBeInstanceOf(ImportCancelledError);
    const v = await client.validate(leadMapping(), {}, edited);
    const rowsWithIssues = new Set(unpack(v).map((i) => i.row));
    expect(rowsWithIssues.has(4_321)).toBe(true);
    expect(unpack(v).find((i) => i.row === 4_321)?.message).toContain(`Line ${4_323}`);
    // Every 7th row (from row 3) has a bad e-mail, plus the edited row.
    expect(v.predictedSkips.length).toBe(Math.floor((5_000 - 4) / 7) + 1 + 1);
  });

  it('lend mode: the worker lets its rows go after each check, split and refresh, and every answer is the one it gives holding them', async () => {
    // Spaces around Company (a trim clean-up), a repeated and a bad e-mail; batches of 4 rows.
    const text = `Last,Company,Email\n${Array.from({ length: 30 }, (_, i) => `L${i}, Co ,${i % 9 === 4 ? 'bad' : `e${i % 25}@x.io`}`).join('\n')}\n`;
    const run = async (lendRows: boolean) => {
      const client = createImportClient({ lendRows });
      const table = await client.openFile(new Blob([text]), { batchSize: 4 });
      const out: unknown[] = [];
      let v = await client.validate({ ...leadMapping(), withFixes: true }, {}, table);
      out.push(
        unpack(v),
        [...v.predictedSkips],
        v.fixes.map((f) => [f.column, f.label, f.changeCount]),
      );
      // Lending, the worker no longer holds the rows: a re-check without the row's cells before it is refused.
      const blind = await client.revalidate({ base: v.base, rowIndex: 26, cells: ['L26', 'Co', 'new@x.io'] });
      expect(blind === null).toBe(lendRows);
      if (blind !== null) v = await client.validate({ ...leadMapping(), withFixes: true }, {}, table);
      // Row 26 (e1@x.io, a repeat of row 1) gets a new e-mail and loses its spaces: sent with its cells before.
      const before = [...table.rows[26]!.cells];
      const r = await client.revalidate({ base: v.base, rowIndex: 26, cells: ['L26', 'Co', 'new@x.io'], before });
      out.push(r ? unpack(r) : null, [...(r?.predictedSkips ?? [])], r?.fixesPending);
      expect(r?.staleColumns).toEqual([1, 2]);
      // Lending, only those two columns of every row are lent for the refresh.
      const f = await client.refreshFixes(r!.base, {}, r!.staleColumns);
      // Each clean-up with every change it proposes (row, before, after).
      const changes = (fix: PackedFix) => {
        const list: unknown[] = [];
        forEachChange(fix, (c) => list.push([c.row, c.before, c.after]));
        return list;
      };
      out.push(
        f?.fixColumns,
        f?.fixes.map((x) => [x.column, x.label, x.changeCount]),
        f?.fixes.map(changes),
      );
      const edits = packEdits(new Map([[26, ['L26', 'Co', 'new@x.io']]]), table.rows);
      const again = await client.validate({ ...leadMapping(), withFixes: true, edits }, {}, table);
      out.push(unpack(again), [...again.predictedSkips]);
      const built = await client.buildJobs({
        header: ['Last_Name', 'Email'],
        columnSource: [0, 2],
        module: 'Leads',
        edits: packEdits(new Map([[26, ['L26', 'Co', 'new@x.io']]]), table.rows),
        maxRows: 12,
      });
      out.push(await Promise.all(built.jobs.map(async (j) => (await JSZip.loadAsync(j.zip)).file('Leads.csv')!.async('string'))));
      return out;
    };
    const holding = await run(false);
    const lending = await run(true);
    expect(lending).toEqual(holding);
    // The sequence saw what it tests: the edit freed row 26 of its duplicate and its spaces.
    expect(holding[1]).toContain(26);
    expect(holding[4]).toEqual([4, 13, 22, 25, 27, 28]);
    expect(holding[6]).toEqual([1, 2]);
    expect(holding[7]).toContainEqual([1, 'Trim spaces', 29]);
  });

  it('lend mode with an org check running: the worker keeps the rows its predictions are made over, and says when it lets them go', async () => {
    const client = createImportClient({ lendRows: true });
    const table = await client.openFile(new Blob([leadCsv(30)]), { batchSize: 8 });
    await client.orgStart({ target: { module: 'Leads', fields: ['Email'] }, lookups: [], moduleFields: {}, users: [] });
    const v = await client.validate(leadMapping(), {}, table);
    // Still holding its rows: a re-check needs no cells before the change.
    const kept = await client.revalidate({ base: v.base, rowIndex: 2, cells: ['L2', 'Co', 'z@x.io'] });
    expect(kept).not.toBeNull();
    await client.orgReset();
    const w = await client.validate(leadMapping(), {}, table);
    // No org check: the rows were let go of with this check.
    expect(await client.revalidate({ base: w.base, rowIndex: 2, cells: ['L2', 'Co', 'z@x.io'] })).toBeNull();
    const again = await client.revalidate({ base: w.base, rowIndex: 2, cells: ['L2', 'Co', 'z@x.io'], before: [...table.rows[2]!.cells] });
    expect(again ? unpack(again) : null).toEqual(kept ? unpack(kept) : null);
    // Lent again for the split, every row in place.
    const built = await client.buildJobs({ header: ['Last_Name'], columnSource: [0], module: 'Leads' });
    expect(built.totalRows).toBe(30);
  });
});
