// The undo of a whole multi-module run against the real emulator over HTTP: contacts are deleted before the accounts
// they point at; a contact that cannot be deleted stops the run before the accounts (they stay), and Retry finishes
// both modules without deleting anything twice.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import type { Connection } from '../api/connection.ts';
import { emulatorConnection } from '../api/emulator-test-support.ts';
import { groupUndoPlan } from '../domain/undo/group-plan.ts';
import { buildUndoPlan } from '../domain/undo/plan.ts';
import { runGroupUndo } from './multi-undo.ts';
import { undoStore, type UndoStore } from './undo-store.ts';
import { MemoryStorage } from './memory-storage-test-support.ts';

let s: TestServer;
let conn: Connection;
let store: UndoStore;
beforeAll(async () => {
  s = await startTestServer();
  conn = emulatorConnection(s);
});
afterAll(async () => {
  await s.stop();
});
beforeEach(async () => {
  store = undoStore(new MemoryStorage());
  await s.api('POST', '/__emulator/admin/reset', {});
});

async function insert(module: string, data: Record<string, unknown>[]): Promise<string[]> {
  const r = await s.api('POST', `/crm/v8/${module}`, { data });
  return (r.json.data as { details: { id: string } }[]).map((d) => d.details.id);
}
const exists = async (module: string, id: string): Promise<boolean> => (await s.api('GET', `/crm/v8/${module}/${id}`)).status === 200;
const added = (module: string, ids: readonly string[]) =>
  buildUndoPlan(module, [{ job: 0, reconciled: true, rows: ids.map((id, i) => ({ status: 'ADDED' as const, recordId: id, line: i + 2 })) }], null);

describe('runGroupUndo (real emulator)', () => {
  it('deletes the children first; a child it cannot delete keeps the parents, and Retry finishes without deleting twice', async () => {
    const accounts = await insert('Accounts', [{ Account_Name: 'GU One' }, { Account_Name: 'GU Two' }]);
    const contacts = await insert(
      'Contacts',
      accounts.map((id, i) => ({ Last_Name: `GU ${i}`, Account_Name: { id } })),
    );
    const g = groupUndoPlan([
      { id: 'g.acc.0', order: 0, module: 'Accounts', plan: added('Accounts', accounts) },
      { id: 'g.con.0', order: 1, module: 'Contacts', plan: added('Contacts', contacts) },
    ]);
    await s.api('POST', '/__emulator/admin/fail-deletes', { ids: [contacts[1]] });
    const entered: string[] = [];
    const first = await runGroupUndo(g, new Set(), { conn, store, now: () => new Date(), onEntry: (_, m) => entered.push(m) });
    expect(entered).toEqual(['Contacts']);
    expect(first.reports.map((r) => [r.module, r.report.counts.undone, r.report.counts.failed])).toEqual([['Contacts', 1, 1]]);
    expect(first.stoppedBefore?.module).toBe('Accounts');
    expect(first.stoppedBefore?.because).toContain('1 record(s) of Contacts could not be undone');
    expect(await exists('Contacts', contacts[0] ?? '')).toBe(false);
    expect(await exists('Contacts', contacts[1] ?? '')).toBe(true);
    for (const id of accounts) expect(await exists('Accounts', id)).toBe(true);

    const second = await runGroupUndo(g, new Set(), { conn, store, now: () => new Date() });
    expect(second.stoppedBefore).toBeNull();
    expect(second.reports.map((r) => [r.module, r.report.counts.undone, r.report.counts.failed])).toEqual([
      ['Contacts', 2, 0],
      ['Accounts', 2, 0],
    ]);
    for (const id of [...contacts]) expect(await exists('Contacts', id)).toBe(false);
    for (const id of accounts) expect(await exists('Accounts', id)).toBe(false);
    // Each record went to the recycle bin once.
    const bin = await s.api('GET', '/crm/v8/Contacts/deleted?type=recycle&per_page=200');
    expect((bin.json.data as { id: string }[]).map((d) => d.id).sort()).toEqual([...contacts].sort());
  });

  it('leaves alone the records the admin chose to keep (changed since the run), and says so per module', async () => {
    const accounts = await insert('Accounts', [{ Account_Name: 'GU Kept' }, { Account_Name: 'GU Gone' }]);
    const g = groupUndoPlan([{ id: 'g2.acc.0', order: 0, module: 'Accounts', plan: added('Accounts', accounts) }]);
    const out = await runGroupUndo(g, new Set([accounts[0] ?? '']), { conn, store, now: () => new Date() });
    expect(out.reports[0]?.report.counts).toMatchObject({ undone: 1, 'left-alone': 1 });
    expect(await exists('Accounts', accounts[0] ?? '')).toBe(true);
    expect(await exists('Accounts', accounts[1] ?? '')).toBe(false);
  });
});
