import { describe, expect, it } from 'vitest';
import { groupConfirmationText, groupUndoPlan, type GroupUndoEntry } from './group-plan.ts';
import { buildUndoPlan } from './plan.ts';

const entry = (id: string, order: number, module: string, rows: [status: 'ADDED' | 'UPDATED' | 'SKIPPED', recordId: string][]): GroupUndoEntry => ({
  id,
  order,
  module,
  plan: buildUndoPlan(module, [{ job: 0, reconciled: true, rows: rows.map(([status, recordId], i) => ({ status, recordId, line: i + 2 })) }], null),
});

describe('groupUndoPlan', () => {
  it('undoes the entries last written first: deals, then contacts, then accounts', () => {
    const g = groupUndoPlan([
      entry('r.accounts.0', 0, 'Accounts', [
        ['ADDED', '11'],
        ['SKIPPED', ''],
      ]),
      entry('r.deals.0', 2, 'Deals', [['ADDED', '31']]),
      entry('r.contacts.0', 1, 'Contacts', [
        ['ADDED', '21'],
        ['ADDED', '22'],
      ]),
    ]);
    expect(g.entries.map((e) => e.id)).toEqual(['r.deals.0', 'r.contacts.0', 'r.accounts.0']);
    expect(g.deletes).toBe(4);
    expect(g.perModule).toEqual([
      { module: 'Deals', deletes: 1, restores: 0 },
      { module: 'Contacts', deletes: 2, restores: 0 },
      { module: 'Accounts', deletes: 1, restores: 0 },
    ]);
    expect(groupConfirmationText(g)).toBe('Delete the 4 records this run added, children first: Deals 1, then Contacts 2, then Accounts 1.');
  });

  it("drops a self-link pass's restores of records its insert deletes, but keeps a restore of any other record", () => {
    const g = groupUndoPlan([
      entry('r.acc.0', 0, 'Accounts', [
        ['ADDED', '11'],
        ['ADDED', '12'],
      ]),
      entry('r.acc.self-1', 1, 'Accounts', [
        ['UPDATED', '12'],
        ['UPDATED', '99'],
      ]),
    ]);
    expect(g.entries.map((e) => e.id)).toEqual(['r.acc.self-1', 'r.acc.0']);
    // 12 is deleted by the insert's plan; 99 was not added by this run, so its missing backup is still reported.
    expect(g.entries[0]?.plan.cannot.map((c) => c.id)).toEqual(['99']);
    expect(g.entries[1]?.plan.deletes).toEqual(['11', '12']);
  });

  it('leaves out entries with nothing to undo', () => {
    const g = groupUndoPlan([entry('a', 0, 'Accounts', [['SKIPPED', '']]), entry('b', 1, 'Contacts', [['ADDED', '5']])]);
    expect(g.entries.map((e) => e.id)).toEqual(['b']);
    expect(groupConfirmationText(g)).toBe('Delete the 1 record this run added, children first: Contacts 1.');
  });
});
