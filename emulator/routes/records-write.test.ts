// Synchronous records API (contract §10): POST insert, PUT update, POST upsert — ≤ 100 records, per-record results
// in request order, 1 credit per 10 records, the same row rules as Bulk Write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsWriteResponse } from '../../src/api/contract/records.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

type Result = { code: string; status: string; message: string; details: Record<string, unknown>; action?: string };
const write = async (method: string, path: string, body: unknown) => {
  const r = await s.api(method, path, body);
  return {
    status: r.status,
    data: (r.status < 300 || r.status === 207 || (r.status === 400 && 'data' in r.json) ? recordsWriteResponse.parse(r.json).data : []) as Result[],
    json: r.json,
  };
};

const id19: unknown = expect.stringMatching(/^\d{19}$/);

describe('POST /crm/v8/{Module} (insert)', () => {
  it('answers per record in request order: SUCCESS with ids, or the row error naming the field', async () => {
    const [acc] = (await s.api('GET', '/crm/v8/Accounts')).json.data as { id: string }[];
    const r = await write('POST', '/crm/v8/Contacts', {
      data: [
        { Last_Name: 'Sync1', Email: 'sync1@r.example', Account_Name: { id: acc!.id }, Hobbies: ['Music', 'Kites'], Email_Opt_Out: true, Loyalty_Points: 42 },
        { Email: 'nolast@r.example' },
        { Last_Name: 'Dup', Email: 'SYNC1@r.example' },
        { Last_Name: 'Bad', Date_of_Birth: '31/12/2000' },
        { Last_Name: 'BadLookup', Account_Name: { id: '123' } },
        { Last_Name: 'Unknown keys ignored', Nope: 'x', Created_Time: '2020-01-01T00:00:00+00:00' },
      ],
    });
    expect(r.status).toBe(207);
    expect(r.data.map((d) => d.code)).toEqual(['SUCCESS', 'MANDATORY_NOT_FOUND', 'DUPLICATE_DATA', 'INVALID_DATA', 'INVALID_DATA', 'SUCCESS']);
    expect(r.data[0]).toMatchObject({ status: 'success', message: 'record added', details: { id: id19 } });
    expect(r.data[1]!.details).toMatchObject({ api_name: 'Last_Name', json_path: '$.data[1].Last_Name' });
    expect(r.data[2]!.details).toMatchObject({ api_name: 'Email', duplicate_record: { id: r.data[0]!.details.id } });
    expect(r.data[3]!.details).toMatchObject({ api_name: 'Date_of_Birth', expected_data_type: 'date' });
    expect(r.data[4]!.details).toMatchObject({ api_name: 'Account_Name' });
    const rec = (await s.api('GET', `/crm/v8/Contacts/${String(r.data[0]!.details.id)}`)).json.data as Record<string, unknown>[];
    expect(rec[0]).toMatchObject({ Last_Name: 'Sync1', Hobbies: ['Music', 'Kites'], Email_Opt_Out: true, Account_Name: { id: acc!.id, name: 'Zylker Inc' } });
    const fields = (await s.api('GET', '/crm/v8/settings/fields?module=Contacts')).json.fields as {
      api_name: string;
      pick_list_values: { actual_value: string }[];
    }[];
    expect(fields.find((f) => f.api_name === 'Hobbies')!.pick_list_values.map((p) => p.actual_value)).toContain('Kites');
  });

  it('201 when all succeed, 400 when all fail', async () => {
    expect((await write('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'L', Company: 'C' }] })).status).toBe(201);
    expect((await write('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'L' }] })).status).toBe(400);
  });

  it('request errors: > 100 records LIMIT_EXCEEDED, missing data MANDATORY_NOT_FOUND, wrong types INVALID_DATA, unknown module INVALID_MODULE', async () => {
    const many = { data: Array.from({ length: 101 }, (_, i) => ({ Last_Name: `N${i}` })) };
    expect((await s.api('POST', '/crm/v8/Contacts', many)).json).toMatchObject({ status: 'error', code: 'LIMIT_EXCEEDED', details: { limit: 100 } });
    expect((await s.api('POST', '/crm/v8/Contacts', {})).json).toMatchObject({ status: 'error', code: 'MANDATORY_NOT_FOUND', details: { api_name: 'data' } });
    expect((await s.api('POST', '/crm/v8/Contacts', { data: 'x' })).json).toMatchObject({ status: 'error', code: 'INVALID_DATA' });
    expect((await s.api('POST', '/crm/v8/Contacts', { data: [{ Last_Name: { nested: true } }] })).json).toMatchObject({
      status: 'error',
      code: 'INVALID_DATA',
    });
    expect(await s.api('POST', '/crm/v8/Nope', { data: [{ Last_Name: 'x' }] })).toMatchObject({ status: 400, json: { code: 'INVALID_MODULE' } });
    expect((await fetch(`${s.url}/crm/v8/Contacts`, { method: 'POST', body: '{}' })).status).toBe(401);
  });

  it('spends 1 credit per 10 records; LIMIT_REACHED when the budget is gone', async () => {
    const poor = await startTestServer({ dailyCredits: 3 });
    try {
      const data = Array.from({ length: 21 }, (_, i) => ({ Last_Name: `C${i}` }));
      expect((await poor.api('POST', '/crm/v8/Contacts', { data })).status).toBe(201);
      expect(poor.emulator.credits.left(new Date())).toBe(0);
      const r = await poor.api('POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'one more' }] });
      expect(r.json).toMatchObject({ status: 'error', code: 'LIMIT_REACHED', details: { credits_left: 0 } });
    } finally {
      await poor.stop();
    }
  });
});

describe('PUT /crm/v8/{Module} (update)', () => {
  it('updates by id; missing id MANDATORY_NOT_FOUND; unknown id INVALID_DATA; null blanks a field', async () => {
    const ins = await write('POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'U1', Title: 'Dr', Phone: '+1' }] });
    const id = String(ins.data[0]!.details.id);
    const r = await write('PUT', '/crm/v8/Contacts', {
      data: [{ id, Title: 'Prof', Phone: null }, { Title: 'x' }, { id: '42', Title: 'y' }, { id, Last_Name: null }],
    });
    expect(r.status).toBe(207);
    expect(r.data.map((d) => d.code)).toEqual(['SUCCESS', 'MANDATORY_NOT_FOUND', 'INVALID_DATA', 'MANDATORY_NOT_FOUND']);
    expect(r.data[0]!.message).toBe('record updated');
    expect(r.data[1]!.details).toMatchObject({ api_name: 'id' });
    const rec = ((await s.api('GET', `/crm/v8/Contacts/${id}`)).json.data as Record<string, unknown>[])[0]!;
    expect(rec).toMatchObject({ Title: 'Prof', Last_Name: 'U1' });
    expect(rec.Phone).toBeUndefined();
    expect((await write('PUT', '/crm/v8/Contacts', { data: [{ id, Title: 'Again' }] })).status).toBe(200);
  });
});

describe('POST /crm/v8/{Module}/upsert', () => {
  it('updates on a duplicate_check_fields match, inserts otherwise; action and duplicate_field say which', async () => {
    await write('POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'Up', Email: 'up@r.example' }] });
    const r = await write('POST', '/crm/v8/Contacts/upsert', {
      duplicate_check_fields: ['Email'],
      data: [{ Email: 'UP@r.example', Title: 'T' }, { Last_Name: 'New', Email: 'new@r.example' }, { Email: 'nolast@up.example' }],
    });
    expect(r.data.map((d) => [d.code, d.action])).toEqual([
      ['SUCCESS', 'update'],
      ['SUCCESS', 'insert'],
      ['MANDATORY_NOT_FOUND', undefined],
    ]);
    expect((r.data[0] as Result & { duplicate_field: string }).duplicate_field).toBe('Email');
    expect(await s.api('POST', '/crm/v8/Contacts/upsert', { duplicate_check_fields: ['Title'], data: [{ Last_Name: 'x' }] })).toMatchObject({
      status: 400,
      json: { code: 'INVALID_DATA' },
    });
  });
});
