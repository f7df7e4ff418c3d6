// Create job (POST /crm/bulk/v8/write): the seed's example end to end, and every error code of contract §4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCounts, startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

const SEED_CSV = [
  'Last_Name,Email,Phone',
  'Boyle,patricia@zylker.example,+14155550101',
  'Chen,chen@zylker.example,+14155550102',
  'Diaz,diaz@zylker.example,+14155550103',
  'Evans,evans@zylker.example,+14155550104',
  'Fox,PATRICIA@zylker.example,+14155550105',
  ',garcia@zylker.example,+14155550106',
  'Hill,hill@zylker.example,+14155550107',
].join('\r\n');

describe('seed example', () => {
  it('7 contacts with one duplicate Email → 6 ADDED, 1 SKIPPED DUPLICATE_DATA-Email', async () => {
    const fileId = await s.uploadCsv(SEED_CSV, 'Contacts.csv');
    const created = await s.createJob(
      {
        operation: 'insert',
        callBack: { method: 'post' },
        resource: [
          {
            type: 'data',
            module: 'Contacts',
            file_id: fileId,
            field_mappings: [
              { api_name: 'Last_Name', index: 0, default_value: { value: 'DefaultValue' } },
              { api_name: 'Email', index: 1 },
              { api_name: 'Phone', index: 2 },
            ],
          },
        ],
      },
      'v2',
    );
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ status: 'success', code: 'SUCCESS', message: 'success' });
    const id = (created.json.details as { id: string }).id;
    expect(id).toMatch(/^\d{19}$/);
    const details = await s.waitJob(id);
    expect(fileCounts(details)).toEqual({ added: 6, updated: 0, skipped: 1, total: 7, status: 'COMPLETED' });
    expect((details.result as { download_url: string }).download_url).toBe(`${s.url}/crm/bulk/v8/write/${id}/result`);
    const r = await s.result(id);
    expect(r.name).toBe(`Contacts-${id}.csv`);
    expect(r.header).toEqual(['Last_Name', 'Email', 'Phone', 'STATUS', 'RECORD_ID', 'ERRORS']);
    expect(r.rows.map((x) => x[3])).toEqual(['ADDED', 'ADDED', 'ADDED', 'ADDED', 'SKIPPED', 'ADDED', 'ADDED']);
    expect(r.rows[4]).toEqual(['Fox', 'PATRICIA@zylker.example', '+14155550105', 'SKIPPED', '', 'DUPLICATE_DATA-Email']);
    // Row 6 had an empty Last_Name: the default value was written.
    const rec = await s.api('GET', `/crm/v8/Contacts/${r.rows[5]![4]}`);
    expect((rec.json.data as Record<string, unknown>[])[0]).toMatchObject({ Last_Name: 'DefaultValue', Email: 'garcia@zylker.example' });
  });
});

describe('create job errors (contract §4)', () => {
  let fileId = '';
  beforeAll(async () => {
    fileId = await s.uploadCsv('Last_Name,Email,Date_of_Birth,Hobbies\r\nA,a@x.example,2020-01-02,Music');
  });
  const base = () => ({
    operation: 'insert',
    resource: [
      {
        type: 'data',
        module: { api_name: 'Contacts' },
        file_id: fileId,
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Email', index: 1 },
        ],
      },
    ],
  });
  type Body = ReturnType<typeof base> & Record<string, unknown>;
  const withResource = (patch: Record<string, unknown>): Body => {
    const b = base();
    return { ...b, resource: [{ ...b.resource[0]!, ...patch }] };
  };
  const expectError = async (body: unknown, status: number, code: string, details?: Record<string, unknown>) => {
    const r = await s.createJob(body);
    expect(r.status).toBe(status);
    expect(r.json).toMatchObject({ status: 'error', code });
    expect(typeof r.json.message).toBe('string');
    if (details) expect(r.json.details).toEqual(details);
    return r.json;
  };

  it('MANDATORY_NOT_FOUND for a missing operation, resource, file_id, index and find_by', async () => {
    const { operation: _op, ...noOp } = base();
    await expectError(noOp, 400, 'MANDATORY_NOT_FOUND', { api_name: 'operation', json_path: '$.operation' });
    await expectError({ operation: 'insert' }, 400, 'MANDATORY_NOT_FOUND', { api_name: 'resource', json_path: '$.resource' });
    await expectError(withResource({ file_id: undefined }), 400, 'MANDATORY_NOT_FOUND', { api_name: 'file_id', json_path: '$.resource[0].file_id' });
    await expectError(withResource({ field_mappings: [{ api_name: 'Last_Name' }, { api_name: 'Email', index: 1 }] }), 400, 'MANDATORY_NOT_FOUND', {
      api_name: 'index',
      json_path: '$.resource[0].field_mappings[0].index',
    });
    await expectError({ ...base(), operation: 'update' }, 400, 'MANDATORY_NOT_FOUND', { api_name: 'find_by', json_path: '$.resource[0].find_by' });
    await expectError({ ...base(), operation: 'upsert' }, 400, 'MANDATORY_NOT_FOUND', { api_name: 'find_by', json_path: '$.resource[0].find_by' });
  });

  it('INVALID_DATA for wrong types and values, naming the key and its JSON path', async () => {
    await expectError({ ...base(), operation: 'merge' }, 400, 'INVALID_DATA', { api_name: 'operation', json_path: '$.operation' });
    await expectError({ ...base(), ignore_empty: 'yes' }, 400, 'INVALID_DATA', { api_name: 'ignore_empty', json_path: '$.ignore_empty' });
    await expectError(withResource({ ignore_empty: 1 }), 400, 'INVALID_DATA', { api_name: 'ignore_empty', json_path: '$.resource[0].ignore_empty' });
    await expectError(withResource({ field_mappings: [{ api_name: 'Last_Name', index: '0' }] }), 400, 'INVALID_DATA', {
      api_name: 'index',
      json_path: '$.resource[0].field_mappings[0].index',
    });
    await expectError({ ...withResource({ find_by: 'Last_Name' }), operation: 'update' }, 400, 'INVALID_DATA', {
      api_name: 'find_by',
      json_path: '$.resource[0].find_by',
    });
    await expectError({ ...withResource({ find_by: 'Secondary_Email' }), operation: 'upsert' }, 400, 'INVALID_DATA', {
      api_name: 'find_by',
      json_path: '$.resource[0].find_by',
    });
    await expectError('not json', 400, 'INVALID_DATA');
    await expectError([1, 2], 400, 'INVALID_DATA');
    await expectError(
      withResource({
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Last_Name', index: 1 },
        ],
      }),
      400,
      'INVALID_DATA',
    );
  });

  it('unknown keys are refused with INVALID_DATA naming the key and its path, before any credit is spent (S15)', async () => {
    const left = s.emulator.credits.left(s.emulator.now());
    await expectError({ ...base(), surprise: { deep: true } }, 400, 'INVALID_DATA', { api_name: 'surprise', json_path: '$.surprise' });
    await expectError(withResource({ ignore_empy: true }), 400, 'INVALID_DATA', { api_name: 'ignore_empy', json_path: '$.resource[0].ignore_empy' });
    await expectError(withResource({ field_mappings: [{ api_name: 'Last_Name', index: 0, label: 'Last name' }] }), 400, 'INVALID_DATA', {
      api_name: 'label',
      json_path: '$.resource[0].field_mappings[0].label',
    });
    await expectError({ ...base(), callback: { method: 'post', headers: {} } }, 400, 'INVALID_DATA', { api_name: 'headers', json_path: '$.callback.headers' });
    const long = 'k'.repeat(5000);
    const j = await expectError({ ...base(), [long]: 1 }, 400, 'INVALID_DATA');
    expect((j.details as { api_name: string }).api_name).toBe(`${'k'.repeat(200)}…`);
    expect(s.emulator.credits.left(s.emulator.now())).toBe(left);
  });

  it("the top-level callBack of Zoho's sample is read as callback; both at once are refused", async () => {
    const r = await s.createJob({ ...base(), callBack: { method: 'post' } });
    expect(r.status).toBe(201);
    await expectError({ ...base(), callBack: { method: 'get' } }, 400, 'INVALID_CALLBACK_METHOD');
    await expectError({ ...base(), callBack: { method: 'post' }, callback: { method: 'post' } }, 400, 'INVALID_DATA', {
      api_name: 'callBack',
      json_path: '$.callBack',
    });
  });

  it('a header-only CSV is refused at create-job and costs no credits (decision 065)', async () => {
    const headerOnly = await s.uploadCsv('Last_Name,Email\r\n');
    const left = s.emulator.credits.left(s.emulator.now());
    const j = await expectError(withResource({ file_id: headerOnly }), 400, 'INVALID_DATA', { api_name: 'file_id', json_path: '$.resource[0].file_id' });
    expect(String(j.message)).toMatch(/no data rows/);
    expect(s.emulator.credits.left(s.emulator.now())).toBe(left);
  });

  it('echoed input is capped at 200 characters with "…" in message and details (issue 12 D2)', async () => {
    const name = 'X'.repeat(50_000);
    const field = await expectError(withResource({ field_mappings: [{ api_name: name, index: 0 }] }), 400, 'INVALID_FIELD');
    expect((field.details as { api_name: string }).api_name).toBe(`${'X'.repeat(200)}…`);
    expect(String(field.message).length).toBeLessThan(400);
    expect(String(field.message)).toContain(`"${'X'.repeat(200)}…"`);
    const mod = await expectError(withResource({ module: { api_name: name } }), 400, 'MODULE_NOT_AVAILABLE');
    expect((mod.details as { api_name: string }).api_name).toBe(`${'X'.repeat(200)}…`);
    expect(String(mod.message).length).toBeLessThan(400);
    const fmt = await expectError(
      withResource({
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Date_of_Birth', index: 2, format: `yyyy${'Q'.repeat(50_000)}` },
        ],
      }),
      400,
      'INVALID_FORMAT',
    );
    expect(String(fmt.message).length).toBeLessThan(800);
    const fb = await expectError({ ...withResource({ find_by: name }), operation: 'upsert' }, 400, 'INVALID_DATA');
    expect(String(fb.message).length).toBeLessThan(400);
  });

  it('INVALID_CALLBACK_METHOD and a refused callback.url', async () => {
    await expectError({ ...base(), callback: { url: `${s.url}/__emulator/callback`, method: 'get' } }, 400, 'INVALID_CALLBACK_METHOD', {
      supported_callback_methods: ['post'],
    });
    for (const url of ['https://evil.example/cb', 'file:///etc/passwd', 'http://169.254.169.254/', 'javascript:alert(1)', 'not a url', 'http://[::1]:1/x']) {
      await expectError({ ...base(), callback: { url, method: 'post' } }, 400, 'INVALID_DATA', { api_name: 'url', json_path: '$.callback.url' });
    }
    const ok = await s.createJob({ ...base(), callback: { url: `${s.url}/__emulator/callback`, method: 'post' } });
    expect(ok.status).toBe(201);
  });

  it('MODULE_NOT_AVAILABLE for unknown and unsupported modules', async () => {
    await expectError(withResource({ module: { api_name: 'Nope' } }), 400, 'MODULE_NOT_AVAILABLE', { api_name: 'Nope' });
    await expectError(withResource({ module: 'Activities' }), 400, 'MODULE_NOT_AVAILABLE', { api_name: 'Activities' });
  });

  it('INVALID_FIELD for unknown fields and fields Bulk Write cannot write', async () => {
    for (const api of ['Nope', 'Contact_Score', 'Contact_No', 'Related_Contacts', 'Photo_File', 'Created_Time', 'Full_Name']) {
      const json = await expectError(
        withResource({
          field_mappings: [
            { api_name: 'Last_Name', index: 0 },
            { api_name: api, index: 1 },
          ],
        }),
        400,
        'INVALID_FIELD',
      );
      expect((json.details as { api_name: string }).api_name).toBe(api);
    }
  });

  it('INVALID_FILE_ID for unknown or malformed file ids', async () => {
    await expectError(withResource({ file_id: '999' }), 400, 'INVALID_FILE_ID');
    await expectError(withResource({ file_id: '../../etc/passwd' }), 400, 'INVALID_FILE_ID');
  });

  it('COLUMN_INDEX_NOT_FOUND for negative and past-the-end indexes', async () => {
    await expectError(withResource({ field_mappings: [{ api_name: 'Last_Name', index: -1 }] }), 400, 'COLUMN_INDEX_NOT_FOUND', {
      index: -1,
      json_path: '$.resource[0].field_mappings[0].index',
    });
    await expectError(withResource({ field_mappings: [{ api_name: 'Last_Name', index: 4 }] }), 400, 'COLUMN_INDEX_NOT_FOUND', {
      index: 4,
      json_path: '$.resource[0].field_mappings[0].index',
    });
  });

  it('HEADER_LIMIT_EXCEEDED for more than 200 columns', async () => {
    const header = Array.from({ length: 201 }, (_, i) => (i === 0 ? 'Last_Name' : `C${i}`));
    const wide = await s.uploadCsv(`${header.join(',')}\r\n${header.map(() => 'x').join(',')}`);
    await expectError(withResource({ file_id: wide, field_mappings: [{ api_name: 'Last_Name', index: 0 }] }), 400, 'HEADER_LIMIT_EXCEEDED', { limit: 200 });
  });

  it('LIMIT_EXCEEDED for more than 25,000 records', async () => {
    const rows = ['Last_Name'];
    for (let i = 0; i < 25_001; i++) rows.push(`N${i}`);
    const big = await s.uploadCsv(rows.join('\n'));
    await expectError(withResource({ file_id: big, field_mappings: [{ api_name: 'Last_Name', index: 0 }] }), 400, 'LIMIT_EXCEEDED', { limit: 25000 });
  });

  it('MANDATORY_FIELDS_NOT_MAPPED on insert/upsert without Last_Name; update does not need it', async () => {
    await expectError(withResource({ field_mappings: [{ api_name: 'Email', index: 1 }] }), 400, 'MANDATORY_FIELDS_NOT_MAPPED', { api_names: ['Last_Name'] });
    await expectError(
      { ...withResource({ find_by: 'Email', field_mappings: [{ api_name: 'Email', index: 1 }] }), operation: 'upsert' },
      400,
      'MANDATORY_FIELDS_NOT_MAPPED',
      { api_names: ['Last_Name'] },
    );
    const upd = await s.createJob({ ...withResource({ find_by: 'Email', field_mappings: [{ api_name: 'Email', index: 1 }] }), operation: 'update' });
    expect(upd.status).toBe(201);
    // A default value counts as mapped.
    const def = await s.createJob(
      withResource({
        field_mappings: [
          { api_name: 'Email', index: 1 },
          { api_name: 'Last_Name', default_value: { value: 'X' } },
        ],
      }),
    );
    expect(def.status).toBe(201);
  });

  it('INVALID_FORMAT for a date pattern that is not one', async () => {
    const json = await expectError(
      withResource({
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Date_of_Birth', index: 2, format: 'qq/zz' },
        ],
      }),
      400,
      'INVALID_FORMAT',
    );
    expect(json.details).toMatchObject({ api_name: 'Date_of_Birth' });
    const ok = await s.createJob(
      withResource({
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Date_of_Birth', index: 2, format: 'yyyy-MM-dd' },
        ],
      }),
    );
    expect(ok.status).toBe(201);
  });

  it('LIMIT_REACHED once the daily credits are spent, with credits_left', async () => {
    const poor = await startTestServer({ dailyCredits: 1200 });
    try {
      const f = await poor.uploadCsv('Last_Name\r\nA');
      const body = { operation: 'insert', resource: [{ type: 'data', module: 'Contacts', file_id: f, field_mappings: [{ api_name: 'Last_Name', index: 0 }] }] };
      expect((await poor.createJob(body)).status).toBe(201);
      expect((await poor.createJob(body)).status).toBe(201);
      const r = await poor.createJob(body);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ status: 'error', code: 'LIMIT_REACHED', details: { credits_left: 200 } });
    } finally {
      await poor.stop();
    }
  });

  it('INVALID_TOKEN without a valid token; 413 for a JSON body over 100 KB', async () => {
    const r = await fetch(`${s.url}/crm/bulk/v8/write`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(base()) });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ status: 'error', code: 'INVALID_TOKEN' });
    const big = await s.api('POST', '/crm/bulk/v8/write', { ...base(), pad: 'x'.repeat(110 * 1024) });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ status: 'error' });
  });

  it('INVALID_REQUEST_METHOD for a wrong method', async () => {
    const r = await s.api('PUT', '/crm/bulk/v8/write', base());
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ status: 'error', code: 'INVALID_REQUEST_METHOD' });
  });

  it('Idempotency-Key: a replay returns the same job; the same key with another body is 422', async () => {
    const h = { 'Idempotency-Key': 'k-123' };
    const a = await s.api('POST', '/crm/bulk/v8/write', base(), h);
    const b = await s.api('POST', '/crm/bulk/v8/write', base(), h);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect((b.json.details as { id: string }).id).toBe((a.json.details as { id: string }).id);
    const c = await s.api('POST', '/crm/bulk/v8/write', { ...base(), ignore_empty: true }, h);
    expect(c.status).toBe(422);
    expect(c.json).toMatchObject({ status: 'error', code: 'IDEMPOTENCY_KEY_REUSED' });
  });
});
