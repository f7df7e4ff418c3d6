// Row semantics of a Bulk Write job (contract §8) over real HTTP: find_by per operation, ignore_empty at job,
// resource and mapping level, default_value, lookups (only to records that existed before the job), pick-list
// growth, unique checks (case rules, earlier rows of the same file), every data type's accept/reject edges.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCounts, startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

const run = async (module: string, operation: string, csv: string, resource: Record<string, unknown> = {}, job: Record<string, unknown> = {}) => {
  const fileId = await s.uploadCsv(csv);
  const created = await s.createJob({ operation, ...job, resource: [{ type: 'data', module: { api_name: module }, file_id: fileId, ...resource }] });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const id = (created.json.details as { id: string }).id;
  const details = await s.waitJob(id);
  const result = await s.result(id);
  return { id, counts: fileCounts(details), result, rows: result.rows };
};
const record = async (module: string, id: string) => ((await s.api('GET', `/crm/v8/${module}/${id}`)).json.data as Record<string, unknown>[])[0]!;
const accounts = async () => (await s.api('GET', '/crm/v8/Accounts?fields=Account_Name,Account_Number')).json.data as { id: string; Account_Name: string }[];

describe('insert', () => {
  it('headers as api names when field_mappings are left out; result echoes the first three columns', async () => {
    const r = await run('Leads', 'insert', 'Company,Last_Name,Email,Phone\r\nZylker,Ray,ray@lead.example,+15550001\r\n,NoCompany,nc@lead.example,');
    expect(r.counts).toMatchObject({ added: 1, skipped: 1, total: 2, status: 'COMPLETED' });
    expect(r.result.header).toEqual(['Company', 'Last_Name', 'Email', 'STATUS', 'RECORD_ID', 'ERRORS']);
    expect(r.rows[1]).toEqual(['', 'NoCompany', 'nc@lead.example', 'SKIPPED', '', 'MANDATORY_NOT_FOUND-Company']);
  });

  it("several codes and columns in one ERRORS cell, in Zoho's CODE-col,col:CODE-col form", async () => {
    const r = await run('Leads', 'insert', 'Email,Company,Last_Name,No_of_Employees\r\nray@lead.example,,,12x');
    expect(r.rows[0]).toEqual([
      'ray@lead.example',
      '',
      '',
      'SKIPPED',
      '',
      'MANDATORY_NOT_FOUND-Company,Last_Name:INVALID_DATA-No_of_Employees:DUPLICATE_DATA-Email',
    ]);
  });

  it('echo columns are the first three MAPPED columns in CSV order, not mapping order', async () => {
    const r = await run('Contacts', 'insert', 'Skip,Email,X,Last_Name,Phone\r\ns,echo@c.example,x,Echo,+1', {
      field_mappings: [
        { api_name: 'Phone', index: 4 },
        { api_name: 'Last_Name', index: 3 },
        { api_name: 'Email', index: 1 },
      ],
    });
    expect(r.result.header).toEqual(['Email', 'Last_Name', 'Phone', 'STATUS', 'RECORD_ID', 'ERRORS']);
    expect(r.rows[0]!.slice(0, 4)).toEqual(['echo@c.example', 'Echo', '+1', 'ADDED']);
  });

  it('with find_by: a row matching an existing record is SKIPPED with DUPLICATE_DATA', async () => {
    const r = await run('Contacts', 'insert', 'Last_Name,Email\r\nOne,seed.one@seed.example\r\nNew,new.one@c.example', { find_by: 'Email' });
    expect(r.rows.map((x) => [x[2], x[4]])).toEqual([
      ['SKIPPED', 'DUPLICATE_DATA-Email'],
      ['ADDED', ''],
    ]);
  });

  it('unique: case-insensitive Email against the org and earlier rows; case-sensitive Account_Number', async () => {
    const r = await run('Contacts', 'insert', 'Last_Name,Email\r\nA,Dup@Case.example\r\nB,dup@case.EXAMPLE\r\nC,SEED.TWO@seed.example');
    expect(r.rows.map((x) => x[2])).toEqual(['ADDED', 'SKIPPED', 'SKIPPED']);
    const a = await run('Accounts', 'insert', 'Account_Name,Account_Number\r\nLower,acc-1001\r\nSame,ACC-1001');
    expect(a.rows.map((x) => x[2])).toEqual(['ADDED', 'SKIPPED']);
    expect(a.rows[1]![4]).toBe('DUPLICATE_DATA-Account_Number');
  });

  it('default_value fills empty cells and default-only mappings (no index)', async () => {
    const r = await run('Leads', 'insert', 'Last_Name,Lead_Source\r\nD1,\r\nD2,Partner', {
      field_mappings: [
        { api_name: 'Last_Name', index: 0 },
        { api_name: 'Lead_Source', index: 1, default_value: { value: 'Web Download' } },
        { api_name: 'Company', default_value: { value: 'Default Co' } },
      ],
    });
    expect(r.counts.added).toBe(2);
    expect(await record('Leads', r.rows[0]![3]!)).toMatchObject({ Lead_Source: 'Web Download', Company: 'Default Co' });
    expect(await record('Leads', r.rows[1]![3]!)).toMatchObject({ Lead_Source: 'Partner', Company: 'Default Co' });
  });

  it('new pick-list and multi-select values are added to the field and show in field metadata', async () => {
    const r = await run('Contacts', 'insert', 'Last_Name,Lead_Source,Hobbies\r\nP,Trade Show,"Music;Sailing;Chess"');
    expect(r.counts.added).toBe(1);
    const fields = (await s.api('GET', '/crm/v8/settings/fields?module=Contacts')).json.fields as {
      api_name: string;
      pick_list_values: { actual_value: string }[];
    }[];
    const values = (api: string) => fields.find((f) => f.api_name === api)!.pick_list_values.map((p) => p.actual_value);
    expect(values('Lead_Source')).toContain('Trade Show');
    expect(values('Hobbies')).toEqual(expect.arrayContaining(['Music', 'Sailing', 'Chess']));
    expect(await record('Contacts', r.rows[0]![4]!)).toMatchObject({ Hobbies: ['Music', 'Sailing', 'Chess'] });
  });
});

describe('CSV dialects', () => {
  it('a UTF-8 BOM is dropped and ; | : delimiters are detected like Zoho does', async () => {
    for (const [i, d] of [';', '|', ':'].entries()) {
      const r = await run('Contacts', 'insert', `\ufeffLast_Name${d}Email\r\nDialect${i}${d}dialect${i}@d.example`);
      expect(r.result.header.slice(0, 2)).toEqual(['Last_Name', 'Email']);
      expect(r.rows[0]!.slice(0, 3)).toEqual([`Dialect${i}`, `dialect${i}@d.example`, 'ADDED']);
    }
  });

  it('quoted cells keep delimiters, quotes and line breaks; ragged short rows read missing cells as empty', async () => {
    const r = await run('Contacts', 'insert', 'Last_Name,Mailing_Street,Title\r\n"Smith, Jr.","1 ""Quoted"" Rd\nFloor 2",Boss\r\nShort');
    expect(r.counts).toMatchObject({ added: 2, total: 2 });
    const rec = await record('Contacts', r.rows[0]![4]!);
    expect(rec).toMatchObject({ Last_Name: 'Smith, Jr.', Mailing_Street: '1 "Quoted" Rd\nFloor 2', Title: 'Boss' });
  });
});

describe('lookups', () => {
  it('by id (mapping and `Account_Name.id` header), by find_by field; unknown → INVALID_DATA; read back as {id,name}', async () => {
    const [zylker] = await accounts();
    const r = await run('Contacts', 'insert', `Last_Name,Account_Name.id\r\nL1,${zylker!.id}\r\nL2,999\r\nL3,abc`);
    expect(r.rows.map((x) => [x[2], x[4]])).toEqual([
      ['ADDED', ''],
      ['SKIPPED', 'INVALID_DATA-Account_Name'],
      ['SKIPPED', 'INVALID_DATA-Account_Name'],
    ]);
    expect((await record('Contacts', r.rows[0]![3]!)).Account_Name).toEqual({ id: zylker!.id, name: 'Zylker Inc' });
    const byName = await run('Deals', 'insert', 'Deal_Name,Stage,Account_Name\r\nBig,Qualification,Northwind Traders\r\nSmall,Qualification,Nobody Inc', {
      field_mappings: [
        { api_name: 'Deal_Name', index: 0 },
        { api_name: 'Stage', index: 1 },
        { api_name: 'Account_Name', index: 2, find_by: 'Account_Name' },
      ],
    });
    expect(byName.rows.map((x) => x[3])).toEqual(['ADDED', 'SKIPPED']);
    expect(byName.rows[1]![5]).toBe('INVALID_DATA-Account_Name');
  });

  it('a lookup found by name accepts a default_value naming the target (not an id)', async () => {
    const r = await run('Deals', 'insert', 'Deal_Name,Stage,Account_Name\r\nWith,Qualification,Northwind Traders\r\nDefaulted,Qualification,', {
      field_mappings: [
        { api_name: 'Deal_Name', index: 0 },
        { api_name: 'Stage', index: 1 },
        { api_name: 'Account_Name', index: 2, find_by: 'Account_Name', default_value: { value: 'Zylker Inc' } },
      ],
    });
    expect(r.rows.map((x) => x[3])).toEqual(['ADDED', 'ADDED']);
    expect(((await record('Deals', r.rows[1]![4]!)).Account_Name as { name: string }).name).toBe('Zylker Inc');
  });

  it('a record created by the same job is not a lookup target (INVALID_DATA); one from an earlier job is', async () => {
    const earlier = await run('Accounts', 'insert', 'Account_Name\r\nEarlier Co');
    const earlierId = earlier.rows[0]![2]!;
    // Ids come from one counter: probe it, then the file, the job and the job's first record take the next three.
    const probe = BigInt(await s.uploadCsv('Last_Name\r\nprobe'));
    const predicted = String(probe + 3n);
    const fileId = await s.uploadCsv(`Account_Name,Parent_Account\r\nParent Co,\r\nChild Co,${predicted}\r\nOther Child,${earlierId}`);
    expect(fileId).toBe(String(probe + 1n));
    const created = await s.createJob({ operation: 'insert', resource: [{ type: 'data', module: 'Accounts', file_id: fileId }] });
    const jobId = (created.json.details as { id: string }).id;
    expect(jobId).toBe(String(probe + 2n));
    await s.waitJob(jobId);
    const r = await s.result(jobId);
    expect(r.rows[0]!.slice(2, 4)).toEqual(['ADDED', predicted]);
    expect(r.rows[1]!.slice(2)).toEqual(['SKIPPED', '', 'INVALID_DATA-Parent_Account']);
    expect(r.rows[2]![2]).toBe('ADDED');
    expect((await record('Accounts', r.rows[2]![3]!)).Parent_Account).toEqual({ id: earlierId, name: 'Earlier Co' });
    // The same reference from a later job is fine: the record now existed before that job.
    const later = await run('Accounts', 'insert', `Account_Name,Parent_Account\r\nLater Child,${predicted}`);
    expect(later.rows[0]![2]).toBe('ADDED');
  });
});

describe('update and upsert with find_by', () => {
  it('update: match → UPDATED, no match → RESOURCE_NOT_FOUND, empty find_by cell → MANDATORY_NOT_FOUND', async () => {
    await run('Contacts', 'insert', 'Last_Name,Email,Phone\r\nUpd,upd@c.example,+1111');
    const r = await run('Contacts', 'update', 'Email,Phone\r\nUPD@c.example,+2222\r\nmissing@c.example,+3\r\n,+4', { find_by: 'Email' });
    expect(r.rows.map((x) => [x[2], x[4]])).toEqual([
      ['UPDATED', ''],
      ['SKIPPED', 'RESOURCE_NOT_FOUND-Email'],
      ['SKIPPED', 'MANDATORY_NOT_FOUND-Email'],
    ]);
    expect(r.counts).toMatchObject({ updated: 1, skipped: 2, added: 0, total: 3 });
    expect(await record('Contacts', r.rows[0]![3]!)).toMatchObject({ Phone: '+2222', Last_Name: 'Upd' });
  });

  it('update by id', async () => {
    const ins = await run('Contacts', 'insert', 'Last_Name,Email\r\nById,byid@c.example');
    const id = ins.rows[0]![3]!;
    const r = await run('Contacts', 'update', `id,Title\r\n${id},CEO\r\n123,CTO`, { find_by: 'id' });
    expect(r.rows.map((x) => x[2])).toEqual(['UPDATED', 'SKIPPED']);
    expect(r.rows[1]![4]).toBe('RESOURCE_NOT_FOUND-id');
    expect(await record('Contacts', id)).toMatchObject({ Title: 'CEO' });
  });

  it('upsert: match → UPDATED, else ADDED (mandatory checked on the insert half only)', async () => {
    await run('Contacts', 'insert', 'Last_Name,Email\r\nUps,ups@c.example');
    const r = await run('Contacts', 'upsert', 'Email,Last_Name,Title\r\nups@c.example,,Boss\r\nfresh@c.example,Fresh,\r\nnoname@c.example,,', {
      find_by: 'Email',
      ignore_empty: true,
    });
    expect(r.rows.map((x) => [x[3], x[5]])).toEqual([
      ['UPDATED', ''],
      ['ADDED', ''],
      ['SKIPPED', 'MANDATORY_NOT_FOUND-Last_Name'],
    ]);
    expect(r.counts).toMatchObject({ added: 1, updated: 1, skipped: 1, total: 3 });
  });

  it('ignore_empty true leaves values alone; false blanks them; per-resource and per-mapping override', async () => {
    await run('Contacts', 'insert', 'Last_Name,Email,Phone,Title\r\nIE,ie@c.example,+1000,Dr');
    const keep = await run('Contacts', 'update', 'Email,Phone,Title\r\nie@c.example,,', { find_by: 'Email' }, { ignore_empty: true });
    expect(keep.rows[0]![3]).toBe('UPDATED');
    const id = keep.rows[0]![4]!;
    expect(await record('Contacts', id)).toMatchObject({ Phone: '+1000', Title: 'Dr' });
    // Resource-level false overrides job-level true; the Title mapping keeps its own ignore_empty: true.
    await run(
      'Contacts',
      'update',
      'Email,Phone,Title\r\nie@c.example,,',
      {
        find_by: 'Email',
        ignore_empty: false,
        field_mappings: [
          { api_name: 'Email', index: 0 },
          { api_name: 'Phone', index: 1 },
          { api_name: 'Title', index: 2, ignore_empty: true },
        ],
      },
      { ignore_empty: true },
    );
    const after = await record('Contacts', id);
    expect(after.Phone).toBeUndefined();
    expect(after.Title).toBe('Dr');
    // Job-level false (the default) blanks.
    await run('Contacts', 'update', 'Email,Title\r\nie@c.example,', { find_by: 'Email' });
    expect((await record('Contacts', id)).Title).toBeUndefined();
  });
});

describe('data types: accept and reject edges (values per contract §8)', () => {
  const cases: { api: string; ok: string[]; bad: string[]; module?: string; format?: string }[] = [
    { api: 'First_Name', ok: ['x'.repeat(40), 'Zoë'], bad: ['x'.repeat(41)] },
    { api: 'Mailing_Street', ok: ['x'.repeat(2000), 'line1\nline2'], bad: ['x'.repeat(2001)] },
    { api: 'Description', ok: ['x'.repeat(32000)], bad: ['x'.repeat(32001)] },
    { api: 'Secondary_Email', ok: ['a@b.example', 'first.last+tag@sub.example.com'], bad: ['no-at', 'a@', '@b.example'] },
    { api: 'Mobile', ok: ['+14155550100', '0'.repeat(30)], bad: ['415-555', '(415)5550100', '1'.repeat(31), '12a'] },
    { api: 'Date_of_Birth', ok: ['2020-02-29', '1999-12-31'], bad: ['2021-02-29', '31/12/1999', '2020-13-01'] },
    { api: 'Date_of_Birth', format: 'dd/MM/yyyy', ok: ['31/12/1999'], bad: ['1999-12-31', '32/01/2000'] },
    { api: 'Last_Contacted', ok: ['2024-05-01T10:20:30+02:00', '2024-05-01T10:20:30-05:30'], bad: ['2024-05-01', '2024-05-01T25:00:00+00:00'] },
    { api: 'Loyalty_Points', ok: ['1'.repeat(18), '-5'], bad: ['1'.repeat(19), '1.5', 'ten'] },
    { api: 'Email_Opt_Out', ok: ['true', 'FALSE', 'True'], bad: ['yes', '1'] },
    { api: 'Lead_Source', ok: ['Cold Call', 'Brand New Source'], bad: [] },
    { api: 'No_of_Employees', module: 'Leads', ok: ['123456789', '-1'], bad: ['1234567890', '1.0', '1e3'] },
    { api: 'Annual_Revenue', module: 'Leads', ok: ['1234567890123456', '12.34'], bad: ['12345678901234567', '1.234', 'abc'] },
    { api: 'Lead_Score', module: 'Leads', ok: ['99.5', '12345'], bad: ['123456', 'x'] },
    {
      api: 'Website',
      module: 'Leads',
      ok: ['https://zylker.example', 'http://zylker.example/a?b=1'],
      bad: ['not a url', 'javascript:alert(1)', 'ftp://zylker.example'],
    },
    { api: 'Discount', module: 'Deals', ok: ['12.5', '0.25'], bad: ['1.234', '--1'] },
  ];
  for (const c of cases) {
    it(`${c.module ?? 'Contacts'}.${c.api}${c.format ? ` (${c.format})` : ''}`, async () => {
      const module = c.module ?? 'Contacts';
      const mandatory: Record<string, [string, string][]> = {
        Contacts: [['Last_Name', 'T']],
        Leads: [
          ['Last_Name', 'T'],
          ['Company', 'C'],
        ],
        Deals: [
          ['Deal_Name', 'D'],
          ['Stage', 'Qualification'],
        ],
      };
      const extra = mandatory[module]!;
      const values = [...c.ok, ...c.bad];
      const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
      const csv = [[c.api, ...extra.map((e) => e[0])].join(','), ...values.map((v) => [q(v), ...extra.map((e) => e[1])].join(','))].join('\r\n');
      const r = await run(module, 'insert', csv, {
        field_mappings: [{ api_name: c.api, index: 0, ...(c.format ? { format: c.format } : {}) }, ...extra.map((e, i) => ({ api_name: e[0], index: i + 1 }))],
      });
      const statuses = r.rows.map((x) => x[extra.length + 1]);
      expect(statuses).toEqual([...c.ok.map(() => 'ADDED'), ...c.bad.map(() => 'SKIPPED')]);
      for (const row of r.rows.slice(c.ok.length)) expect(row[extra.length + 3]).toBe(`INVALID_DATA-${c.api}`);
    });
  }
});
