import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveRun, type RowState } from './linking.ts';
import { rowsOf, sourceOf } from './multi-test-support.ts';
import { planRun } from './run-plan.ts';
import { runCost } from './run-cost.ts';

const SEED = 115_003;

describe('runCost', () => {
  it('counts the jobs of every step before the run: link groups, the row budget, self-link passes, held rows left out', () => {
    const acc = sourceOf('acc', 'Accounts', ['Account_Name', 'Parent_Account'], { Parent_Account: 'Account_Name' });
    const con = sourceOf('con', 'Contacts', ['Last_Name', 'Email', 'Account_Name'], { Account_Name: 'Account_Name' });
    const plan = planRun([con, acc]);
    if (!plan.ok) throw new Error('refused');
    const accRows = rowsOf([
      ['Top', ''],
      ['Mid', 'Top'],
      ['Low', 'Mid'],
      ['Bad', ''],
    ]);
    // 5 contacts of in-run accounts (one of them the bad account), 2 of accounts only in the org.
    const conRows = rowsOf([
      ['a', 'a@x.test', 'Top'],
      ['b', 'b@x.test', 'Mid'],
      ['c', 'c@x.test', 'Low'],
      ['d', 'd@x.test', 'Top'],
      ['e', 'e@x.test', 'Bad'],
      ['f', 'f@x.test', 'Org Co'],
      ['g', 'g@x.test', ''],
    ]);
    const predicted = new Map<string, Map<number, RowState>>([
      ['acc', new Map([[3, { kind: 'not-written', predicted: true, reason: 'Phone: not a phone number' }]])],
    ]);
    const resolutions = resolveRun(plan.order, plan.links, (id) => (id === 'acc' ? accRows : conRows), predicted, 'will-write');
    const cost = runCost(plan.steps, resolutions, 3);
    expect(cost.steps.map((s) => [s.step.kind, s.step.module, s.rows, s.jobs])).toEqual([
      // Accounts: a group without the in-file parent (Top, Bad) and one with it omitted (Mid, Low): 2 jobs.
      ['write', 'Accounts', 4, 2],
      ['self-link', 'Accounts', 2, 1],
      // Contacts: 4 linked by id (2 jobs at 3 rows a job), 2 as they are (1 job); e is held.
      ['write', 'Contacts', 6, 3],
    ]);
    expect(cost).toMatchObject({ held: 1, jobs: 6, credits: 3000 });
  });
});

describe(`runCost properties (fast-check seed ${SEED})`, () => {
  it('the groups predicted before the run are the groups the run sends once the parents are written', () => {
    console.log(`fast-check seed ${SEED}`);
    const con = sourceOf('con', 'Contacts', ['Last_Name', 'Email', 'Account_Name'], { Account_Name: 'Account_Name' });
    const acc = sourceOf('acc', 'Accounts', ['Account_Name']);
    const plan = planRun([acc, con]);
    if (!plan.ok) throw new Error('refused');
    const arb = fc.record({ accounts: fc.integer({ min: 0, max: 6 }), names: fc.array(fc.integer({ min: -2, max: 8 }), { maxLength: 20 }) });
    fc.assert(
      fc.property(arb, ({ accounts, names }) => {
        const accRows = rowsOf(Array.from({ length: accounts }, (_, i) => [`N${i}`]));
        const conRows = rowsOf(names.map((n, i) => [`c${i}`, `c${i}@x.test`, n === -2 ? '' : `N${n}`]));
        const rowsBy = (id: string) => (id === 'acc' ? accRows : conRows);
        const before = resolveRun(plan.order, plan.links, rowsBy, new Map(), 'will-write').get('con');
        const written = new Map<string, Map<number, RowState>>([['acc', new Map(accRows.map((_, i) => [i, { kind: 'written', recordId: `${100 + i}` }]))]]);
        const during = resolveRun(plan.order, plan.links, rowsBy, written, 'not-yet').get('con');
        const shape = (r: typeof before) => r?.groups.map((g) => [g.modes, g.rows.map((x) => x.rowIndex)]);
        return JSON.stringify(shape(before)) === JSON.stringify(shape(during)) && before?.held.length === 0 && during?.held.length === 0;
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
