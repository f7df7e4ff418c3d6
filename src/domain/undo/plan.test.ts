// The undo plan: what to delete and what to put back is a pure function of the result rows and the backup, and
// it never names a record the import did not add or update (property, fixed seed). Progress never lets an id be
// deleted or restored twice, and the report covers every record.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RowStatus } from '../jobs/types.ts';
import { backupCsv, readBackupCsv } from './backup-csv.ts';
import {
  batches,
  buildUndoPlan,
  changedSince,
  confirmationText,
  deleteStringsSteps,
  resultRowsForUndo,
  UndoPlanBuilder,
  withoutRecords,
  type UndoBackup,
  type UndoJobResult,
} from './plan.ts';
import {
  emptyProgress,
  leaveAlone,
  pendingDeletes,
  pendingRestores,
  recordDeletes,
  recordRestores,
  patchRestoreJob,
  startRestoreJob,
  undoReport,
} from './progress.ts';

const SEED = 10_2026;

const job = (rows: [RowStatus, string | null][], reconciled = true, n = 0): UndoJobResult => ({
  job: n,
  reconciled,
  rows: rows.map(([status, recordId], i) => ({ status, recordId, line: i + 2 })),
});
const backup = (rows: [string, string[]][], fields = ['First_Name', 'Phone']): UndoBackup => ({
  module: 'Contacts',
  fields,
  rows: rows.map(([id, values]) => ({ id, values })),
});

describe('buildUndoPlan', () => {
  it('deletes ADDED ids, restores UPDATED ids from the backup, ignores SKIPPED/UNPROCESSED whatever id they carry', () => {
    const plan = buildUndoPlan(
      'Contacts',
      [
        job([
          ['ADDED', '11'],
          ['UPDATED', '12'],
          ['SKIPPED', '13'],
          ['UNPROCESSED', '14'],
          ['UPDATED', '15'],
        ]),
      ],
      backup([
        ['12', ['Ann', '']],
        ['13', ['x', 'y']],
        ['99', ['z', 'z']],
      ]),
    );
    expect(plan.deletes).toEqual(['11']);
    expect(plan.restores).toEqual([{ id: '12', values: ['Ann', ''] }]);
    expect(plan.cannot).toEqual([{ id: '15', line: 6, action: 'restore', reason: 'no-backup' }]);
    expect(confirmationText(plan)).toBe('Delete the 1 record this import added; put back the old values of the 1 record it updated.');
  });

  it('an id added by one row and updated by a later row of the same upsert is deleted, not restored; repeats once', () => {
    const plan = buildUndoPlan(
      'Contacts',
      [
        job([
          ['ADDED', '21'],
          ['UPDATED', '21'],
          ['UPDATED', '22'],
          ['UPDATED', '22'],
        ]),
      ],
      backup([
        ['21', ['a', 'b']],
        ['22', ['c', 'd']],
      ]),
    );
    expect(plan.deletes).toEqual(['21']);
    expect(plan.restores.map((r) => r.id)).toEqual(['22']);
  });

  it('does not trust ids from an unreconciled job, nor rows without a valid id', () => {
    const plan = buildUndoPlan(
      'Contacts',
      [
        job([['ADDED', '31']], false, 0),
        job(
          [
            ['ADDED', ''],
            ['ADDED', '1;2'],
            ['ADDED', '32'],
          ],
          true,
          1,
        ),
      ],
      null,
    );
    expect(plan.deletes).toEqual(['32']);
    expect(plan.cannot.map((c) => [c.id, c.reason])).toEqual([
      ['31', 'not-reconciled'],
      ['', 'bad-id'],
      ['1;2', 'bad-id'],
    ]);
  });

  it('words the confirmation for inserts only and updates only', () => {
    expect(confirmationText({ deleteCount: 2, restores: [] })).toBe('Delete the 2 records this import added.');
    expect(
      confirmationText({
        deleteCount: 0,
        restores: [
          { id: '1', values: [] },
          { id: '2', values: [] },
        ],
      }),
    ).toBe('Put back the old values of the 2 records it updated.');
  });

  it(`property: never names a record the import did not add or update; covers every one it did (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    // Ids the plan keys as numbers and as text (decision 156): leading zeros, 19, 20 and 30 digits, "0".
    const id = fc.constantFrom(
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '',
      'x9',
      '07',
      '007',
      '0',
      '4876876000000123001',
      '18446744073709551616',
      '123456789012345678901234567890',
    );
    const status = fc.constantFrom<RowStatus>('ADDED', 'UPDATED', 'SKIPPED', 'UNPROCESSED');
    const jobs = fc.array(fc.record({ reconciled: fc.boolean(), rows: fc.array(fc.tuple(status, fc.option(id, { nil: null })), { maxLength: 12 }) }), {
      maxLength: 4,
    });
    const backupRows = fc.array(fc.tuple(id, fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 })), { maxLength: 10 });
    fc.assert(
      fc.property(jobs, fc.option(backupRows, { nil: null }), (js, b) => {
        const results = js.map((j, n) => job(j.rows, j.reconciled, n));
        const plan = buildUndoPlan('Contacts', results, b === null ? null : backup(b));
        const trusted = results.filter((r) => r.reconciled).flatMap((r) => r.rows);
        const addedIds = new Set(trusted.filter((r) => r.status === 'ADDED' && /^\d+$/.test(r.recordId ?? '')).map((r) => r.recordId));
        const updatedIds = new Set(trusted.filter((r) => r.status === 'UPDATED' && /^\d+$/.test(r.recordId ?? '')).map((r) => r.recordId));
        // Never names anything else.
        for (const d of plan.deletes) expect(addedIds.has(d)).toBe(true);
        for (const r of plan.restores) {
          expect(updatedIds.has(r.id)).toBe(true);
          expect(addedIds.has(r.id)).toBe(false);
          expect(r.values).toHaveLength(plan.fields.length);
        }
        // Each once, and every added/updated record is either planned or reported as impossible.
        expect(plan.deleteCount).toBe(plan.deletes.length);
        expect(new Set(plan.deletes).size).toBe(plan.deletes.length);
        expect(new Set(plan.restores.map((r) => r.id)).size).toBe(plan.restores.length);
        expect(new Set(plan.deletes)).toEqual(addedIds);
        const restorable = new Set<string>(b?.map(([i]) => i) ?? []);
        for (const u of updatedIds) {
          if (addedIds.has(u)) continue;
          if (restorable.has(u!)) expect(plan.restores.some((r) => r.id === u)).toBe(true);
          else expect(plan.cannot.some((c) => c.id === u && c.reason === 'no-backup')).toBe(true);
        }
        // Batches partition the deletes within the limit.
        for (const size of [100, 500, 3]) {
          const bs = batches(plan.deletes, size);
          expect(bs.flat()).toEqual([...plan.deletes]);
          expect(bs.every((x) => x.length >= 1 && x.length <= size)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('UndoPlanBuilder (the undo plan read in slices, decision 141)', () => {
  it(`property: the plan is the same whatever backups were asked for before, and the same as building it afresh (fast-check seed ${SEED})`, () => {
    console.log(`fast-check seed ${SEED}`);
    const id = fc.constantFrom('1', '2', '3', '4', '5', '', 'x9', '05', '4876876000000123001', '18446744073709551616');
    const status = fc.constantFrom<RowStatus>('ADDED', 'UPDATED', 'SKIPPED', 'UNPROCESSED');
    const jobs = fc.array(fc.record({ reconciled: fc.boolean(), rows: fc.array(fc.tuple(status, fc.option(id, { nil: null })), { maxLength: 10 }) }), {
      maxLength: 3,
    });
    const backupRows = fc.option(fc.array(fc.tuple(id, fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })), { maxLength: 6 }), { nil: null });
    fc.assert(
      fc.property(jobs, backupRows, backupRows, (js, a, b) => {
        const results = js.map((j, n) => job(j.rows, j.reconciled, n));
        const builder = new UndoPlanBuilder();
        for (const r of results) for (const row of r.rows) builder.add(row, r.reconciled);
        const backupA = a === null ? null : backup(a);
        const backupB = b === null ? null : backup(b);
        // Asking for one backup's plan leaves nothing behind for the next (the refusals are the plan's own).
        const first = builder.plan('Contacts', backupA);
        const withB = builder.plan('Contacts', backupB);
        expect(builder.plan('Contacts', backupA)).toEqual(first);
        expect(withB).toEqual(buildUndoPlan('Contacts', results, backupB));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("a builder's plan makes its ids' strings when asked (decision 159)", () => {
  it('made a slice at a time, they are the ids the plan deletes, in order; a plain plan is done at once', () => {
    const builder = new UndoPlanBuilder();
    for (let i = 0; i < 120_005; i++) builder.add({ status: 'ADDED', recordId: String(4_876_876_000_000_000_000n + BigInt(i % 120_000)), line: i + 2 }, true);
    const plan = builder.plan('Contacts', null);
    expect(plan.deleteCount).toBe(120_000);
    const step = deleteStringsSteps(plan);
    let steps = 1;
    while (!step()) steps++;
    expect(steps).toBe(3);
    expect(plan.deletes).toHaveLength(120_000);
    expect(plan.deletes[0]).toBe('4876876000000000000');
    expect(plan.deletes[119_999]).toBe('4876876000000119999');
    // The same array from then on, and the same ids as a plan read in one go.
    expect(plan.deletes).toBe(plan.deletes);
    expect(builder.plan('Contacts', null).deletes).toEqual(plan.deletes);
    const left = withoutRecords(plan, new Set(['4876876000000000000']));
    expect(deleteStringsSteps(left)()).toBe(true);
    expect(left.deleteCount).toBe(119_999);
  });
});

describe('changedSince / withoutRecords', () => {
  it('flags records modified after the import end (any offset), and unreadable times', () => {
    const times = new Map([
      ['1', '2026-12-01T10:00:00+00:00'],
      ['2', '2026-12-01T10:00:01+00:00'],
      ['3', '2026-12-01T11:00:01+01:00'],
      ['4', 'garbage'],
    ]);
    expect([...changedSince(times, '2026-12-01T10:00:00Z')].sort()).toEqual(['2', '3', '4']);
    const plan = buildUndoPlan(
      'Contacts',
      [
        job([
          ['ADDED', '1'],
          ['ADDED', '2'],
          ['UPDATED', '3'],
        ]),
      ],
      backup([['3', ['a', 'b']]]),
    );
    const left = withoutRecords(plan, new Set(['2', '3']));
    expect(left.deletes).toEqual(['1']);
    expect(left.deleteCount).toBe(1);
    expect(left.restores).toEqual([]);
  });
});

describe('progress', () => {
  const plan = buildUndoPlan(
    'Contacts',
    [
      job([
        ['ADDED', '1'],
        ['ADDED', '2'],
        ['ADDED', '3'],
        ['UPDATED', '4'],
        ['UPDATED', '5'],
      ]),
    ],
    backup([
      ['4', ['a', 'b']],
      ['5', ['c', '']],
    ]),
  );

  it('a failed delete stays pending for Retry undo; done ones are never sent again; the report names each record', () => {
    let p = recordDeletes(emptyProgress(), [
      { id: '1', outcome: 'deleted', reason: '' },
      { id: '2', outcome: 'failed', reason: 'RECORD_LOCKED: the record is locked' },
      { id: '3', outcome: 'gone', reason: '' },
    ]);
    expect(pendingDeletes(plan, p)).toEqual(['2']);
    let report = undoReport(plan, p);
    expect(report.rows.filter((r) => r.action === 'delete').map((r) => [r.id, r.state, r.reason])).toEqual([
      ['1', 'undone', 'deleted'],
      ['2', 'failed', 'RECORD_LOCKED: the record is locked'],
      ['3', 'undone', 'already deleted'],
    ]);
    // A later "failed" for a record already deleted does not resurrect it.
    p = recordDeletes(p, [
      { id: '1', outcome: 'failed', reason: 'INVALID_DATA' },
      { id: '2', outcome: 'deleted', reason: '' },
    ]);
    expect(pendingDeletes(plan, p)).toEqual([]);
    report = undoReport(plan, p);
    expect(report.counts).toMatchObject({ undone: 3, failed: 0, pending: 2 });
    expect(report.finished).toBe(false);
  });

  it('a restore job stored before its create call is not created again on resume; its outcome settles it', () => {
    let p = startRestoreJob(emptyProgress(), { key: 'k1', ids: ['4', '5'], fileId: null, jobId: null });
    expect(pendingRestores(plan, p)).toEqual([]);
    p = patchRestoreJob(p, 'k1', { fileId: '55' });
    p = patchRestoreJob(p, 'k1', { jobId: '777' });
    // Survives a JSON round trip (what persistence does).
    p = JSON.parse(JSON.stringify(p)) as typeof p;
    expect(p.restoreJobs).toEqual([{ key: 'k1', ids: ['4', '5'], fileId: '55', jobId: '777' }]);
    p = recordRestores(p, 'k1', [
      { id: '4', ok: true, reason: '' },
      { id: '5', ok: false, reason: 'INVALID_DATA in Phone' },
    ]);
    expect(p.restoreJobs).toEqual([]);
    expect(pendingRestores(plan, p).map((r) => r.id)).toEqual(['5']);
    p = leaveAlone(p, ['5', '1', '2', '3']);
    const report = undoReport(plan, p);
    expect(report.finished).toBe(true);
    expect(report.counts).toMatchObject({ undone: 1, 'left-alone': 4 });
  });
});

describe('backup file', () => {
  it(`round-trips any values exactly, Excel-safe (fast-check seed ${SEED})`, () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ maxLength: 6 }), { minLength: 2, maxLength: 2 }), { maxLength: 8 }), (vals) => {
        const b = backup(vals.map((v, i) => [String(100 + i), v]));
        const text = backupCsv(b);
        const back = readBackupCsv(text, 'Contacts');
        expect(back).toEqual({ ok: true, backup: b });
        // No cell a spreadsheet would run as a formula.
        for (const v of vals.flat())
          if (/^[=+\-@]/.test(v)) expect(text).not.toMatch(new RegExp(`(^|,)${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(,|\\r\\n)`, 'm'));
      }),
      { seed: SEED, numRuns: 200 },
    );
    const text = backupCsv(backup([['1', ['=SUM(A1)', "'quoted"]]]));
    expect(text).toBe("\uFEFFid,First_Name,Phone\r\n1,'=SUM(A1),''quoted\r\n");
  });

  it('refuses a file that is not a backup, naming the row and column', () => {
    expect(readBackupCsv('Email,Phone\r\na,b\r\n', 'Contacts')).toMatchObject({
      ok: false,
      message: expect.stringContaining('first column must be "id"') as unknown,
    });
    expect(readBackupCsv('id,Phone\r\n12,1\r\nx,2\r\n', 'Contacts')).toMatchObject({ ok: false, message: expect.stringContaining('Row 3') as unknown });
    expect(readBackupCsv('id,Phone\r\n12,1\r\n12,2\r\n', 'Contacts')).toMatchObject({
      ok: false,
      message: expect.stringContaining('repeats record id 12') as unknown,
    });
    expect(readBackupCsv('id,Phone\r\n12\r\n', 'Contacts')).toMatchObject({ ok: false, message: expect.stringContaining('has 1 values') as unknown });
    expect(readBackupCsv('id,Pho ne\r\n12,1\r\n', 'Contacts')).toMatchObject({ ok: false });
  });
});

describe('resultRowsForUndo', () => {
  it('reads STATUS and RECORD_ID by name; refuses unknown statuses and ADDED rows without an id', () => {
    const ok = resultRowsForUndo(
      0,
      {
        header: ['Last_Name', 'STATUS', 'RECORD_ID', 'ERRORS'],
        rows: [
          ['a', 'ADDED', '5', ''],
          ['b', 'SKIPPED', '', 'X'],
        ],
      },
      'r.csv',
    );
    expect(ok).toEqual({
      ok: true,
      job: {
        job: 0,
        reconciled: true,
        rows: [
          { status: 'ADDED', recordId: '5', line: null },
          { status: 'SKIPPED', recordId: null, line: null },
        ],
      },
    });
    expect(resultRowsForUndo(0, { header: ['STATUS'], rows: [] }, 'r.csv')).toMatchObject({
      ok: false,
      message: expect.stringContaining('RECORD_ID') as unknown,
    });
    expect(resultRowsForUndo(0, { header: ['STATUS', 'RECORD_ID'], rows: [['DONE', '1']] }, 'r.csv')).toMatchObject({
      ok: false,
      message: expect.stringContaining('row 2') as unknown,
    });
    expect(resultRowsForUndo(0, { header: ['STATUS', 'RECORD_ID'], rows: [['UPDATED', '']] }, 'r.csv')).toMatchObject({ ok: false });
  });
});
