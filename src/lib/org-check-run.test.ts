// The org check end to end against the REAL emulator over HTTP, with the in-thread import client (the same session
// code the Web Worker runs): users, Bulk Read jobs with paging, the snapshot in the worker, per-row predictions,
// the diff, and every failure the check must survive (FAILURE, 429 on the download, token expiry, cancel, an empty
// module). Each failure leaves no snapshot behind (a re-prediction answers null).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import type { Connection } from '../api/connection.ts';
import { emulatorConnection } from '../api/emulator-test-support.ts';
import { fetchFields } from '../api/get-fields.ts';
import { fetchUsers } from '../api/get-users.ts';
import { fieldModelFromMeta, type FieldModel } from '../domain/fields/field-model.ts';
import { assignColumn, emptyMapping, updateColumn, type Mapping } from '../domain/mapping/mapping.ts';
import type { OrgUser } from '../domain/org-check/types.ts';
import { createImportClient, type ImportClient } from '../worker/import-client.ts';
import { repredictOrg, runOrgCheck, type OrgCheckParams, type OrgCheckProgress } from './org-check-run.ts';

let server: TestServer;
let conn: Connection;
let contacts: FieldModel[];
let users: OrgUser[];
const fast = () => 5;

/** Runs one Bulk Write job on `module` straight through the emulator (seeding the org). */
async function seed(module: string, csv: string, mappings: { api_name: string; index: number }[], operation = 'insert'): Promise<void> {
  const fileId = await server.uploadCsv(csv);
  const created = await server.createJob({ operation, resource: [{ type: 'data', module: { api_name: module }, file_id: fileId, field_mappings: mappings }] });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const details = await server.waitJob((created.json.details as { id: string }).id);
  expect(details.status).toBe('COMPLETED');
}

/** The id the emulator's store gave the contact with this e-mail (read from the real SQLite store). */
function recordIdByEmail(email: string): string {
  const row = server.emulator.db.prepare(`SELECT id FROM records WHERE module = 'Contacts' AND json_extract(data, '$.Email') = ?`).get(email) as
    { id: string } | undefined;
  return row?.id ?? '';
}

function mapColumns(n: number, cols: Record<number, string>, patch: Record<number, Partial<Mapping['columns'][number]>> = {}): Mapping {
  let m = emptyMapping(n);
  for (const [c, api] of Object.entries(cols)) m = assignColumn(m, Number(c), api).mapping;
  for (const [c, p] of Object.entries(patch)) m = updateColumn(m, Number(c), p);
  return m;
}

async function open(client: ImportClient, csv: string) {
  return client.openFile(new Blob([csv]));
}

function params(client: ImportClient, p: Partial<OrgCheckParams> & Pick<OrgCheckParams, 'mapping' | 'operation'>): OrgCheckParams {
  return { connection: conn, client, module: 'Contacts', findBy: null, ignoreEmpty: false, fields: contacts, excluded: [], pollDelay: fast, ...p };
}

beforeAll(async () => {
  server = await startTestServer();
  conn = emulatorConnection(server);
  contacts = (await fetchFields(conn, 'Contacts')).map(fieldModelFromMeta);
  users = await fetchUsers(conn);
  await seed(
    'Contacts',
    'Last_Name,Email,Title\r\nAda,ada@org.example,CEO\r\nBea,bea@org.example,CTO\r\nCyd,cyd@org.example,CFO\r\nDee,dee@org.example,COO\r\n',
    [
      { api_name: 'Last_Name', index: 0 },
      { api_name: 'Email', index: 1 },
      { api_name: 'Title', index: 2 },
    ],
  );
  await seed('Accounts', 'Account_Name\r\nAcme Corp\r\nGlobex\r\n', [{ api_name: 'Account_Name', index: 0 }]);
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  await server.api('POST', '/__emulator/admin/bulk-read', {
    page_size: 200_000,
    fail_next: 0,
    downloads_per_minute: 1000,
    cut_next: 0,
    hold_after: -1,
    page_tokens: true,
  });
});

describe('runOrgCheck (real emulator, in-thread worker session)', () => {
  it('insert: rows whose e-mail the org holds are predicted skipped, naming the record and the field', async () => {
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nNew1,new1@org.example\r\nAda2,ADA@org.example\r\nNew2,new2@org.example\r\nBea2,bea@org.example\r\n');
    const progress: OrgCheckProgress[] = [];
    const out = await runOrgCheck(params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table }), {
      onProgress: (p) => progress.push(p),
    });
    expect(out.kind, out.kind === 'failed' ? out.message : '').toBe('done');
    if (out.kind !== 'done') return;
    const r = out.result;
    expect(r.counts).toMatchObject({ add: 2, update: 0, skip: 2 });
    expect([0, 1, 2, 3].map((i) => r.outcomeOf(i))).toEqual(['add', 'skip', 'add', 'skip']);
    const ada = recordIdByEmail('ada@org.example');
    expect(ada).toMatch(/^\d+$/);
    expect(r.row(1)).toMatchObject({ outcome: 'skip', recordId: ada, errors: [{ code: 'DUPLICATE_DATA', apiName: 'Email' }] });
    expect(r.row(1).reason).toContain(`record ${ada}`);
    const issues: { row: number; column: number | null; message: string }[] = [];
    r.forEachIssue((i) => issues.push(i));
    expect(issues.map((i) => [i.row, i.column])).toEqual([
      [1, 1],
      [3, 1],
    ]);
    expect(issues[0]!.message).toContain(ada);
    expect(out.stats).toMatchObject({ jobs: 1, credits: 50 });
    expect(progress.some((p) => p.phase === 'download')).toBe(true);
    client.dispose();
  });

  it('update by Email: unmatched rows are RESOURCE_NOT_FOUND, matched rows show old → new, ignore_empty never clears', async () => {
    const client = createImportClient({ inThread: true });
    const table = await open(
      client,
      'Email,Title,Last_Name\r\nada@org.example,Chief Executive,Ada\r\nbea@org.example,CTO,Bea\r\nnobody@org.example,X,Nob\r\ncyd@org.example,,Cyd\r\n ghost@org.example ,Y,Gho\r\n',
    );
    const mapping = mapColumns(3, { 0: 'Email', 1: 'Title', 2: 'Last_Name' });
    const out = await runOrgCheck(params(client, { operation: 'update', findBy: 'Email', ignoreEmpty: true, mapping, table }));
    expect(out.kind, out.kind === 'failed' ? out.message : '').toBe('done');
    if (out.kind !== 'done') return;
    const r = out.result;
    expect(r.counts).toMatchObject({ add: 0, update: 3, skip: 2, unchanged: 2 });
    expect(r.row(2)).toMatchObject({ outcome: 'skip', errors: [{ code: 'RESOURCE_NOT_FOUND', apiName: 'Email' }] });
    expect(r.changesOf(0)).toEqual([{ apiName: 'Title', column: 1, old: 'CEO', new: 'Chief Executive' }]);
    // Row 3's Title is empty and ignore_empty is on: not a change (it would read "CFO → (empty)" otherwise).
    expect(r.changesOf(3)).toEqual([]);
    expect(Array.from(r.unchangedRows)).toEqual([1, 3]);
    expect(Array.from(r.changedRows)).toEqual([0]);
    expect(r.changeCounts).toEqual([{ apiName: 'Title', label: 'Title', count: 1 }]);

    // Excluding the unchanged rows and re-predicting reads nothing from the org and lowers what is sent.
    const again = await repredictOrg({
      ...params(client, { operation: 'update', findBy: 'Email', ignoreEmpty: true, mapping }),
      excluded: Array.from(r.unchangedRows),
    });
    expect(again?.counts).toMatchObject({ update: 1, skip: 2, excluded: 2 });

    // A new import (another file opened) drops the snapshot: nothing of the org outlives the import it was read for.
    await open(client, 'Email,Title,Last_Name\r\nada@org.example,X,Ada\r\n');
    expect(await repredictOrg(params(client, { operation: 'update', findBy: 'Email', mapping }))).toBeNull();
    client.dispose();
  });

  it('update by record id: a unique value one row gives up is free for a later row, one it takes is not — as the emulator decides', async () => {
    await seed('Contacts', 'Last_Name,Email\r\nMov1,mov1@org.example\r\nMov2,mov2@org.example\r\n', [
      { api_name: 'Last_Name', index: 0 },
      { api_name: 'Email', index: 1 },
    ]);
    const one = recordIdByEmail('mov1@org.example');
    const two = recordIdByEmail('mov2@org.example');
    // Row 1 frees mov1 (Mov1 → mov3); row 2 takes it (Mov2 → mov1) and frees mov2; row 3 takes mov2 (Mov1 → mov2);
    // row 4 asks for mov2 again for Mov2, which Mov1 now holds.
    const csv = `id,Email\r\n${one},mov3@org.example\r\n${two},mov1@org.example\r\n${one},mov2@org.example\r\n${two},MOV2@org.example\r\n`;
    const client = createImportClient({ inThread: true });
    const table = await open(client, csv);
    const mapping = mapColumns(2, { 0: 'id', 1: 'Email' });
    const out = await runOrgCheck(params(client, { operation: 'update', findBy: 'id', mapping, table }));
    expect(out.kind, out.kind === 'failed' ? out.message : '').toBe('done');
    if (out.kind !== 'done') return;
    const predicted = [0, 1, 2, 3].map((i) => [out.result.outcomeOf(i), out.result.errorsOf(i).map((e) => `${e.code}-${e.apiName}`)]);
    expect(predicted).toEqual([
      ['update', []],
      ['update', []],
      ['update', []],
      ['skip', ['DUPLICATE_DATA-Email']],
    ]);
    const sent = await server.runJob(
      csv,
      { operation: 'update' },
      {
        find_by: 'id',
        field_mappings: [
          { api_name: 'id', index: 0 },
          { api_name: 'Email', index: 1 },
        ],
      },
    );
    const st = sent.result.header.indexOf('STATUS');
    const er = sent.result.header.indexOf('ERRORS');
    expect(sent.result.rows.map((r) => [r[st], r[er]])).toEqual([
      ['UPDATED', ''],
      ['UPDATED', ''],
      ['UPDATED', ''],
      ['SKIPPED', 'DUPLICATE_DATA-Email'],
    ]);
    client.dispose();
  });

  it('upsert: "updates record N" against "adds a new record"', async () => {
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Email,Last_Name\r\ndee@org.example,Dee\r\nfresh@org.example,Fresh\r\n');
    const out = await runOrgCheck(params(client, { operation: 'upsert', findBy: 'Email', mapping: mapColumns(2, { 0: 'Email', 1: 'Last_Name' }), table }));
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    const dee = recordIdByEmail('dee@org.example');
    expect(out.result.row(0)).toMatchObject({ outcome: 'update', recordId: dee });
    expect(out.result.row(0).reason).toContain(`record ${dee}`);
    expect(out.result.row(1)).toMatchObject({ outcome: 'add', recordId: null });
    expect(out.result.row(1).reason).toContain('Adds a new record');
    client.dispose();
  });

  it('owners by e-mail: an unknown and an inactive user are flagged, a differently cased e-mail resolves', async () => {
    const client = createImportClient({ inThread: true });
    const inactive = users.find((u) => u.status !== 'active')!;
    const active = users.find((u) => u.status === 'active' && u.email.startsWith('aisha'))!;
    const table = await open(
      client,
      `Last_Name,Owner\r\nOne,${active.email}\r\nTwo,nobody@zylker.example\r\nThree,${inactive.email}\r\nFour,${active.email.toUpperCase()}\r\nFive,${active.email.replace('@', ' @')}\r\n`,
    );
    const out = await runOrgCheck(
      params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Owner' }, { 1: { findBy: 'email' } }), table }),
    );
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    const r = out.result;
    expect([0, 1, 2, 3, 4].map((i) => r.outcomeOf(i))).toEqual(['add', 'skip', 'skip', 'add', 'skip']);
    expect(r.row(1).errors).toEqual([{ code: 'INVALID_DATA', apiName: 'Owner' }]);
    const messages: string[] = [];
    r.forEachIssue((i) => messages.push(`${i.row}:${i.message}`));
    expect(messages.find((m) => m.startsWith('1:'))).toContain('No user');
    expect(messages.find((m) => m.startsWith('2:'))).toContain('inactive');
    // A differently cased e-mail is the same user; one with a space inside names no user (a near match), sent as it is.
    expect(r.row(4).errors).toEqual([{ code: 'INVALID_DATA', apiName: 'Owner' }]);
    client.dispose();
  });

  it('owners by full name and by e-mail with spaces around it are sent as ids: predicted written, the change shown (decision 175)', async () => {
    const client = createImportClient({ inThread: true });
    const aisha = users.find((u) => u.status === 'active' && u.email.startsWith('aisha'))!;
    const ada = recordIdByEmail('ada@org.example');
    const before = await server.api('GET', `/crm/v8/Contacts/${ada}`);
    const owner = (before.json.data as { Owner: { id: string } }[])[0]!.Owner.id;
    const table = await open(
      client,
      `Email,Owner\r\nada@org.example,${aisha.fullName}\r\nbea@org.example, ${aisha.email} \r\ncyd@org.example,Nobody Atall\r\n`,
    );
    const mapping = mapColumns(2, { 0: 'Email', 1: 'Owner' }, { 1: { findBy: 'email' } });
    const out = await runOrgCheck(params(client, { operation: 'update', findBy: 'Email', mapping, table }));
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    const r = out.result;
    expect([0, 1, 2].map((i) => r.outcomeOf(i))).toEqual(['update', 'update', 'skip']);
    // Without sending names as ids, rows 0 and 1 were predicted skipped (the e-mail form) and Zoho wrote them.
    expect(owner).not.toBe(aisha.id);
    // Shown by name (the comparison is by id): "Patricia Boyle → Aisha Khan", not two 19-digit ids.
    const ownerName = users.find((u) => u.id === owner)!.fullName;
    expect(r.changesOf(0)).toEqual([{ apiName: 'Owner', column: 1, old: ownerName, new: aisha.fullName }]);
    const messages: string[] = [];
    r.forEachIssue((i) => messages.push(`${i.row}:${i.message}`));
    expect(messages.find((m) => m.startsWith('2:'))).toMatch(/No user of this Zoho CRM org has the name Nobody Atall/);
    client.dispose();
  });

  it('the users the import sends by are the ones judged: when the wizard could not read them, cells are predicted as they go (no ids)', async () => {
    const client = createImportClient({ inThread: true });
    const aisha = users.find((u) => u.status === 'active' && u.email.startsWith('aisha'))!;
    const table = await open(client, `Last_Name,Owner\r\nA,${aisha.fullName}\r\nB,${aisha.email}\r\n`);
    const mapping = mapColumns(2, { 0: 'Last_Name', 1: 'Owner' }, { 1: { findBy: 'email' } });
    // users: null — the Map step's read failed, so the wizard sends the cells as they stand, found by e-mail: a full
    // name then names no user (skipped), an e-mail is Zoho's to resolve (not judged here).
    const out = await runOrgCheck(params(client, { operation: 'insert', mapping, table, users: null }));
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    expect([0, 1].map((i) => out.result.outcomeOf(i))).toEqual(['skip', 'add']);
    // Given the list, the check judges by it (without reading its own): the name resolves, as the wizard sends its id.
    const given = await runOrgCheck(params(client, { operation: 'insert', mapping, table, users }));
    if (given.kind !== 'done') throw new Error(given.kind === 'failed' ? given.message : given.kind);
    expect([0, 1].map((i) => given.result.outcomeOf(i))).toEqual(['add', 'add']);
    client.dispose();
  });

  it('two rows updating the same record: the later one is warned which row came first, and both are predicted as updates', async () => {
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Email,Title\r\nada@org.example,Chair\r\nbea@org.example,CTO\r\nADA@org.example,President\r\n');
    const out = await runOrgCheck(params(client, { operation: 'update', findBy: 'Email', mapping: mapColumns(2, { 0: 'Email', 1: 'Title' }), table }));
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    const r = out.result;
    expect([0, 1, 2].map((i) => r.outcomeOf(i))).toEqual(['update', 'update', 'update']);
    const found: string[] = [];
    r.forEachIssue((i) => found.push(`${i.row}:${i.code}:${i.severity}:${i.message}`));
    expect(found).toEqual([
      `2:SAME_RECORD:warning:An earlier row of this file (line 2) updates the same Contacts record ${recordIdByEmail('ada@org.example')}: Zoho writes the rows in order, so where they differ this row's values replace that row's. Keep one row per record, or exclude the one you do not want.`,
    ]);
    client.dispose();
  });

  it('What will change names a linked account found by name (the comparison is by its id)', async () => {
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Email,Account_Name\r\ncyd@org.example,Globex\r\n');
    const mapping = mapColumns(2, { 0: 'Email', 1: 'Account_Name' }, { 1: { findBy: 'Account_Name' } });
    const out = await runOrgCheck(params(client, { operation: 'update', findBy: 'Email', mapping, table }));
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    expect(out.result.outcomeOf(0)).toBe('update');
    expect(out.result.changesOf(0)).toEqual([{ apiName: 'Account_Name', column: 1, old: '', new: 'Globex' }]);
    client.dispose();
  });

  it('a lookup to an account that does not exist is flagged before sending; a case/space near match is offered', async () => {
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Account_Name\r\nA,Acme Corp\r\nB,Umbrella Missing\r\nC,acme  corp\r\n');
    const mapping = mapColumns(2, { 0: 'Last_Name', 1: 'Account_Name' }, { 1: { findBy: 'Account_Name' } });
    const out = await runOrgCheck(params(client, { operation: 'insert', mapping, table }));
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    const r = out.result;
    expect(out.result.plan.modules.map((m) => [m.module, m.fields])).toEqual([
      ['Contacts', []],
      ['Accounts', ['Account_Name']],
    ]);
    // Nothing of Contacts can collide (no match field, no unique field mapped): only Accounts is read.
    expect(out.stats.jobs).toBe(1);
    expect([0, 1, 2].map((i) => r.outcomeOf(i))).toEqual(['add', 'skip', 'skip']);
    expect(r.row(1).errors).toEqual([{ code: 'INVALID_DATA', apiName: 'Account_Name' }]);
    const msgs: string[] = [];
    const codes: string[] = [];
    r.forEachIssue((i) => {
      msgs.push(i.message);
      codes.push(`${i.row}:${i.code}`);
    });
    expect(msgs[0]).toContain('Umbrella Missing');
    // A value the org has under another spelling is a near match, not a missing record ("Create … first" skips it).
    expect(codes).toEqual(['1:INVALID_DATA', '2:NEAR_MATCH']);
    expect(msgs[1]).toContain('The org has "Acme Corp"');
    expect(r.fixes[0]!.preview).toEqual([{ row: 2, before: 'acme  corp', after: 'Acme Corp' }]);
    client.dispose();
  });

  it('pages through next_page_token: a 2-record page size reads every record with one job per page', async () => {
    await server.api('POST', '/__emulator/admin/bulk-read', { page_size: 2 });
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nX,dee@org.example\r\n');
    const out = await runOrgCheck(params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table }));
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    const total = out.result.orgRecords.Contacts!;
    expect(total).toBeGreaterThanOrEqual(4);
    expect(out.stats.jobs).toBe(Math.ceil(total / 2));
    expect(out.stats.credits).toBe(out.stats.jobs * 50);
    // dee is on the last page: still found.
    expect(out.result.outcomeOf(0)).toBe('skip');
    client.dispose();
  });

  it('pages by number when a result says more_records without a next_page_token: every record is read', async () => {
    // Without the fallback the check read only the first 2-record page and predicted dee's row as a new record.
    await server.api('POST', '/__emulator/admin/bulk-read', { page_size: 2, page_tokens: false });
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nX,dee@org.example\r\n');
    const out = await runOrgCheck(params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table }));
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    const total = out.result.orgRecords.Contacts!;
    const all = await server.api('GET', '/crm/v8/Contacts?fields=Email&per_page=200');
    expect(total).toBe((all.json.data as unknown[]).length);
    expect(out.stats.jobs).toBe(Math.ceil(total / 2));
    expect(out.result.outcomeOf(0)).toBe('skip');
    client.dispose();
  });

  it('without page tokens, a module of more pages than Zoho numbers stops the check with words rather than read part of it', async () => {
    // 51 Leads one a page: pages 1…50 can be asked for by number, the 51st only by a token Zoho did not give.
    const seeded = await server.api('POST', '/__emulator/admin/seed-records', { module: 'Leads', count: 51 });
    expect(seeded.status).toBe(200);
    await server.api('POST', '/__emulator/admin/bulk-read', { page_size: 1, page_tokens: false });
    const leads = (await fetchFields(conn, 'Leads')).map(fieldModelFromMeta);
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nX,x@org.example\r\n');
    const out = await runOrgCheck(
      params(client, { module: 'Leads', fields: leads, operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table }),
    );
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') expect(out.message).toMatch(/Zoho said Leads has more records after page 50 but gave no page token/);
    expect(out.stats.jobs).toBe(50);
    // Nothing half-read is kept: a re-prediction finds no snapshot.
    expect(
      await repredictOrg(
        params(client, { module: 'Leads', fields: leads, operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table }),
      ),
    ).toBeNull();
    client.dispose();
  });

  it('a page whose ZIP is broken stops the check with words, though the next page was asked for meanwhile', async () => {
    // One record a page: the first page's result is cut in half (a complete answer), read by the worker while the
    // next page's job is polled and downloaded.
    await server.api('POST', '/__emulator/admin/bulk-read', { page_size: 1, cut_next: 1 });
    const bulkReads = () => (server.emulator.db.prepare('SELECT COUNT(*) AS n FROM bulk_reads').get() as { n: number }).n;
    const before = bulkReads();
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nX,dee@org.example\r\n');
    const p = params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table });
    const out = await runOrgCheck(p);
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') {
      expect(out.message).toMatch(/The Bulk Read result of Contacts (was cut short|is not a readable ZIP)/);
      expect(out.message).toContain('Run the check again');
    }
    // Stopped before a third job was asked for (the emulator's own count, a moment later, so a request still on its
    // way is seen): the second, asked for while the first page downloaded, is the one job ahead, as without the overlap.
    const records = (server.emulator.db.prepare(`SELECT COUNT(*) AS n FROM records WHERE module = 'Contacts'`).get() as { n: number }).n;
    expect(records).toBeGreaterThanOrEqual(4);
    await new Promise((r) => setTimeout(r, 300));
    expect(bulkReads() - before).toBe(2);
    expect(out.stats.jobs).toBe(2);
    expect(await repredictOrg(p)).toBeNull();
    client.dispose();
  });

  it('a page that cannot be read stops the check at once, not after Zoho has prepared the next page', async () => {
    // The first page's ZIP is cut in half; the next page's job (asked for while the first downloaded) stays IN
    // PROGRESS for as long as the emulator holds it: the check must not wait for it to name the broken page.
    await server.api('POST', '/__emulator/admin/bulk-read', { page_size: 1, cut_next: 1, hold_after: 1 });
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nX,dee@org.example\r\n');
    const p = params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table });
    const out = await runOrgCheck(p);
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') expect(out.message).toMatch(/The Bulk Read result of Contacts (was cut short|is not a readable ZIP)/);
    expect(out.stats.jobs).toBe(2);
    const states = server.emulator.db.prepare('SELECT state FROM bulk_reads ORDER BY created_time DESC, id DESC').all() as { state: string }[];
    expect(states[0]!.state).toBe('IN PROGRESS');
    expect(await repredictOrg(p)).toBeNull();
    await server.api('POST', '/__emulator/admin/bulk-read', { hold_after: -1 });
    client.dispose();
  });

  it('a Bulk Read FAILURE ends the check with words, and no snapshot is left behind', async () => {
    await server.api('POST', '/__emulator/admin/bulk-read', { fail_next: 1 });
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nX,x@org.example\r\n');
    const p = params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table });
    const out = await runOrgCheck(p);
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') {
      expect(out.message).toMatch(/Zoho could not read Contacts \(Bulk Read job \d+ failed/);
      expect(out.message).toMatch(/Run the check again later\.$/);
    }
    expect(await repredictOrg(p)).toBeNull();
    client.dispose();
  });

  it('token expiry mid-check: the message asks to sign in again', async () => {
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nX,x@org.example\r\n');
    let calls = 0;
    const expiring: Connection = { ...conn, getToken: () => (++calls <= 2 ? server.token : null) };
    const authErrors: (string | null)[] = [];
    const p = params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table });
    const out = await runOrgCheck({ ...p, connection: { ...expiring, onAuthError: (c) => authErrors.push(c) } });
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') expect(out.message).toMatch(/sign-in is no longer valid.*Sign in again/);
    expect(authErrors).toEqual(['NO_TOKEN']);
    expect(await repredictOrg(p)).toBeNull();
    client.dispose();
  });

  it('429 on the download: the wait is reported, and cancelling during it stops the check cleanly', async () => {
    // Two-record pages and one download a minute: the second page's download is refused with 429.
    await server.api('POST', '/__emulator/admin/bulk-read', { page_size: 2, downloads_per_minute: 1 });
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nX,x@org.example\r\n');
    const ctrl = new AbortController();
    const waits: string[] = [];
    const p = params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table });
    const out = await runOrgCheck(p, {
      signal: ctrl.signal,
      onProgress: (pr) => {
        if (pr.phase === 'download' && pr.message.includes('limits Bulk Read downloads')) {
          waits.push(pr.message);
          ctrl.abort();
        }
      },
    });
    expect(waits[0]).toMatch(/waiting \d+ s/);
    expect(out.kind).toBe('cancelled');
    expect(await repredictOrg(p)).toBeNull();
    client.dispose();
  });

  it('the import worker going away while a page is read ends the check as cancelled, not as a broken page', async () => {
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nX,x@org.example\r\n');
    const p = params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table });
    let disposed = false;
    const out = await runOrgCheck(p, {
      onProgress: (pr) => {
        if (pr.phase === 'index' && !disposed) {
          disposed = true;
          client.dispose();
        }
      },
    });
    expect(disposed).toBe(true);
    expect(out.kind, out.kind === 'failed' ? out.message : '').toBe('cancelled');
  });

  it('429 when reading the users: waited out and read again, with the wait shown; the check goes on', async () => {
    const client = createImportClient({ inThread: true });
    const active = users.find((u) => u.status === 'active')!;
    const table = await open(client, `Last_Name,Owner\r\nX,${active.email}\r\n`);
    // Nothing of Contacts can collide here: the users are the check's only read, so the first request is theirs.
    await server.api('POST', '/__emulator/admin/throttle', { count: 1, retry_after: 0 });
    const seen: string[] = [];
    const out = await runOrgCheck(
      params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Owner' }, { 1: { findBy: 'email' } }), table }),
      { onProgress: (p) => seen.push(p.message) },
    );
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    expect(out.stats.jobs).toBe(0);
    expect(seen).toContain('Zoho limits requests; reading the users again in 0 s…');
    expect(out.result.outcomeOf(0)).toBe('add');
    client.dispose();
  });

  it('429 when starting the Bulk Read: the check stops with words naming what Zoho refused, not the download limit', async () => {
    const client = createImportClient({ inThread: true });
    const table = await open(client, 'Last_Name,Email\r\nX,x@org.example\r\n');
    // The next Zoho API request (the job's creation: nothing else is asked first here) is answered 429.
    await server.api('POST', '/__emulator/admin/throttle', { count: 1, retry_after: 1 });
    const out = await runOrgCheck(params(client, { operation: 'insert', mapping: mapColumns(2, { 0: 'Last_Name', 1: 'Email' }), table }));
    expect(out.kind).toBe('failed');
    if (out.kind === 'failed') {
      expect(out.message).toMatch(/Zoho refused to start reading Contacts \(Bulk Read\) — too many requests/);
      expect(out.message).not.toMatch(/downloads/);
    }
    client.dispose();
  });

  it('a module with no records: read (one job, 0 records, nothing downloaded) and every update row finds nothing to update', async () => {
    const downloadsBefore = server.emulator.hooks.bulkRead.recentDownloads.length;
    const client = createImportClient({ inThread: true });
    const deals = (await fetchFields(conn, 'Deals')).map(fieldModelFromMeta);
    const table = await open(client, 'id,Deal_Name\r\n123456789,D1\r\n');
    const out = await runOrgCheck({
      ...params(client, { operation: 'update', findBy: 'id', mapping: mapColumns(2, { 0: 'id', 1: 'Deal_Name' }), table }),
      module: 'Deals',
      fields: deals,
    });
    if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : out.kind);
    expect(out.stats.jobs).toBe(1);
    expect(out.result.orgRecords.Deals).toBe(0);
    // A result of 0 records is not downloaded: one of Zoho's 10 downloads a minute kept for pages that have records.
    expect(server.emulator.hooks.bulkRead.recentDownloads.length).toBe(downloadsBefore);
    expect(out.result.row(0)).toMatchObject({ outcome: 'skip', errors: [{ code: 'RESOURCE_NOT_FOUND', apiName: 'id' }] });
    client.dispose();
  });
});
