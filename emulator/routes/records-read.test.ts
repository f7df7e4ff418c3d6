// GET /crm/v8/{Module} (fields, page, per_page ≤ 200, info) and GET /crm/v8/{Module}/{id}.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsReadResponse } from '../../src/api/contract/records.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
  for (let b = 0; b < 3; b++) {
    const data = Array.from({ length: 100 }, (_, i) => ({ Last_Name: `R${b * 100 + i}`, First_Name: 'Read', Email: `r${b * 100 + i}@read.example` }));
    expect((await s.api('POST', '/crm/v8/Leads', { data: data.map((d) => ({ ...d, Company: 'Co' })) })).status).toBe(201);
  }
});
afterAll(async () => {
  await s.stop();
});

const anyString: unknown = expect.any(String);
const readEmail: unknown = expect.stringContaining('@read.example');

describe('GET /crm/v8/{Module}', () => {
  it('pages with info.more_records; fields limits the keys (id always there)', async () => {
    const p1 = await s.api('GET', '/crm/v8/Leads?fields=Last_Name,Email&page=1&per_page=200');
    expect(p1.status).toBe(200);
    const a = recordsReadResponse.parse(p1.json);
    expect(a.info).toEqual({ page: 1, per_page: 200, count: 200, more_records: true });
    expect(Object.keys(a.data[0]!).sort()).toEqual(['Email', 'Last_Name', 'id']);
    const p2 = recordsReadResponse.parse((await s.api('GET', '/crm/v8/Leads?fields=Last_Name&page=2&per_page=200')).json);
    expect(p2.info).toEqual({ page: 2, per_page: 200, count: 100, more_records: false });
    const ids = new Set([...a.data, ...p2.data].map((r) => r.id));
    expect(ids.size).toBe(300);
    // Without fields every field comes back [decision].
    const all = recordsReadResponse.parse((await s.api('GET', '/crm/v8/Leads?per_page=1')).json);
    expect(all.data[0]).toMatchObject({ First_Name: 'Read', Company: 'Co', Created_Time: anyString });
  });

  it('per_page over 200 or page 0 is INVALID_DATA; past the end is 204; unknown module INVALID_MODULE', async () => {
    expect(await s.api('GET', '/crm/v8/Leads?per_page=201')).toMatchObject({ status: 400, json: { status: 'error', code: 'INVALID_DATA' } });
    expect(await s.api('GET', '/crm/v8/Leads?page=0')).toMatchObject({ status: 400, json: { code: 'INVALID_DATA' } });
    expect((await s.api('GET', '/crm/v8/Leads?page=99')).status).toBe(204);
    expect(await s.api('GET', '/crm/v8/Nope')).toMatchObject({ status: 400, json: { code: 'INVALID_MODULE' } });
    expect((await fetch(`${s.url}/crm/v8/Leads`)).status).toBe(401);
  });
});

describe('GET /crm/v8/{Module}/{id}', () => {
  it('returns one record; unknown id 404; non-digit id 400; a record of another module 404', async () => {
    const [one] = recordsReadResponse.parse((await s.api('GET', '/crm/v8/Leads?per_page=1')).json).data;
    const r = await s.api('GET', `/crm/v8/Leads/${one!.id}?fields=Email`);
    expect(r.status).toBe(200);
    expect(r.json.data).toEqual([{ id: one!.id, Email: readEmail }]);
    expect(await s.api('GET', '/crm/v8/Leads/5725767999999999999')).toMatchObject({ status: 404, json: { code: 'RESOURCE_NOT_FOUND' } });
    expect(await s.api('GET', '/crm/v8/Leads/..%2f..%2fetc')).toMatchObject({ status: 400 });
    expect(await s.api('GET', `/crm/v8/Contacts/${one!.id}`)).toMatchObject({ status: 404 });
  });
});
