import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldOf } from '../fields/test-fields.ts';
import { sourceOf } from './multi-test-support.ts';
import { planRun, recordNoun, type RunSource } from './run-plan.ts';

const SEED = 115_001;

const accounts = () => sourceOf('acc', 'Accounts', ['Account_Name', 'Phone']);
const contacts = () => sourceOf('con', 'Contacts', ['Last_Name', 'Email', 'Account_Name'], { Account_Name: 'Account_Name' });
const deals = () => sourceOf('deal', 'Deals', ['Deal_Name', 'Account_Name', 'Contact_Name'], { Account_Name: 'Account_Name', Contact_Name: 'Email' });

describe('planRun', () => {
  it('reads the lookups from field metadata and writes parents first, whatever order the files come in', () => {
    const plan = planRun([deals(), contacts(), accounts()]);
    if (!plan.ok) throw new Error(plan.problems.map((p) => p.message).join('\n'));
    expect(plan.order).toEqual(['acc', 'con', 'deal']);
    expect(plan.steps.map((s) => `${s.kind}:${s.module}`)).toEqual(['write:Accounts', 'write:Contacts', 'write:Deals']);
    expect(plan.links.map((l) => `${l.childModule}.${l.apiName}→${l.parentModule}.${l.findBy}@${l.parentColumn}`).sort()).toEqual([
      'Contacts.Account_Name→Accounts.Account_Name@0',
      'Deals.Account_Name→Accounts.Account_Name@0',
      'Deals.Contact_Name→Contacts.Email@1',
    ]);
    // Contacts' Email is unique case-insensitive; Account_Name is not unique, so the emulator finds it exactly.
    expect(plan.links.find((l) => l.apiName === 'Contact_Name')?.caseSensitive).toBe(false);
    expect(plan.links.find((l) => l.childModule === 'Contacts')?.caseSensitive).toBe(true);
  });

  it('leaves lookups by record id, and lookups to modules no file writes, as ordinary org lookups', () => {
    const byId = sourceOf('con', 'Contacts', ['Last_Name', 'Account_Name'], { Account_Name: 'id' });
    const plan = planRun([byId, accounts()]);
    expect(plan.ok && plan.links).toEqual([]);
    const alone = planRun([contacts()]);
    expect(alone.ok && alone.links).toEqual([]);
  });

  it('refuses a cycle with a message naming the modules and the lookups that go round', () => {
    const a = sourceOf('a', 'Vendors', ['Name', 'Buyer'], { Buyer: 'Name' }, [
      fieldOf('Name', 'text'),
      fieldOf('Buyer', 'lookup', { lookup: { module: { api_name: 'Buyers' } } }),
    ]);
    const b = sourceOf('b', 'Buyers', ['Name', 'Vendor'], { Vendor: 'Name' }, [
      fieldOf('Name', 'text'),
      fieldOf('Vendor', 'lookup', { lookup: { module: { api_name: 'Vendors' } } }),
    ]);
    const plan = planRun([a, b, accounts()]);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]?.code).toBe('CYCLE');
    expect(plan.problems[0]?.message).toBe(
      'The lookups between Vendors, Buyers go round (Vendors → Buyers → Vendors: Vendors.Buyer → Buyers, Buyers.Vendor → Vendors), so no module can be written first. Unmap one of these lookup columns (or match it by record id) and link those records in Zoho CRM after the import.',
    );
  });

  it('writes a self-lookup in two passes: the insert, then the update of the lookup', () => {
    const acc = sourceOf('acc', 'Accounts', ['Account_Name', 'Parent_Account'], { Parent_Account: 'Account_Name' });
    const plan = planRun([contacts(), acc]);
    if (!plan.ok) throw new Error('refused');
    expect(plan.steps.map((s) => `${s.kind}:${s.module}`)).toEqual(['write:Accounts', 'self-link:Accounts', 'write:Contacts']);
    const self = plan.steps[1];
    expect(self?.kind === 'self-link' && self.link.self && self.link.column).toBe(1);
  });

  it('refuses a link whose key the parent file does not carry, and two files for one module', () => {
    const noKey = sourceOf('acc', 'Accounts', ['Phone']);
    const plan = planRun([contacts(), noKey]);
    expect(!plan.ok && plan.problems.map((p) => p.code)).toEqual(['PARENT_KEY_NOT_MAPPED']);
    expect(!plan.ok && plan.problems[0]?.message).toContain('no column of acc.csv is mapped to Account Name');
    const twice = planRun([accounts(), { ...accounts(), id: 'acc2', name: 'more.csv' }]);
    expect(!twice.ok && twice.problems[0]?.message).toContain('acc.csv and more.csv both go into Accounts');
  });

  it('names records in messages in the singular', () => {
    expect(['Accounts', 'Contacts', 'Deals', 'Price_Books', 'Opportunities', 'Sales_Orders', 'Leads', 'Status'].map(recordNoun)).toEqual([
      'account',
      'contact',
      'deal',
      'price book',
      'opportunity',
      'sales order',
      'lead',
      'status',
    ]);
  });
});

/** n custom modules M0…M(n-1), each with a Name and lookups to the given parents (by Name). */
function graphSources(n: number, edges: readonly (readonly [number, number])[]): RunSource[] {
  return Array.from({ length: n }, (_, i) => {
    const parents = [...new Set(edges.filter(([c]) => c === i).map(([, p]) => p))];
    const headers = ['Name', ...parents.map((p) => `To_${p}`)];
    const fields = [fieldOf('Name', 'text'), ...parents.map((p) => fieldOf(`To_${p}`, 'lookup', { lookup: { module: { api_name: `M${p}` } } }))];
    return sourceOf(`s${i}`, `M${i}`, headers, Object.fromEntries(parents.map((p) => [`To_${p}`, 'Name'])), fields);
  });
}

describe(`planRun properties (fast-check seed ${SEED})`, () => {
  it('every parent is written before each of its children, self-links right after their own write', () => {
    console.log(`fast-check seed ${SEED}`);
    const dag = fc.integer({ min: 1, max: 8 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        // An edge child → parent only from a later to an earlier rank (a DAG), plus optional self-lookups.
        rank: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
        edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 16 }),
        given: fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(dag, ({ n, rank, edges, given }) => {
        const pos = (m: number) => rank.indexOf(m);
        const dagEdges = edges.filter(([c, p]) => pos(c) >= pos(p));
        const all = graphSources(n, dagEdges);
        const plan = planRun(given.map((i) => all[i]!));
        if (!plan.ok) return false;
        const at = (id: string) => plan.steps.findIndex((s) => s.kind === 'write' && s.sourceId === id);
        for (const l of plan.links) {
          if (l.self) {
            const selfAt = plan.steps.findIndex((s) => s.kind === 'self-link' && s.link.apiName === l.apiName && s.sourceId === l.childId);
            if (selfAt !== at(l.childId) + 1 && plan.steps[selfAt - 1]?.kind !== 'self-link') return false;
          } else if (at(l.parentId) >= at(l.childId)) return false;
        }
        return plan.order.length === n && new Set(plan.order).size === n && plan.links.length === new Set(dagEdges.map(([c, p]) => `${c}-${p}`)).size;
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('a graph with a cycle is refused, and the cycle the message names is a real one', () => {
    const cyclic = fc.integer({ min: 2, max: 7 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        cycle: fc.shuffledSubarray([...Array(n).keys()], { minLength: 2, maxLength: n }),
        extra: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 10 }),
      }),
    );
    fc.assert(
      fc.property(cyclic, ({ n, cycle, extra }) => {
        const ring = cycle.map((c, i) => [c, cycle[(i + 1) % cycle.length]!] as const);
        const plan = planRun(graphSources(n, [...ring, ...extra]));
        if (plan.ok) return false;
        const problem = plan.problems.find((p) => p.code === 'CYCLE');
        if (problem === undefined) return false;
        const named = problem.sourceIds.map((id) => Number(id.slice(1)));
        const edgeSet = new Set([...ring, ...extra].map(([c, p]) => `${c}-${p}`));
        // Each named module looks up the next one, and the last the first.
        return (
          named.length >= 2 &&
          named.every((c, i) => edgeSet.has(`${c}-${named[(i + 1) % named.length]}`)) &&
          named.every((m) => problem.message.includes(`M${m}`))
        );
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
