// The undo run against the real emulator over HTTP: an insert undone leaves none of its records and touches
// nothing else; an update undone puts every field back exactly (empty ones emptied again); failed deletes are
// reported and Retry finishes them without deleting twice; a resumed restore does not create a second job; records
// changed after the import are found by Modified_Time.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import type { Connection } from '../api/connection.ts';
import { emulatorConnection } from '../api/emulator-test-support.ts';
import { buildUndoPlan, resultRowsForUndo, withoutRecords, type UndoBackup } from '../domain/undo/plan.ts';
import { undoReport } from '../domain/undo/progress.ts';
import { recordsChangedSince, runUndo } from './undo-run.ts';
import { undoStore, type UndoStore } from './undo-store.ts';
import { MemoryStorage } from './memory-storage-test-support.ts';

let s: TestServer;
let conn: Connection;
let store: UndoStore;
let clock = new Date('2026-12-01T09:00:00Z');
const now = (): Date => new Date();
beforeAll(async () => {
  s = await startTestServer({ now: () => clock });
  conn = emulatorConnection(s);
});
afterAll(async () => {
  await s.stop();
});
beforeEach(async () => {
  store = undoStore(new MemoryStorage());
  await s.api('POST', '/__emulator/admin/reset', {});
});

type Rec = Record<string, unknown> & { id: string };
async function allContacts(): Promise<Rec[]> {
  const out: Rec[] = [];
  for (let page = 1; ; page++) {
    const r = await s.api('GET', `/crm/v8/Contacts?page=${page}&per_page=200`);
    if (r.status === 204) return out;
    out.push(...(r.json.data as Rec[]));
    if (!(r.json.info as { more_records: boolean }).more_records) return out;
  }
}
const cell = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return 'id' in v ? String((v as { id: string }).id) : JSON.stringify(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
};

async function insertContacts(n: number, tag: string): Promise<{ jobId: string; table: { header: string[]; rows: string[][] } }> {
  const csv =
    'Last_Name,Email,Phone\n' +
    Array.from({ length: n }, (_, i) => `${tag}${i},${tag}${i}@undo.example,+1555010${String(i).padStart(4, '0')}`).join('\n') +
    '\n';
  const r = await s.runJob(
    csv,
    { operation: 'insert' },
    {
      field_mappings: [
        { api_name: 'Last_Name', index: 0 },
        { api_name: 'Email', index: 1 },
        { api_name: 'Phone', index: 2 },
      ],
    },
  );
  return { jobId: r.id, table: r.result };
}

function planFrom(table: { header: string[]; rows: string[][] }, backup: UndoBackup | null) {
  const read = resultRowsForUndo(0, table, 'result.csv');
  if (!read.ok) throw new Error(read.message);
  return buildUndoPlan('Contacts', [read.job], backup);
}

describe('runUndo', () => {
  it('undoes an insert of 50: none of them remain and no other record changed', async () => {
    const before = await allContacts();
    const { table } = await insertContacts(50, 'ins');
    const plan = planFrom(table, null);
    expect(plan.deletes).toHaveLength(50);
    const p = await runUndo('u-insert', plan, { conn, store, now });
    expect(undoReport(plan, p).counts).toMatchObject({ undone: 50, failed: 0, pending: 0 });
    expect(await allContacts()).toEqual(before);
  });

  it('undoes an update of 20 by Email: every field back to its exact old value, including empty ones', async () => {
    const csv =
      'Last_Name,Email,First_Name,Title\n' +
      Array.from({ length: 20 }, (_, i) => `Up${i},up${i}@undo.example,${i % 2 === 0 ? `Old${i}` : ''},${i % 3 === 0 ? '' : `T${i}`}`).join('\n') +
      '\n';
    await s.runJob(
      csv,
      { operation: 'insert' },
      {
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Email', index: 1 },
          { api_name: 'First_Name', index: 2 },
          { api_name: 'Title', index: 3 },
        ],
      },
    );
    const before = await allContacts();
    const fields = ['First_Name', 'Title', 'Last_Name'];
    // The backup: id + the fields the update will write, as the org check reads them before the import.
    const targets = before.filter((r) => String(r.Email).startsWith('up'));
    const backup: UndoBackup = { module: 'Contacts', fields, rows: targets.map((r) => ({ id: r.id, values: fields.map((f) => cell(r[f])) })) };
    const upd = 'Email,First_Name,Title,Last_Name\n' + Array.from({ length: 20 }, (_, i) => `up${i}@undo.example,New${i},NT${i},NewLast${i}`).join('\n') + '\n';
    const job = await s.runJob(
      upd,
      { operation: 'update' },
      {
        find_by: 'Email',
        field_mappings: [
          { api_name: 'Email', index: 0 },
          { api_name: 'First_Name', index: 1 },
          { api_name: 'Title', index: 2 },
          { api_name: 'Last_Name', index: 3 },
        ],
      },
    );
    expect(job.result.rows.every((r) => r.includes('UPDATED'))).toBe(true);
    const plan = planFrom(job.result, backup);
    expect(plan.restores).toHaveLength(20);
    const p = await runUndo('u-update', plan, { conn, store, now });
    expect(undoReport(plan, p).counts).toMatchObject({ undone: 20, failed: 0, pending: 0 });
    const after = await allContacts();
    const strip = (rs: Rec[]) => rs.map(({ Modified_Time: _m, ...rest }) => rest);
    // Exactly as before, apart from Modified_Time (the restore is a write).
    expect(strip(after)).toEqual(strip(before));
    expect(targets.some((r) => r.First_Name === undefined) && targets.some((r) => r.Title === undefined)).toBe(true);
  });

  it('reports deletes that fail, and Retry finishes them without deleting anything twice', async () => {
    const { table } = await insertContacts(30, 'lock');
    const plan = planFrom(table, null);
    const locked = plan.deletes.slice(5, 8);
    await s.api('POST', '/__emulator/admin/fail-deletes', { ids: locked });
    const first = await runUndo('u-retry', plan, { conn, store, now });
    const report = undoReport(plan, first);
    expect(report.counts).toMatchObject({ undone: 27, failed: 3 });
    expect(report.rows.filter((r) => r.state === 'failed').map((r) => [r.id, r.reason])).toEqual(
      locked.map((id) => [id, 'RECORD_LOCKED: the record is locked, so it was not deleted']),
    );
    // Retry (a new run reading the stored progress) sends only the three.
    const second = await runUndo('u-retry', plan, { conn, store, now });
    expect(undoReport(plan, second).counts).toMatchObject({ undone: 30, failed: 0, pending: 0 });
    const bin = await s.api('GET', '/crm/v8/Contacts/deleted?type=recycle&per_page=200');
    expect((bin.json.data as { id: string }[]).map((d) => d.id).sort()).toEqual([...plan.deletes].sort());
  });

  it('counts a record an earlier, unanswered call deleted as already deleted', async () => {
    const { table } = await insertContacts(3, 'gone');
    const plan = planFrom(table, null);
    await s.api('DELETE', `/crm/v8/Contacts?ids=${plan.deletes[1]}`);
    const p = await runUndo('u-gone', plan, { conn, store, now });
    expect(undoReport(plan, p).rows.map((r) => r.reason)).toEqual(['deleted', 'already deleted', 'deleted']);
  });

  it('resumes a restore job that was created before a reload instead of creating a second one', async () => {
    const [id] = (
      (await s.api('POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'Res', Email: 'res@undo.example', First_Name: 'Before' }] })).json.data as {
        details: { id: string };
      }[]
    ).map((d) => d.details.id);
    const backup: UndoBackup = { module: 'Contacts', fields: ['First_Name'], rows: [{ id: id!, values: ['Before'] }] };
    await s.api('PUT', '/crm/v8/Contacts', { data: [{ id, First_Name: 'After' }] });
    const plan = buildUndoPlan('Contacts', [{ job: 0, reconciled: true, rows: [{ status: 'UPDATED', recordId: id!, line: 2 }] }], backup);
    await runUndo('u-resume', plan, { conn, store, now });
    const jobsAfterFirst = ((await s.api('GET', '/__emulator/admin/jobs')).json.jobs as unknown[]).length;
    // Simulate a reload after the create answered but before the outcome was saved: the stored progress still
    // holds the job as in flight.
    const entry = store.load('u-resume')!;
    const jobId = ((await s.api('GET', '/__emulator/admin/jobs')).json.jobs as { id: string }[]).at(-1)!.id;
    store.save('u-resume', 'Contacts', { ...entry.progress, restored: [], restoreJobs: [{ key: 'k', ids: [id!], fileId: '1', jobId }] }, new Date());
    const p = await runUndo('u-resume', plan, { conn, store, now });
    expect(undoReport(plan, p).counts).toMatchObject({ undone: 1, pending: 0 });
    expect(((await s.api('GET', '/__emulator/admin/jobs')).json.jobs as unknown[]).length).toBe(jobsAfterFirst);
    expect(((await s.api('GET', `/crm/v8/Contacts/${id}`)).json.data as Rec[])[0]!.First_Name).toBe('Before');
  });

  it('finds records modified after the import and leaves them alone when asked', async () => {
    clock = new Date('2026-12-01T10:00:00Z');
    const { table } = await insertContacts(4, 'mod');
    const importEnd = '2026-12-01T10:00:00+00:00';
    const plan = planFrom(table, null);
    clock = new Date('2026-12-01T10:30:00Z');
    await s.api('PUT', '/crm/v8/Contacts', { data: [{ id: plan.deletes[2], First_Name: 'Edited later' }] });
    const changed = await recordsChangedSince(plan, importEnd, { conn });
    expect([...changed]).toEqual([plan.deletes[2]]);
    const p = await runUndo('u-mod', withoutRecords(plan, changed), { conn, store, now });
    expect(p.deleted).toHaveLength(3);
    expect((await s.api('GET', `/crm/v8/Contacts/${plan.deletes[2]}`)).status).toBe(200);
    clock = new Date('2026-12-01T09:00:00Z');
  });
});
