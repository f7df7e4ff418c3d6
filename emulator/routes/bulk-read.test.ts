// Bulk Read over real HTTP (docs/org-apis.md §1): create → details → result ZIP, paging with next_page_token and
// a small page size (admin hook), criteria and their limits, FAILURE, callbacks, credits, the download rate limit,
// v2 paths, auth and bad input (always a Zoho-shaped 4xx). Responses are parsed with the client's own schemas.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bulkReadColumn, bulkReadCreateResponse, bulkReadDetailsResponse, type BulkReadJob } from '../../src/api/contract/bulk-read.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../server.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});
beforeEach(async () => {
  await s.api('POST', '/__emulator/admin/reset', {});
});

async function createRead(body: unknown, version = 'v8'): Promise<string> {
  const r = await s.api('POST', `/crm/bulk/${version}/read`, body);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return bulkReadCreateResponse.parse(r.json).data[0]!.details.id;
}

async function settledJob(id: string, version = 'v8'): Promise<BulkReadJob> {
  await s.emulator.bulkReadRunner.settled(id);
  const r = await s.api('GET', `/crm/bulk/${version}/read/${id}`);
  expect(r.status).toBe(200);
  return bulkReadDetailsResponse.parse(r.json).data[0]!;
}

/** Download and unzip a result; a non-200 answer throws unless `allowError` (then rows are empty). */
async function download(path: string, allowError = false): Promise<{ name: string; header: string[]; rows: string[][]; status: number; headers: Headers }> {
  const res = await fetch(s.url + path, { headers: { Authorization: `Zoho-oauthtoken ${s.token}` } });
  if (res.status !== 200 && !allowError) throw new Error(`download ${res.status}: ${await res.text()}`);
  if (res.status !== 200) return { name: '', header: [], rows: [], status: res.status, headers: res.headers };
  const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
  const [name, bytes] = Object.entries(files)[0]!;
  const [header, ...rows] = Papa.parse<string[]>(strFromU8(bytes), { skipEmptyLines: true }).data;
  return { name, header: header ?? [], rows, status: 200, headers: res.headers };
}

/** Insert contacts through the records API (100 a call), e-mails c<i>@bulk.example. */
async function addContacts(n: number, extra: (i: number) => Record<string, unknown> = () => ({})): Promise<void> {
  for (let start = 0; start < n; start += 100) {
    const data = Array.from({ length: Math.min(100, n - start) }, (_, k) => ({
      Last_Name: `Bulk ${start + k}`,
      Email: `c${start + k}@bulk.example`,
      ...extra(start + k),
    }));
    const r = await s.api('POST', '/crm/v8/Contacts', { data });
    expect(r.status).toBe(201);
  }
}

describe('Bulk Read: create, details, result', () => {
  it('reads the requested fields in request order after id, lookups and Owner as ids, as {id}.zip → {id}.csv', async () => {
    const created = await s.api('POST', '/crm/bulk/v8/read', {
      query: { module: { api_name: 'Contacts' }, fields: ['Owner', 'Email', 'Last_Name', 'Account_Name'] },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      data: [
        {
          status: 'success',
          code: 'ADDED_SUCCESSFULLY',
          message: 'Added successfully.',
          details: { operation: 'read', state: 'ADDED', created_by: { id: s.emulator.user().id } },
        },
      ],
      info: {},
    });
    const id = bulkReadCreateResponse.parse(created.json).data[0]!.details.id;
    const job = await settledJob(id);
    expect(job).toMatchObject({
      id,
      operation: 'read',
      state: 'COMPLETED',
      file_type: 'csv',
      query: { module: { api_name: 'Contacts' }, fields: ['Owner', 'Email', 'Last_Name', 'Account_Name'], page: 1 },
    });
    expect(job.result).toMatchObject({ page: 1, per_page: 200_000, count: 2, more_records: false, download_url: `/crm/bulk/v8/read/${id}/result` });
    expect(job.result?.next_page_token).toBeUndefined();
    const out = await download(job.result!.download_url!);
    expect(out.headers.get('content-disposition')).toBe(`attachment; filename="${id}.zip"`);
    expect(out.name).toBe(`${id}.csv`);
    expect(out.header).toEqual(['id', 'Owner', 'Email', 'Last_Name', 'Account_Name']);
    expect(out.rows.map((r) => r.slice(1))).toEqual([
      [s.emulator.user().id, 'seed.one@seed.example', 'Contact One', ''],
      [s.emulator.user().id, 'seed.two@seed.example', 'Contact Two', ''],
    ]);
    expect(out.rows.every((r) => /^\d+$/.test(r[0]!))).toBe(true);
  });

  it('without fields: every field of the module, ISO 8601 date-times', async () => {
    const id = await createRead({ query: { module: { api_name: 'Accounts' } } });
    const out = await download((await settledJob(id)).result!.download_url!);
    const fields = s.emulator.meta.module('Accounts')!.fields.map((f) => f.api_name);
    expect(out.header).toEqual(['id', ...fields]);
    expect(out.rows).toHaveLength(5);
    const created = out.rows[0]![bulkReadColumn(out.header, 'created_time')]!;
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });

  it("dot notation: a lookup target's field and the owner's e-mail / name, read in the same job", async () => {
    const acct = (await s.api('GET', '/crm/v8/Accounts?fields=Account_Name')).json.data as { id: string; Account_Name: string }[];
    const zylker = acct.find((a) => a.Account_Name === 'Zylker Inc')!;
    expect((await s.api('POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'Dot', Email: 'dot@x.example', Account_Name: { id: zylker.id } }] })).status).toBe(
      201,
    );
    const id = await createRead({
      query: {
        module: { api_name: 'Contacts' },
        fields: ['Email', 'Account_Name', 'Account_Name.Account_Name', 'Owner.email', 'Owner.full_name'],
        criteria: { field: { api_name: 'Email' }, comparator: 'in', value: ['dot@x.example', 'seed.one@seed.example'] },
      },
    });
    const out = await download((await settledJob(id)).result!.download_url!);
    expect(out.header).toEqual(['id', 'Email', 'Account_Name', 'Account_Name.Account_Name', 'Owner.email', 'Owner.full_name']);
    const me = s.emulator.user();
    expect(out.rows.map((r) => r.slice(1))).toEqual([
      ['seed.one@seed.example', '', '', me.email, me.name],
      ['dot@x.example', zylker.id, 'Zylker Inc', me.email, me.name],
    ]);
  });

  it('v2: module as a string and conditions with api_name; the echo keeps the string and the v2 download path', async () => {
    const id = await createRead(
      { query: { module: 'Contacts', fields: ['Email'], criteria: { api_name: 'Email', comparator: 'equal', value: 'SEED.TWO@seed.example' } } },
      'v2',
    );
    const job = await settledJob(id, 'v2');
    expect(job.query?.module).toEqual({ api_name: 'Contacts', id: null });
    expect(job.result?.download_url).toBe(`/crm/bulk/v2/read/${id}/result`);
    const raw = await s.api('GET', `/crm/bulk/v2/read/${id}`);
    expect((raw.json.data as { query: { module: unknown } }[])[0]!.query.module).toBe('Contacts');
    const out = await download(job.result!.download_url!);
    expect(out.rows.map((r) => r[1])).toEqual(['seed.two@seed.example']);
  });

  it('an org with no matching records: COMPLETED, count 0, a CSV with only the header', async () => {
    const id = await createRead({ query: { module: { api_name: 'Deals' }, fields: ['Deal_Name'] } });
    const job = await settledJob(id);
    expect(job.result).toMatchObject({ count: 0, more_records: false });
    const out = await download(job.result!.download_url!);
    expect(out.header).toEqual(['id', 'Deal_Name']);
    expect(out.rows).toEqual([]);
  });
});

describe('Bulk Read paging', () => {
  it('a small page size (admin hook) pages through every record once, by next_page_token and by page number', async () => {
    await addContacts(25);
    expect((await s.api('POST', '/__emulator/admin/bulk-read', { page_size: 10 })).json).toMatchObject({ page_size: 10 });
    const ids: string[] = [];
    let job = await settledJob(await createRead({ query: { module: { api_name: 'Contacts' }, fields: ['Email'] } }));
    const pages: { count: number; more: boolean }[] = [];
    for (;;) {
      pages.push({ count: job.result!.count!, more: job.result!.more_records });
      expect(job.result!.per_page).toBe(10);
      ids.push(...(await download(job.result!.download_url!)).rows.map((r) => r[0]!));
      if (!job.result!.more_records) {
        expect(job.result!.next_page_token).toBeUndefined();
        break;
      }
      const token = job.result!.next_page_token!;
      expect(token).toMatch(/^[0-9a-f]{32}$/);
      job = await settledJob(await createRead({ query: { page_token: token } }));
      expect(job.query?.page_token).toBe(token);
    }
    expect(pages).toEqual([
      { count: 10, more: true },
      { count: 10, more: true },
      { count: 7, more: false },
    ]);
    expect(job.result!.page).toBe(3);
    expect(new Set(ids).size).toBe(27);
    const all = s.emulator.db.prepare(`SELECT id FROM records WHERE module = 'Contacts' ORDER BY id`).all() as { id: string }[];
    expect(ids).toEqual(all.map((r) => r.id));
    // page: 2 reads the same records as the token did.
    const p2 = await settledJob(await createRead({ query: { module: { api_name: 'Contacts' }, fields: ['Email'], page: 2 } }));
    expect((await download(p2.result!.download_url!)).rows.map((r) => r[0])).toEqual(ids.slice(10, 20));
  });

  it('an unknown page token, or one for another module, is a 400 naming page_token', async () => {
    const r = await s.api('POST', '/crm/bulk/v8/read', { query: { page_token: 'nope' } });
    expect(r).toMatchObject({ status: 400, json: { status: 'error', code: 'INVALID_DATA', details: { api_name: 'page_token' } } });
    await addContacts(3);
    await s.api('POST', '/__emulator/admin/bulk-read', { page_size: 2 });
    const job = await settledJob(await createRead({ query: { module: { api_name: 'Contacts' } } }));
    const other = await s.api('POST', '/crm/bulk/v8/read', { query: { module: { api_name: 'Leads' }, page_token: job.result!.next_page_token } });
    expect(other).toMatchObject({ status: 400, json: { code: 'INVALID_DATA', details: { api_name: 'module' } } });
  });

  it('an org of 200,000 records (seed-records hook) is one page of 200,000 with more_records false', async () => {
    const seeded = await s.api('POST', '/__emulator/admin/seed-records', { module: 'Contacts', count: 199_998 });
    expect(seeded).toMatchObject({ status: 200, json: { status: 'success', first: 3, last: 200_000 } });
    const email = s.emulator.meta.module('Contacts')!.fields.find((f) => f.api_name === 'Email')!;
    const { fieldModelFromMeta } = await import('../../src/domain/fields/field-model.ts');
    // Unique values are indexed like any other write: a later import sees these e-mails as duplicates.
    expect(s.emulator.records.findByUnique('Contacts', fieldModelFromMeta(email), 'ORG123456@org.example')).not.toBeNull();
    const t0 = performance.now();
    const job = await settledJob(await createRead({ query: { module: { api_name: 'Contacts' }, fields: ['Email', 'Owner'] } }));
    const exportMs = performance.now() - t0;
    expect(job.result).toMatchObject({ count: 200_000, more_records: false });
    const out = await download(job.result!.download_url!);
    expect(out.rows).toHaveLength(200_000);
    expect(out.rows[199_999]![1]).toBe('org200000@org.example');
    const active = new Set(
      s.emulator.users
        .all()
        .filter((u) => u.status === 'active')
        .map((u) => u.id),
    );
    expect(out.rows.every((r) => active.has(r[2]!))).toBe(true);
    console.log(`bulk read of 200,000 records: ${Math.round(exportMs)} ms to COMPLETED`);
  }, 120_000);
});

describe('Bulk Read criteria', () => {
  beforeEach(async () => {
    await addContacts(6, (i) => ({ Lead_Source: i % 2 === 0 ? 'Advertisement' : 'Cold Call', Loyalty_Points: i * 10, ...(i === 5 ? { Email: null } : {}) }));
  });
  const read = async (criteria: unknown): Promise<string[]> => {
    const job = await settledJob(await createRead({ query: { module: { api_name: 'Contacts' }, fields: ['Last_Name'], criteria } }));
    return (await download(job.result!.download_url!)).rows.map((r) => r[1]!);
  };

  it('in (case-insensitive), ${EMPTY}, numbers, nested and/or groups', async () => {
    expect(await read({ field: { api_name: 'Email' }, comparator: 'in', value: ['C1@BULK.example', 'c3@bulk.example', 'nobody@x.example'] })).toEqual([
      'Bulk 1',
      'Bulk 3',
    ]);
    expect(await read({ field: { api_name: 'Email' }, comparator: 'equal', value: '${EMPTY}' })).toEqual(['Bulk 5']);
    expect(await read({ field: { api_name: 'Loyalty_Points' }, comparator: 'greater_equal', value: 30 })).toEqual(['Bulk 3', 'Bulk 4', 'Bulk 5']);
    expect(
      await read({
        group_operator: 'or',
        group: [
          {
            group_operator: 'and',
            group: [
              { field: { api_name: 'Lead_Source' }, comparator: 'equal', value: 'Advertisement' },
              { field: { api_name: 'Loyalty_Points' }, comparator: 'less_than', value: 30 },
            ],
          },
          { field: { api_name: 'Last_Name' }, comparator: 'starts_with', value: 'bulk 5' },
        ],
      }),
    ).toEqual(['Bulk 0', 'Bulk 2', 'Bulk 5']);
    expect(await read({ field: { api_name: 'Email' }, comparator: 'not_in', value: ['c0@bulk.example', '${EMPTY}'] })).toHaveLength(6);
  });

  it.each([
    [
      '26 conditions',
      { group_operator: 'and', group: Array.from({ length: 26 }, () => ({ field: { api_name: 'Email' }, comparator: 'equal', value: 'x' })) },
      'CRITERIA_LIMIT_EXCEEDED',
      { max_limit: 25 },
    ],
    [
      '201 values',
      { field: { api_name: 'Email' }, comparator: 'in', value: Array.from({ length: 201 }, (_, i) => `v${i}@x.example`) },
      'VALUE_LIMIT_EXCEEDED_IN_CRITERIA',
      { max_limit: 200 },
    ],
    [
      'a comparator the type does not allow',
      { field: { api_name: 'Loyalty_Points' }, comparator: 'contains', value: '1' },
      'FIELD_COMPARATOR_IN_CRITERIA_NOT_SUPPORTED',
      { api_name: 'Loyalty_Points', comparator: 'contains' },
    ],
    [
      'in with a single value',
      { field: { api_name: 'Email' }, comparator: 'in', value: 'a@x.example' },
      'COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE',
      { api_name: 'Email' },
    ],
    ['an unknown field', { field: { api_name: 'Shoe_Size' }, comparator: 'equal', value: '9' }, 'INVALID_CRITERIA', {}],
    ['an unknown comparator', { field: { api_name: 'Email' }, comparator: 'like', value: 'x' }, 'INVALID_CRITERIA', {}],
  ])('%s → 400 %s', async (_name, criteria, code, details) => {
    const r = await s.api('POST', '/crm/bulk/v8/read', { query: { module: { api_name: 'Contacts' }, criteria } });
    expect(r).toMatchObject({ status: 400, json: { status: 'error', code, details } });
    expect(typeof r.json.message).toBe('string');
  });
});

describe('Bulk Read failure, callbacks, credits, rate limit', () => {
  let receiver: Server;
  const received: unknown[] = [];
  let cbServer: TestServer;
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    cbServer = await startTestServer({ callbackAllowlist: [origin], dailyCredits: 120 });
  });
  afterAll(async () => {
    await cbServer.stop();
    await new Promise((r) => receiver.close(r));
  });

  it('fail_next: the job ends FAILURE with error_message; its result is 404; the next job completes', async () => {
    await s.api('POST', '/__emulator/admin/bulk-read', { fail_next: 1 });
    const failed = await settledJob(await createRead({ query: { module: { api_name: 'Contacts' } } }));
    expect(failed.state).toBe('FAILURE');
    expect(failed.result?.error_message).toMatchObject({ status: 'error', code: 'INTERNAL_ERROR' });
    expect(failed.result?.download_url).toBeUndefined();
    const dl = await s.api('GET', `/crm/bulk/v8/read/${failed.id}/result`);
    expect(dl).toMatchObject({ status: 404, json: { code: 'RESOURCE_NOT_FOUND', details: { resource: failed.id } } });
    expect((await settledJob(await createRead({ query: { module: { api_name: 'Contacts' } } }))).state).toBe('COMPLETED');
  });

  it('POSTs {data:[job]} to the callback on COMPLETED and on FAILURE; 50 credits a job from the daily budget', async () => {
    const origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const make = (): Promise<{ status: number; json: Record<string, unknown> }> =>
      cbServer.api('POST', '/crm/bulk/v8/read', {
        callback: { url: `${origin}/cb`, method: 'post' },
        query: { module: { api_name: 'Contacts' }, fields: ['Email'] },
      });
    const a = await make();
    await cbServer.api('POST', '/__emulator/admin/bulk-read', { fail_next: 1 });
    const b = await make();
    expect([a.status, b.status]).toEqual([201, 201]);
    const [ida, idb] = [a, b].map((r) => bulkReadCreateResponse.parse(r.json).data[0]!.details.id);
    await cbServer.emulator.bulkReadRunner.settled(ida!);
    await cbServer.emulator.bulkReadRunner.settled(idb!);
    await cbServer.emulator.bulkReadRunner.stop(); // waits for callbacks in flight
    const bodies = received.map((x) => bulkReadDetailsResponse.parse(x).data[0]!);
    expect(bodies.map((j) => [j.id, j.state]).sort()).toEqual(
      [
        [ida, 'COMPLETED'],
        [idb, 'FAILURE'],
      ].sort(),
    );
    expect(cbServer.emulator.credits.left(cbServer.emulator.now())).toBe(20);
    const c = await make();
    expect(c).toMatchObject({ status: 400, json: { code: 'LIMIT_REACHED', details: { credits_left: 20 } } });
  });

  it('downloads beyond the per-minute limit get 429 with Retry-After', async () => {
    await s.api('POST', '/__emulator/admin/bulk-read', { downloads_per_minute: 2 });
    const job = await settledJob(await createRead({ query: { module: { api_name: 'Contacts' } } }));
    const statuses = [];
    let last: Headers | null = null;
    for (let i = 0; i < 3; i++) {
      const d = await download(job.result!.download_url!, true);
      statuses.push(d.status);
      last = d.headers;
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last!.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('Bulk Read bad requests: Zoho-shaped 4xx, never 500', () => {
  it.each([
    ['no module', { query: {} }, 400, 'MANDATORY_NOT_FOUND'],
    ['no query', {}, 400, 'MANDATORY_NOT_FOUND'],
    ['an unknown module', { query: { module: { api_name: 'Spaceships' } } }, 400, 'MODULE_NOT_AVAILABLE'],
    ['an unknown field', { query: { module: { api_name: 'Contacts' }, fields: ['Shoe_Size'] } }, 400, 'FIELD_NOT_AVAILABLE'],
    [
      'dot notation to a user field that does not exist',
      { query: { module: { api_name: 'Contacts' }, fields: ['Owner.shoe_size'] } },
      400,
      'FIELD_NOT_SUPPORTED',
    ],
    ['dot notation on a field that is not a lookup', { query: { module: { api_name: 'Contacts' }, fields: ['Email.domain'] } }, 400, 'FIELD_NOT_SUPPORTED'],
    [
      'dot notation to a field the target lacks',
      { query: { module: { api_name: 'Contacts' }, fields: ['Account_Name.Shoe_Size'] } },
      400,
      'FIELD_NOT_SUPPORTED',
    ],
    ['page 51', { query: { module: { api_name: 'Contacts' }, page: 51 } }, 400, 'PAGE_RANGE_EXCEEDED'],
    ['a custom view', { query: { module: { api_name: 'Contacts' }, cvid: '123' } }, 400, 'CVID_NOT_SUPPORTED'],
    [
      'callback method get',
      { callback: { url: 'http://127.0.0.1:1/cb', method: 'get' }, query: { module: { api_name: 'Contacts' } } },
      400,
      'INVALID_CALLBACK_METHOD',
    ],
    [
      'a foreign callback URL',
      { callback: { url: 'https://evil.example/cb', method: 'post' }, query: { module: { api_name: 'Contacts' } } },
      400,
      'INVALID_CALLBACK_URL',
    ],
    ['ics', { file_type: 'ics', query: { module: { api_name: 'Contacts' } } }, 400, 'INVALID_DATA'],
    ['fields not a list', { query: { module: { api_name: 'Contacts' }, fields: 'Email' } }, 400, 'INVALID_DATA'],
  ])('%s → %i %s', async (_name, body, status, code) => {
    const r = await s.api('POST', '/crm/bulk/v8/read', body);
    expect(r).toMatchObject({ status, json: { status: 'error', code } });
    expect(Object.keys(r.json).sort()).toEqual(['code', 'details', 'message', 'status']);
  });

  it('auth, media type, JSON, ids and methods', async () => {
    const noAuth = await fetch(`${s.url}/crm/bulk/v8/read`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toMatchObject({ code: 'INVALID_TOKEN' });
    expect(await s.api('POST', '/crm/bulk/v8/read', 'query=x', { 'content-type': 'text/plain' })).toMatchObject({
      status: 415,
      json: { code: 'MEDIA_TYPE_NOT_SUPPORTED' },
    });
    expect(await s.api('POST', '/crm/bulk/v8/read', '{"query":', {})).toMatchObject({ status: 400, json: { code: 'INVALID_DATA' } });
    expect(await s.api('POST', '/crm/bulk/v8/read', ' ', {})).toMatchObject({ status: 400, json: { code: 'REQUEST_BODY_IS_EMPTY' } });
    expect(await s.api('GET', '/crm/bulk/v8/read/5725767999999999999')).toMatchObject({
      status: 404,
      json: { code: 'RESOURCE_NOT_FOUND', details: { resource: '5725767999999999999' } },
    });
    expect(await s.api('GET', '/crm/bulk/v8/read/abc')).toMatchObject({ status: 400, json: { code: 'INVALID_DATA' } });
    expect(await s.api('GET', '/crm/bulk/v8/read/5725767999999999999/result')).toMatchObject({ status: 404, json: { code: 'RESOURCE_NOT_FOUND' } });
    expect(await s.api('DELETE', '/crm/bulk/v8/read')).toMatchObject({ status: 400, json: { code: 'INVALID_REQUEST_METHOD' } });
    expect(await s.api('POST', '/crm/bulk/v9/read', { query: { module: 'Contacts' } })).toMatchObject({ status: 404, json: { code: 'INVALID_URL_PATTERN' } });
    for (const v of ['v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8'])
      expect((await s.api('POST', `/crm/bulk/${v}/read`, { query: { module: 'Contacts' } })).status, v).toBe(201);
  });
});

describe('Bulk Read across a restart', () => {
  it('a job the server died with (QUEUED / IN PROGRESS) is run again on start-up and completes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emu-read-restart-'));
    try {
      const first = await startServer({ dataDir, token: 't', admin: true, staticDir: null });
      const r = await fetch(`${first.url}/crm/bulk/v8/read`, {
        method: 'POST',
        headers: { Authorization: 'Zoho-oauthtoken t', 'content-type': 'application/json' },
        body: JSON.stringify({ query: { module: { api_name: 'Contacts' }, fields: ['Email'] } }),
      });
      const id = bulkReadCreateResponse.parse(await r.json()).data[0]!.details.id;
      await first.emulator.bulkReadRunner.settled(id);
      // As if the process died mid-export: the state says IN PROGRESS and there is no outcome.
      first.emulator.db.prepare(`UPDATE bulk_reads SET state = 'IN PROGRESS', result = NULL WHERE id = ?`).run(id);
      await first.close();
      const second = await startServer({ dataDir, token: 't', admin: true, staticDir: null });
      try {
        await second.emulator.bulkReadRunner.settled(id);
        const d = await fetch(`${second.url}/crm/bulk/v8/read/${id}`, { headers: { Authorization: 'Zoho-oauthtoken t' } });
        expect(bulkReadDetailsResponse.parse(await d.json()).data[0]).toMatchObject({ state: 'COMPLETED', result: { count: 2 } });
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
