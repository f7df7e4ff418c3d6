// Agreement: the rows the client's pre-flight check predicts Zoho will SKIP (and why) are exactly the rows the
// emulator SKIPS, over real HTTP — fields read from the API, CSV zipped with jszip, uploaded, job created with the
// client's request builder, polled until COMPLETED, result downloaded and parsed. Every rule pre-flight implements.
import JSZip from 'jszip';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation, ZohoFieldMeta } from '../src/domain/fields/field-meta.ts';
import { fieldModelFromMeta, isUserLookup, type FieldModel } from '../src/domain/fields/field-model.ts';
import { assignColumn, emptyMapping, setDefaultOnly, updateColumn, type ColumnMapping, type Mapping } from '../src/domain/mapping/mapping.ts';
import { buildCreateJobRequest, projectForUpload } from '../src/domain/mapping/project-for-upload.ts';
import type { OrgUser } from '../src/domain/org-check/types.ts';
import { userCellToSend, userIdColumn } from '../src/domain/org-check/users.ts';
import { validateTable } from '../src/domain/validation/preflight.ts';
import { parseRowErrors } from '../src/domain/validation/row-errors.ts';
import { startTestServer, type TestServer } from './test-helpers.ts';

let server: TestServer;
let zgid: string;
const fieldsOf = new Map<string, FieldModel[]>();
let accountId = '';

// The shared in-process emulator helper speaks to the server over real HTTP.
const call = (method: string, path: string, body?: unknown) => server.api(method, path, body);

beforeAll(async () => {
  server = await startTestServer();
  const org = await call('GET', '/crm/v8/org');
  zgid = (org.json.org as { zgid: string }[])[0]?.zgid ?? '';
  for (const module of ['Leads', 'Contacts']) {
    const r = await call('GET', `/crm/v8/settings/fields?module=${module}`);
    fieldsOf.set(module, (r.json.fields as ZohoFieldMeta[]).map(fieldModelFromMeta));
  }
  const acc = await call('GET', '/crm/v8/Accounts?fields=Account_Name');
  accountId = (acc.json.data as { id: string }[])[0]?.id ?? '';
});

afterAll(async () => {
  await server.stop();
});

interface Case {
  module: string;
  operation: Operation;
  findBy?: string | null;
  ignoreEmpty?: boolean;
  headers: string[];
  rows: string[][];
  /** Adjust the all-columns-by-header mapping (formats, defaults, per-column ignore_empty, lookup find_by). */
  tweak?: (m: Mapping) => Mapping;
  /** The org's users, as Review has them when the Map step read them (owner and user-lookup cells are then checked). */
  users?: OrgUser[];
}

/** Upload through the real HTTP API and return, per row, the STATUS and the parsed ERRORS. */
async function runOnEmulator(c: Case, mapping: Mapping, fields: FieldModel[]): Promise<{ status: string; errors: string[] }[]> {
  // With the users read, user columns go out as the wizard sends them: each value (and the column's default) naming
  // an active user as that user's id, find_by none; anything else as it is (src/app/wizard.tsx).
  const userIds = c.users
    ? mapping.columns
        .filter((col) => col.apiName !== null && fields.some((f) => f.apiName === col.apiName && isUserLookup(f)))
        .map((col) =>
          userIdColumn(
            col.column,
            c.rows.map((r) => r[col.column] ?? ''),
            c.users!,
            col.defaultValue,
          ),
        )
    : [];
  const sent = c.rows.map((cells) => cells.map((cell, i) => userIds.reduce((v, u) => (u.column === i ? userCellToSend(v, u) : v), cell)));
  const plan = projectForUpload(c.headers, sent, mapping, fields, userIds);
  const body = [plan.header, ...sent.map((cells) => plan.columnSource.map((i) => cells[i] ?? ''))];
  const csv = Papa.unparse(body, { newline: '\r\n' });
  const zip = new JSZip();
  zip.file(`${c.module}.csv`, csv);
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
  const form = new FormData();
  form.append('file', new Blob([bytes as BlobPart], { type: 'application/zip' }), `${c.module}.zip`);
  const up = await fetch(`${server.url}/crm/v8/upload`, {
    method: 'POST',
    headers: { Authorization: `Zoho-oauthtoken ${server.token}`, feature: 'bulk-write', 'X-CRM-ORG': zgid },
    body: form,
  });
  const upJson = (await up.json()) as { details: { file_id: string } };
  expect(up.status, JSON.stringify(upJson)).toBe(200);
  const request = buildCreateJobRequest({
    operation: c.operation,
    module: c.module,
    fileId: upJson.details.file_id,
    fieldMappings: plan.fieldMappings,
    findBy: c.findBy ?? null,
    ignoreEmpty: c.ignoreEmpty ?? false,
  });
  const created = await call('POST', '/crm/bulk/v8/write', request);
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const jobId = (created.json.details as { id: string }).id;
  let details: Record<string, unknown> = {};
  for (let i = 0; i < 600; i++) {
    details = (await call('GET', `/crm/bulk/v8/write/${jobId}`)).json;
    if (details.status === 'COMPLETED' || details.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(details.status).toBe('COMPLETED');
  const url = (details.result as { download_url: string }).download_url;
  const res = await fetch(url, { headers: { Authorization: `Zoho-oauthtoken ${server.token}` } });
  const files = await JSZip.loadAsync(new Uint8Array(await res.arrayBuffer()));
  const entry = Object.values(files.files)[0];
  const text = entry === undefined ? '' : await entry.async('string');
  const [header, ...rows] = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const st = header?.indexOf('STATUS') ?? -1;
  const er = header?.indexOf('ERRORS') ?? -1;
  expect(rows).toHaveLength(c.rows.length);
  return rows.map((r) => ({
    status: r[st] ?? '',
    errors: parseRowErrors(r[er] ?? '')
      .map((e) => `${e.code}-${e.apiName}`)
      .sort(),
  }));
}

async function agree(c: Case): Promise<{ skipped: number[]; predicted: number[] }> {
  const fields = fieldsOf.get(c.module) ?? [];
  let mapping = emptyMapping(c.headers.length);
  c.headers.forEach((h, i) => {
    mapping = assignColumn(mapping, i, h).mapping;
  });
  if (c.tweak) mapping = c.tweak(mapping);
  const v = validateTable({
    headers: c.headers,
    rows: c.rows.map((cells, i) => ({ line: i + 2, cells })),
    mapping,
    fields,
    operation: c.operation,
    findBy: c.findBy ?? null,
    ignoreEmpty: c.ignoreEmpty ?? false,
    users: c.users ?? null,
  });
  expect(v.tableIssues.filter((t) => t.severity === 'error')).toEqual([]);
  const actual = await runOnEmulator(c, mapping, fields);
  const skipped = actual.flatMap((r, i) => (r.status === 'SKIPPED' ? [i] : []));
  // Same rows, and for each skipped row the same codes on the same fields.
  const predictedErrors = c.rows.map((_, row) =>
    v.issues
      .filter((i) => i.row === row && i.severity === 'error')
      .map((i) => `${i.code}-${i.apiName ?? ''}`)
      .sort(),
  );
  const mismatches = actual
    .map((r, row) => ({ row, cells: c.rows[row], emulator: r.errors, predicted: predictedErrors[row] }))
    .filter((x) => JSON.stringify(x.emulator) !== JSON.stringify(x.predicted));
  expect(mismatches).toEqual([]);
  expect(v.predictedSkips).toEqual(skipped);
  return { skipped, predicted: v.predictedSkips };
}

const col = (m: Mapping, header: string, headers: string[]): number => headers.indexOf(header);
const patch = (headers: string[], header: string, p: Partial<Omit<ColumnMapping, 'column' | 'apiName'>>) => (m: Mapping) =>
  updateColumn(m, col(m, header, headers), p);

describe('pre-flight predictions agree with the emulator', () => {
  it('Leads insert: every data type, good and bad values, mandatory, defaults, in-file duplicates', async () => {
    const headers = [
      'Last_Name',
      'Company',
      'Email',
      'Phone',
      'Website',
      'Lead_Source',
      'Interests',
      'Annual_Revenue',
      'No_of_Employees',
      'Email_Opt_Out',
      'Description',
      'Last_Visited',
      'Follow_Up_Date',
      'Lead_Score',
      'First_Name',
      'Zip_Code',
      'Mobile',
    ];
    const good = [
      'Good',
      'Zylker',
      'good@lead.test',
      '+14155550100',
      'https://zylker.example',
      'Partner',
      'Analytics;Support',
      '1234.56',
      '42',
      'TRUE',
      'x'.repeat(32000),
      '2025-04-03T14:30:00+05:30',
      '03/04/2025',
      '99999.25',
      'A'.repeat(40),
      '00123',
      '0123',
    ];
    const row = (n: number, patchCells: Record<number, string>) => {
      const cells = [...good];
      cells[2] = `row${n}@lead.test`;
      for (const [k, v] of Object.entries(patchCells)) cells[Number(k)] = v;
      return cells;
    };
    const bad: Record<number, string>[] = [
      {}, // good row
      { 0: '' },
      { 0: '   ' },
      { 1: '\t' }, // mandatory (Company gets a default → accepted)
      { 2: 'not-an-email' },
      { 2: 'a@b' },
      { 2: ' spaced@lead.test' },
      { 3: '415 555 0100' },
      { 3: '1+2' },
      { 3: '1'.repeat(31) },
      { 3: '+' + '1'.repeat(29) },
      { 4: 'www.zylker.example' },
      { 4: 'javascript:alert(1)' },
      { 4: 'http://localhost' },
      { 5: 'Trade Show' },
      { 6: 'Analytics;;Support' },
      { 6: 'New One; Support' },
      { 7: '1,234.56' },
      { 7: '1.234' },
      { 7: '12345678901234567' },
      { 7: '1234567890123456' },
      { 7: '-0.5' },
      { 8: '1234567890' },
      { 8: '1.5' },
      { 8: '-123456789' },
      { 8: '00042' },
      { 9: 'yes' },
      { 9: 'False' },
      { 10: 'x'.repeat(32001) },
      { 10: '😀'.repeat(32000) },
      { 11: '2025-04-03T14:30:00Z' },
      { 11: '2025-04-03 14:30:00' },
      { 11: '2025-02-29T00:00:00+00:00' },
      { 12: '2025-04-03' },
      { 12: '31/02/2025' },
      { 12: '29/02/2024' },
      { 13: '100000' },
      { 13: '12.345' },
      { 13: '-5' },
      { 14: 'B'.repeat(41) },
      { 14: '😀'.repeat(40) },
      { 14: '=SUM(A1)' },
      { 15: 'Z'.repeat(31) },
      { 16: '(0) 123' },
      { 0: '', 3: 'bad', 8: 'x' }, // several errors in one row
    ];
    const rows = bad.map((p, n) => row(n, p));
    // In-file duplicates: of a written row (case-insensitive), of a skipped row (not a duplicate), and chained.
    rows.push(row(100, { 2: 'ROW0@LEAD.TEST' }));
    rows.push(row(101, { 2: 'row1@lead.test' })); // row 1 was skipped (mandatory): this one is written
    rows.push(row(102, { 2: 'Row1@Lead.Test' })); // duplicate of the row just above
    rows.push(row(103, { 2: 'row4@lead.test', 0: '' })); // both mandatory and duplicate? row 4 was invalid → not a duplicate
    const r = await agree({
      module: 'Leads',
      operation: 'insert',
      headers,
      rows,
      tweak: (m) => patch(headers, 'Follow_Up_Date', { format: 'dd/MM/yyyy' })(patch(headers, 'Company', { defaultValue: 'Default Co' })(m)),
    });
    expect(r.skipped.length).toBeGreaterThan(30);
    expect(r.skipped).not.toContain(0);
  });

  it('Contacts insert: lookups by id and by name, bigint, small textarea, dates without a format, ignore_empty', async () => {
    const headers = ['Last_Name', 'Email', 'Account_Name', 'Loyalty_Points', 'Mailing_Street', 'Date_of_Birth', 'Phone', 'Hobbies'];
    const rows = [
      ['L1', 'c1@agree.test', accountId, '123456789012345678', 'short', '1990-12-31', '', ''],
      ['L2', 'c2@agree.test', 'not-an-id', '1234567890123456789', 'y'.repeat(2001), '31/12/1990', '  ', 'Cycling'],
      ['L3', 'c3@agree.test', '', '-00042', 'y'.repeat(2000), '1990-02-29', '+1', 'Music; Travel'],
      ['', '', '', '', '', '', '', ''],
      ['L5', 'C1@AGREE.TEST', accountId, '1.0', '', '2000-02-29', '123', ';'],
    ];
    const r = await agree({ module: 'Contacts', operation: 'insert', headers, rows, ignoreEmpty: true });
    expect(r.skipped).toEqual([1, 2, 3, 4]);
    const byName = await agree({
      module: 'Contacts',
      operation: 'insert',
      headers: ['Last_Name', 'Account_Name'],
      rows: [
        ['N1', 'Zylker Inc'],
        ['N2', ''],
      ],
      tweak: patch(['Last_Name', 'Account_Name'], 'Account_Name', { findBy: 'Account_Name' }),
    });
    expect(byName.skipped).toEqual([]);
  });

  it("Owner by e-mail and by id, with the org's users read as the Map step reads them: unknown and inactive users", async () => {
    const listed = (await call('GET', '/crm/v8/users?type=AllUsers')).json.users as { id: string; email: string; full_name?: string; status: string }[];
    const users: OrgUser[] = listed.map((u) => ({ id: u.id, email: u.email, fullName: u.full_name ?? '', status: u.status.toLowerCase() }));
    const active = users.filter((u) => u.status === 'active');
    const inactive = users.find((u) => u.status !== 'active');
    expect(active.length).toBeGreaterThanOrEqual(1);
    expect(inactive).toBeDefined();
    const headers = ['Last_Name', 'Owner'];
    const byEmail = await agree({
      module: 'Contacts',
      operation: 'insert',
      headers,
      rows: [
        ['U1', active[0]!.email],
        ['U2', active[0]!.email.toUpperCase()],
        ['U3', inactive!.email],
        ['U4', 'nobody.at.all@agree.test'],
        ['U5', ''],
      ],
      tweak: patch(headers, 'Owner', { findBy: 'email' }),
      users,
    });
    expect(byEmail.skipped).toEqual([2, 3]);
    const byId = await agree({
      module: 'Contacts',
      operation: 'insert',
      headers,
      rows: [
        ['I1', active[0]!.id],
        ['I2', inactive!.id],
        ['I3', '5725767000009999999'],
      ],
      users,
    });
    expect(byId.skipped).toEqual([1, 2]);
    // A Default owner given by e-mail that no cell holds: sent as the user's id (Zoho refuses a job whose Owner
    // default is an e-mail under find_by id), and the blank cells it fills are written.
    const byDefault = await agree({
      module: 'Contacts',
      operation: 'insert',
      headers,
      rows: [
        ['D1', ''],
        ['D2', inactive!.email],
        ['D3', ''],
      ],
      tweak: patch(headers, 'Owner', { findBy: 'email', defaultValue: active.at(-1)!.email.toUpperCase() }),
      users,
    });
    expect(byDefault.skipped).toEqual([1]);
    // Owner by full name, and e-mails with spaces around them: the wizard sends the id of the user each names
    // (userIdColumn), so Zoho writes them; a name no one has, or one two users share, is sent as it is and skipped.
    const names = new Map<string, number>();
    for (const u of users) names.set(u.fullName, (names.get(u.fullName) ?? 0) + 1);
    const unique = active.find((u) => u.fullName !== '' && names.get(u.fullName) === 1);
    const shared = [...names].find(([n, k]) => n !== '' && k > 1 && users.filter((u) => u.fullName === n && u.status === 'active').length > 1)?.[0];
    expect(unique).toBeDefined();
    const byName = await agree({
      module: 'Contacts',
      operation: 'insert',
      headers,
      rows: [
        ['N1', unique!.fullName],
        ['N2', `${active[0]!.email} `],
        ['N3', 'Nobody Atall'],
        ['N4', shared ?? 'Nobody Either'],
        ['N5', ` ${unique!.fullName.toUpperCase()} `],
      ],
      tweak: patch(headers, 'Owner', { findBy: 'email' }),
      users,
    });
    // N5 matches a name only once case is ignored: a near match, offered as a clean-up, sent as it is — skipped.
    expect(byName.skipped).toEqual([2, 3, 4]);
  });

  it('default-only fields, per-column ignore_empty and whitespace-only cells', async () => {
    const headers = ['Last_Name', 'Email', 'Phone', 'Mobile'];
    const rows = [
      ['D1', 'd1@agree.test', '', ''],
      ['D2', 'd2@agree.test', ' ', 'x'],
      ['\u00a0', 'd3@agree.test', '1', '2'],
    ];
    const r = await agree({
      module: 'Leads',
      operation: 'insert',
      headers,
      rows,
      tweak: (m) => setDefaultOnly(patch(headers, 'Phone', { ignoreEmpty: true, defaultValue: '555' })(m), 'Company', 'Only Default Inc'),
    });
    expect(r.skipped).toEqual([1, 2]);
  });

  it('update and upsert by a unique field: empty keys, the same record twice, mandatory fields on the insert half', async () => {
    const headers = ['Email', 'Last_Name', 'Phone'];
    const update = await agree({
      module: 'Contacts',
      operation: 'update',
      findBy: 'Email',
      ignoreEmpty: true,
      headers,
      rows: [
        ['seed.one@seed.example', '', '+100'],
        ['', 'Nobody', '+200'],
        ['SEED.ONE@seed.example', 'Again', '+300'],
        ['seed.two@seed.example', 'Two', 'bad'],
      ],
    });
    expect(update.skipped).toEqual([1, 3]);
    const upsert = await agree({
      module: 'Contacts',
      operation: 'upsert',
      findBy: 'Email',
      headers,
      rows: [
        ['', 'New Person', '+1'],
        ['', '', '+2'],
        ['fresh@agree.test', 'Fresh', '+3'],
        ['FRESH@agree.test', 'Fresh Again', '+4'],
      ],
    });
    expect(upsert.skipped).toEqual([1]);
  });

  it('update by record id (the id column is sent, never written)', async () => {
    const list = await call('GET', '/crm/v8/Contacts?fields=Last_Name');
    const ids = (list.json.data as { id: string }[]).map((r) => r.id);
    const r = await agree({
      module: 'Contacts',
      operation: 'update',
      findBy: 'id',
      ignoreEmpty: true,
      headers: ['id', 'Phone', 'Title'],
      rows: [
        [ids[0] ?? '', '+999', 'CTO'],
        ['', '+1', 'x'],
        [ids[1] ?? '', 'not a phone', ''],
      ],
    });
    expect(r.skipped).toEqual([1, 2]);
  });
});
