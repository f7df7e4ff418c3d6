// Against the real emulator over HTTP: Accounts, Contacts and Deals in one run, parents first; every lookup points
// at the record its parent row got; a parent row that is skipped holds its children back with the reason, and once
// fixed they are sent and linked. A self-lookup is written in two passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import type { Connection } from '../api/connection.ts';
import { emulatorConnection } from '../api/emulator-test-support.ts';
import { fetchFields } from '../api/get-fields.ts';
import { fetchUsers } from '../api/get-users.ts';
import type { SourceRow } from '../domain/csv/types.ts';
import { fieldModelFromMeta } from '../domain/fields/field-model.ts';
import { emptyColumnMapping } from '../domain/mapping/mapping.ts';
import type { RowState } from '../domain/multi/linking.ts';
import { planRun, type RunSource } from '../domain/multi/run-plan.ts';
import { findMissingParents, missingParentsSource } from '../domain/multi/missing-parents.ts';
import { userIdColumn } from '../domain/org-check/users.ts';
import { createImportClient } from '../worker/import-client.ts';
import { historyStore } from './history-store.ts';
import { multiHistoryStore } from './multi-history-store.ts';
import { runMultiModule, type MultiRunInput } from './multi-run.ts';
import { runOrgCheck } from './org-check-run.ts';

let server: TestServer;
let conn: Connection;

beforeAll(async () => {
  server = await startTestServer();
  conn = emulatorConnection(server);
});
afterAll(async () => {
  await server.stop();
});

async function source(id: string, module: string, headers: string[], findBy: Record<string, string> = {}): Promise<RunSource> {
  const fields = (await fetchFields(conn, module)).map(fieldModelFromMeta);
  return {
    id,
    name: `${id}.csv`,
    module,
    operation: 'insert',
    fields,
    headers,
    mapping: { columns: headers.map((h, i) => ({ ...emptyColumnMapping(i), apiName: h, findBy: findBy[h] ?? null })), defaults: [] },
  };
}

const table = (cells: string[][]): SourceRow[] => cells.map((c, i) => ({ line: i + 2, cells: c }));

type Rec = Record<string, unknown> & { id: string };
async function records(module: string, fields: string): Promise<Rec[]> {
  const out: Rec[] = [];
  for (let page = 1; ; page++) {
    const r = await server.api('GET', `/crm/v8/${module}?fields=${fields}&per_page=200&page=${page}`);
    out.push(...((r.json.data ?? []) as Rec[]));
    if ((r.json.info as { more_records?: boolean } | undefined)?.more_records !== true) return out;
  }
}
const lookupId = (v: unknown): string | null => (v !== null && typeof v === 'object' && 'id' in v ? String(v.id) : null);

describe('runMultiModule (real emulator)', () => {
  it('writes Accounts 10, Contacts 30, Deals 15 parents first, every lookup pointing at the right record; a skipped account holds its children until fixed', async () => {
    const acc = await source('acc', 'Accounts', ['Account_Name', 'Annual_Revenue']);
    const con = await source('con', 'Contacts', ['Last_Name', 'Email', 'Account_Name'], { Account_Name: 'Account_Name' });
    const deal = await source('deal', 'Deals', ['Deal_Name', 'Stage', 'Account_Name', 'Contact_Name'], { Account_Name: 'Account_Name', Contact_Name: 'Email' });
    const plan = planRun([deal, con, acc]);
    if (!plan.ok) throw new Error(plan.problems.map((p) => p.message).join('\n'));

    // Account 3 (line 5) has a revenue that is not a number: Zoho skips it, so its contacts and their deals wait.
    const accRows = table(Array.from({ length: 10 }, (_, i) => [`MR Account ${i}`, i === 3 ? 'lots' : `${1000 * (i + 1)}`]));
    const conRows = table(Array.from({ length: 30 }, (_, i) => [`Person ${i}`, `p${i}@mr.example`, `MR Account ${i % 10}`]));
    const dealRows = table(Array.from({ length: 15 }, (_, i) => [`MR Deal ${i}`, 'Qualification', `MR Account ${(i + 1) % 10}`, `p${2 * i}@mr.example`]));
    const inputs: MultiRunInput[] = [
      { source: acc, rows: accRows },
      { source: con, rows: conRows },
      { source: deal, rows: dealRows },
    ];
    const steps: string[] = [];
    const out = await runMultiModule(plan.steps, plan.links, inputs, { conn, runId: 'mr-1', now: () => new Date(0), onStep: (s) => steps.push(s.module) });
    expect(steps).toEqual(['Accounts', 'Contacts', 'Deals']);
    // History holds the run as one group: each entry tagged with the run id, the order written and its plan step, and
    // the plan's steps all done (decision 120).
    const entries = historyStore.get().filter((r) => r.multiRun?.id === 'mr-1');
    expect(entries.map((r) => [r.module, r.multiRun?.order, r.multiRun?.step]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['Accounts', 0, 0],
      ['Contacts', 1, 1],
      ['Deals', 2, 2],
    ]);
    expect(multiHistoryStore.find('mr-1')?.steps.map((s) => [s.module, s.name, s.state, s.entries])).toEqual([
      ['Accounts', 'acc.csv', 'done', 1],
      ['Contacts', 'con.csv', 'done', 1],
      ['Deals', 'deal.csv', 'done', 1],
    ]);
    expect(multiHistoryStore.get().active.has('mr-1')).toBe(false);

    const accOut = out.get('acc')!;
    expect(accOut.result.counts).toMatchObject({ added: 9, skipped: 1 });
    const conOut = out.get('con')!;
    // Contacts 3, 13 and 23 name account 3.
    expect(conOut.held.map((h) => h.line)).toEqual([5, 15, 25]);
    expect(conOut.held[0]?.reasons[0]).toMatch(/^Account Name \(column 3\): its account, line 5 of Accounts, was not written \(.*Annual Revenue.*\)\.$/);
    expect(conOut.result.counts).toMatchObject({ added: 27, skipped: 0 });
    // Deals whose account is 3 (i = 2, 12) or whose contact is a held one (2i ∈ {3, 13, 23}: none is even).
    const dealOut = out.get('deal')!;
    expect(dealOut.held.map((h) => h.rowIndex)).toEqual([2, 12]);
    expect(dealOut.result.counts).toMatchObject({ added: 13, skipped: 0 });

    // The records API: every lookup points at the id its parent row got.
    const accIdByName = new Map(
      (await records('Accounts', 'Account_Name')).filter((r) => String(r.Account_Name).startsWith('MR ')).map((r) => [String(r.Account_Name), r.id]),
    );
    expect(accIdByName.size).toBe(9);
    const contacts = (await records('Contacts', 'Email,Account_Name')).filter((c) => String(c.Email).endsWith('@mr.example'));
    expect(contacts).toHaveLength(27);
    for (const c of contacts) {
      const i = Number(String(c.Email).slice(1, String(c.Email).indexOf('@')));
      expect(lookupId(c.Account_Name)).toBe(accIdByName.get(`MR Account ${i % 10}`));
    }
    const conIdByEmail = new Map(contacts.map((c) => [String(c.Email), c.id]));
    const deals = (await records('Deals', 'Deal_Name,Account_Name,Contact_Name')).filter((d) => String(d.Deal_Name).startsWith('MR Deal '));
    expect(deals).toHaveLength(13);
    for (const d of deals) {
      const i = Number(String(d.Deal_Name).slice('MR Deal '.length));
      expect(lookupId(d.Account_Name)).toBe(accIdByName.get(`MR Account ${(i + 1) % 10}`));
      expect(lookupId(d.Contact_Name)).toBe(conIdByEmail.get(`p${2 * i}@mr.example`));
    }

    // Fix account 3 and send it with the held rows only; the rest link to what the first run wrote.
    const fixed = accRows.map((r, i) => (i === 3 ? { ...r, cells: ['MR Account 3', '4000'] } : r));
    const known = new Map<string, Map<number, RowState>>();
    for (const [id, o] of out) {
      known.set(id, new Map(o.result.outcomes.filter((x) => x.recordId !== null).map((x) => [x.rowIndex, { kind: 'written', recordId: x.recordId ?? '' }])));
    }
    const again = await runMultiModule(
      plan.steps,
      plan.links,
      [
        { source: acc, rows: fixed, rowIndexes: [3] },
        { source: con, rows: conRows, rowIndexes: conOut.held.map((h) => h.rowIndex) },
        { source: deal, rows: dealRows, rowIndexes: dealOut.held.map((h) => h.rowIndex) },
      ],
      { conn, runId: 'mr-2', now: () => new Date(0), known },
    );
    expect([...again.values()].map((o) => [o.sourceId, o.result.counts.added, o.held.length])).toEqual([
      ['acc', 1, 0],
      ['con', 3, 0],
      ['deal', 2, 0],
    ]);
    const acc3 = (await records('Accounts', 'Account_Name')).find((r) => r.Account_Name === 'MR Account 3')?.id;
    const linked = (await records('Contacts', 'Email,Account_Name')).filter((c) => lookupId(c.Account_Name) === acc3).map((c) => c.Email);
    expect(linked.sort()).toEqual(['p13@mr.example', 'p23@mr.example', 'p3@mr.example']);
    const deal2 = (await records('Deals', 'Deal_Name,Account_Name,Contact_Name')).find((d) => d.Deal_Name === 'MR Deal 2');
    expect(lookupId(deal2?.Account_Name)).toBe(acc3);
    expect(lookupId(deal2?.Contact_Name)).toBe(conIdByEmail.get('p4@mr.example'));
  });

  it('links to the account this run wrote even when the org already has one of the same name', async () => {
    const acc = await source('acc2', 'Accounts', ['Account_Name']);
    const con = await source('con2', 'Contacts', ['Last_Name', 'Account_Name'], { Account_Name: 'Account_Name' });
    const plan = planRun([con, acc]);
    if (!plan.ok) throw new Error('refused');
    const first = await runMultiModule(
      plan.steps,
      plan.links,
      [
        { source: acc, rows: table([['Twin Co']]) },
        { source: con, rows: table([['Before']]) },
      ],
      {
        conn,
        runId: 'mr-twin-1',
        now: () => new Date(0),
      },
    );
    const out = await runMultiModule(
      plan.steps,
      plan.links,
      [
        { source: acc, rows: table([['Twin Co']]) },
        { source: con, rows: table([['Kay', 'Twin Co']]) },
      ],
      {
        conn,
        runId: 'mr-twin-2',
        now: () => new Date(0),
      },
    );
    const newId = out.get('acc2')?.result.outcomes.at(0)?.recordId;
    expect(newId).not.toBe(first.get('acc2')?.result.outcomes.at(0)?.recordId);
    const kay = (await records('Contacts', 'Last_Name,Account_Name')).find((c) => c.Last_Name === 'Kay');
    expect(lookupId(kay?.Account_Name)).toBe(newId);
  });

  it('writes a self-lookup in two passes: accounts first, then each Parent_Account set to the id its row got', async () => {
    const acc = await source('grp', 'Accounts', ['Account_Name', 'Parent_Account'], { Parent_Account: 'Account_Name' });
    const plan = planRun([acc]);
    if (!plan.ok) throw new Error('refused');
    const rows = table([
      ['SL Holding', ''],
      ['SL Sub A', 'SL Holding'],
      ['SL Sub C', 'SL Sub A'],
    ]);
    const out = await runMultiModule(plan.steps, plan.links, [{ source: acc, rows }], { conn, runId: 'mr-self', now: () => new Date(0) });
    expect(out.get('grp')?.result.counts.added).toBe(3);
    expect(out.get('grp')?.selfLink?.result.counts.updated).toBe(2);
    const byName = new Map((await records('Accounts', 'Account_Name,Parent_Account')).map((r) => [String(r.Account_Name), r]));
    expect(lookupId(byName.get('SL Sub A')?.Parent_Account)).toBe(byName.get('SL Holding')?.id);
    expect(lookupId(byName.get('SL Sub C')?.Parent_Account)).toBe(byName.get('SL Sub A')?.id);
    expect(byName.get('SL Holding')?.Parent_Account ?? null).toBeNull();
  });

  it('creates the accounts the org check finds missing first, in the same run, and links every contact (issue 11 item 3)', async () => {
    const seeded = await runMultiModule(
      [{ kind: 'write', sourceId: 'seed', module: 'Accounts' }],
      [],
      [{ source: await source('seed', 'Accounts', ['Account_Name']), rows: table([['MP Known One'], ['MP Known Two']]) }],
      { conn, runId: 'mp-seed', now: () => new Date(0) },
    );
    expect(seeded.get('seed')?.result.counts.added).toBe(2);
    const csv = 'Last_Name,Account_Name\r\nA1,MP Known One\r\nA2,MP New Alpha\r\nA3,MP New Beta\r\nA4,MP Known Two\r\nA5,MP New Alpha\r\nA6,MP New Gamma\r\n';
    const con = await source('mpc', 'Contacts', ['Last_Name', 'Account_Name'], { Account_Name: 'Account_Name' });
    const client = createImportClient({ inThread: true });
    const parsed = await client.openFile(new Blob([csv]));
    const check = await runOrgCheck({
      connection: conn,
      client,
      module: 'Contacts',
      operation: 'insert',
      findBy: null,
      ignoreEmpty: false,
      mapping: con.mapping,
      fields: con.fields,
      excluded: [],
      table: parsed,
      pollDelay: () => 5,
    });
    if (check.kind !== 'done') throw new Error(check.kind === 'failed' ? check.message : check.kind);
    const missing = findMissingParents(con, parsed.rows, (i) => check.result.row(i));
    client.dispose();
    expect(missing.map((m) => [m.parentModule, m.names, m.rowIndexes])).toEqual([['Accounts', ['MP New Alpha', 'MP New Beta', 'MP New Gamma'], [1, 2, 4, 5]]]);
    const parents = missingParentsSource(missing[0]!, (await fetchFields(conn, 'Accounts')).map(fieldModelFromMeta), 'mpa', 'contacts.csv');
    if (!parents.ok) throw new Error(parents.message);
    const plan = planRun([con, parents.source]);
    if (!plan.ok) throw new Error(plan.problems.map((p) => p.message).join('\n'));
    const out = await runMultiModule(
      plan.steps,
      plan.links,
      [
        { source: parents.source, rows: parents.rows },
        { source: con, rows: parsed.rows },
      ],
      { conn, runId: 'mp-run', now: () => new Date(0) },
    );
    expect(out.get('mpa')?.result.counts.added).toBe(3);
    expect(out.get('mpc')?.result.counts).toMatchObject({ added: 6, skipped: 0 });
    const accounts = new Map(
      (await records('Accounts', 'Account_Name')).filter((r) => String(r.Account_Name).startsWith('MP ')).map((r) => [String(r.Account_Name), r.id]),
    );
    expect(accounts.size).toBe(5);
    const contacts = (await records('Contacts', 'Last_Name,Account_Name')).filter((c) => /^A\d$/.test(String(c.Last_Name)));
    const expected: Record<string, string> = {
      A1: 'MP Known One',
      A2: 'MP New Alpha',
      A3: 'MP New Beta',
      A4: 'MP Known Two',
      A5: 'MP New Alpha',
      A6: 'MP New Gamma',
    };
    expect(Object.fromEntries(contacts.map((c) => [String(c.Last_Name), lookupId(c.Account_Name)]))).toEqual(
      Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, accounts.get(v)])),
    );
  });

  it('called again with the same run id (a resumed run), it creates no job twice and reads the same results back', async () => {
    const acc = await source('racc', 'Accounts', ['Account_Name']);
    const con = await source('rcon', 'Contacts', ['Last_Name', 'Account_Name'], { Account_Name: 'Account_Name' });
    const plan = planRun([con, acc]);
    if (!plan.ok) throw new Error('refused');
    const inputs: MultiRunInput[] = [
      { source: acc, rows: table([['RS One'], ['RS Two']]) },
      {
        source: con,
        rows: table([
          ['RS-a', 'RS One'],
          ['RS-b', 'RS Two'],
          ['RS-c', 'Nowhere Inc'],
        ]),
      },
    ];
    const deps = { conn, runId: 'mr-resume', now: () => new Date(0) };
    const first = await runMultiModule(plan.steps, plan.links, inputs, deps);
    const again = await runMultiModule(plan.steps, plan.links, inputs, deps);
    const ids = (m: typeof first) => [...m.values()].map((o) => [o.sourceId, o.runIds, o.result.outcomes.map((x) => [x.status, x.recordId])]);
    expect(ids(again)).toEqual(ids(first));
    expect((await records('Accounts', 'Account_Name')).filter((r) => String(r.Account_Name).startsWith('RS '))).toHaveLength(2);
    expect((await records('Contacts', 'Last_Name')).filter((r) => String(r.Last_Name).startsWith('RS-'))).toHaveLength(2);
  });

  it('holds a child whose parent row is left out of the run (excluded), saying so', async () => {
    const acc = await source('xacc', 'Accounts', ['Account_Name']);
    const con = await source('xcon', 'Contacts', ['Last_Name', 'Account_Name'], { Account_Name: 'Account_Name' });
    const plan = planRun([con, acc]);
    if (!plan.ok) throw new Error('refused');
    const out = await runMultiModule(
      plan.steps,
      plan.links,
      [
        { source: acc, rows: table([['XL Kept'], ['XL Excluded']]), rowIndexes: [0] },
        {
          source: con,
          rows: table([
            ['XL-a', 'XL Kept'],
            ['XL-b', 'XL Excluded'],
          ]),
        },
      ],
      { conn, runId: 'mr-excluded', now: () => new Date(0) },
    );
    expect(out.get('xcon')?.result.counts.added).toBe(1);
    expect(out.get('xcon')?.held).toEqual([
      { rowIndex: 1, line: 3, reasons: ['Account Name (column 2): its account, line 3 of Accounts, was not written (it is left out of this run).'] },
    ]);
  });

  it('sends Owner cells of a run as user ids, as a single import does: e-mail in any case → the user; an unknown one is skipped by Zoho', async () => {
    const users = (await fetchUsers(conn)).filter((u) => u.status === 'active');
    const [first, second] = users;
    if (!first || !second) throw new Error('the emulator seeds at least two active users');
    const acc = await source('oacc', 'Accounts', ['Account_Name']);
    const con = await source('ocon', 'Contacts', ['Last_Name', 'Email', 'Account_Name', 'Owner'], { Account_Name: 'Account_Name', Owner: 'email' });
    const plan = planRun([con, acc]);
    if (!plan.ok) throw new Error(plan.problems.map((p) => p.message).join('\n'));
    const conRows = table([
      ['Owned A', 'owned.a@ow.example', 'OW Account', first.email],
      ['Owned B', 'owned.b@ow.example', 'OW Account', second.email.toUpperCase()],
      ['Owned C', 'owned.c@ow.example', 'OW Account', 'nobody@ow.example'],
    ]);
    const ownerColumn = userIdColumn(
      3,
      conRows.map((r) => r.cells[3] ?? ''),
      users,
    );
    const out = await runMultiModule(
      plan.steps,
      plan.links,
      [
        { source: acc, rows: table([['OW Account']]) },
        { source: con, rows: conRows, userIds: [ownerColumn] },
      ],
      { conn, runId: 'mr-owner', now: () => new Date(0) },
    );
    expect(out.get('ocon')?.result.counts).toMatchObject({ added: 2, skipped: 1 });
    const contacts = (await records('Contacts', 'Email,Owner,Account_Name')).filter((r) => String(r.Email).endsWith('@ow.example'));
    const byEmail = new Map(contacts.map((r) => [String(r.Email), r]));
    expect(lookupId(byEmail.get('owned.a@ow.example')?.Owner)).toBe(first.id);
    expect(lookupId(byEmail.get('owned.b@ow.example')?.Owner)).toBe(second.id);
    expect(byEmail.has('owned.c@ow.example')).toBe(false);
    const account = (await records('Accounts', 'Account_Name')).find((r) => r.Account_Name === 'OW Account');
    expect(lookupId(byEmail.get('owned.a@ow.example')?.Account_Name)).toBe(account?.id);
  });
});
