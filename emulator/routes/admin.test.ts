// Test hooks (/__emulator/admin/*): only with EMULATOR_ADMIN=1; reset, delay, throttle, fail-job, fail-uploads,
// dropped create-job answers, corrupted result files, the job list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCounts, startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

describe('admin hooks', () => {
  it('are 404 when the server runs without admin', async () => {
    const plain = await startTestServer({ admin: false });
    try {
      for (const hook of ['reset', 'delay', 'fail-uploads', 'throttle', 'fail-job', 'drop-create-responses', 'corrupt-results', 'bulk-read', 'seed-records']) {
        const r = await plain.api('POST', `/__emulator/admin/${hook}`, {});
        expect(r.status).toBe(404);
      }
    } finally {
      await plain.stop();
    }
  });

  it('validate their bodies with Zoho-shaped errors', async () => {
    expect(await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 'slow' })).toMatchObject({
      status: 400,
      json: { status: 'error', code: 'INVALID_DATA' },
    });
    expect(await s.api('POST', '/__emulator/admin/throttle', { count: -1 })).toMatchObject({ status: 400 });
    expect(await s.api('POST', '/__emulator/admin/fail-job', { job_id: '../x' })).toMatchObject({ status: 404, json: { code: 'RESOURCE_NOT_FOUND' } });
    expect(await s.api('POST', '/__emulator/admin/bulk-read', { page_size: 0 })).toMatchObject({ status: 400, json: { code: 'INVALID_DATA' } });
    expect(await s.api('POST', '/__emulator/admin/seed-records', { module: 'Activities', count: 5 })).toMatchObject({
      status: 400,
      json: { code: 'INVALID_DATA' },
    });
  });

  it('throttle: the next N API calls answer 429 with Retry-After, then calls work', async () => {
    await s.api('POST', '/__emulator/admin/throttle', { count: 2, retry_after: 7 });
    const a = await s.api('GET', '/crm/v8/org');
    const b = await s.api('GET', '/crm/v8/settings/modules');
    expect([a.status, b.status]).toEqual([429, 429]);
    expect(a.headers.get('retry-after')).toBe('7');
    expect(a.json).toMatchObject({ status: 'error', code: 'TOO_MANY_REQUESTS' });
    expect((await s.api('GET', '/crm/v8/org')).status).toBe(200);
  });

  it('fail-job: the job ends FAILED and rows it never reached are UNPROCESSED in the result', async () => {
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 50 });
    const fileId = await s.uploadCsv(['Last_Name', ...Array.from({ length: 40 }, (_, i) => `F${i}`)].join('\r\n'));
    const created = await s.createJob({ operation: 'insert', resource: [{ type: 'data', module: 'Contacts', file_id: fileId }] });
    const id = (created.json.details as { id: string }).id;
    // Let the first chunk commit, then fail the job.
    while (fileCounts((await s.api('GET', `/crm/bulk/v8/write/${id}`)).json).added === 0) await new Promise((r) => setTimeout(r, 20));
    const f = await s.api('POST', '/__emulator/admin/fail-job', { job_id: id });
    expect(f.status).toBe(200);
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 0 });
    const d = await s.waitJob(id);
    expect(d.status).toBe('FAILED');
    expect(d.result).toBeUndefined();
    const r = await s.result(id);
    expect(r.rows.length).toBe(40);
    const statuses = r.rows.map((x) => x[1]);
    const firstUnprocessed = statuses.indexOf('UNPROCESSED');
    expect(firstUnprocessed).toBeGreaterThan(0);
    expect(statuses.slice(0, firstUnprocessed).every((x) => x === 'ADDED')).toBe(true);
    expect(statuses.slice(firstUnprocessed).every((x) => x === 'UNPROCESSED')).toBe(true);
    expect(fileCounts(d).added).toBe(firstUnprocessed);
    // A finished job cannot be failed again.
    expect((await s.api('POST', '/__emulator/admin/fail-job', { job_id: id })).status).toBe(400);
  });

  it('reset: wipes records, jobs and uploads and reseeds the same ids', async () => {
    const before = (await s.api('GET', '/crm/v8/Accounts')).json.data as { id: string }[];
    await s.runJob('Last_Name\r\nGone', { operation: 'insert' }, {});
    const r = await s.api('POST', '/__emulator/admin/reset', {});
    expect(r.status).toBe(200);
    const after = (await s.api('GET', '/crm/v8/Accounts')).json.data as { id: string }[];
    expect(after.map((a) => a.id)).toEqual(before.slice(0, 5).map((a) => a.id));
    const contacts = (await s.api('GET', '/crm/v8/Contacts')).json.data as unknown[];
    expect(contacts.length).toBe(2);
    const file = await s.uploadCsv('Last_Name\r\nBack');
    expect(file).toMatch(/^\d+$/);
  });

  it('drop-create-responses: the job is made but the answer never arrives; a replay with the Idempotency-Key gets that job', async () => {
    const jobsBefore = ((await s.api('GET', '/__emulator/admin/jobs')).json['jobs'] as unknown[]).length;
    const fileId = await s.uploadCsv('Last_Name,Email\r\nDropped,dropped@admin.example\r\n');
    const body = {
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
    };
    expect((await s.api('POST', '/__emulator/admin/drop-create-responses', { count: 1 })).status).toBe(200);
    const headers = { Authorization: `Zoho-oauthtoken ${s.token}`, 'content-type': 'application/json', 'Idempotency-Key': 'admin-drop-1' };
    await expect(fetch(`${s.url}/crm/bulk/v8/write`, { method: 'POST', headers, body: JSON.stringify(body) })).rejects.toThrow();
    const jobs = (await s.api('GET', '/__emulator/admin/jobs')).json['jobs'] as { id: string }[];
    expect(jobs).toHaveLength(jobsBefore + 1);
    const replay = await fetch(`${s.url}/crm/bulk/v8/write`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(replay.status).toBe(201);
    expect(((await replay.json()) as { details: { id: string } }).details.id).toBe(jobs.at(-1)?.id);
    expect((await s.api('GET', '/__emulator/admin/jobs')).json['jobs']).toHaveLength(jobsBefore + 1);
  });

  it('corrupt-results: the next download loses its last row, or stops echoing the first value; later ones are intact', async () => {
    const { id, result } = await s.runJob(
      'Last_Name,Email\r\nOne,one@corrupt.example\r\nTwo,two@corrupt.example\r\n',
      { operation: 'insert' },
      {
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Email', index: 1 },
        ],
      },
    );
    expect(result.rows).toHaveLength(2);
    await s.api('POST', '/__emulator/admin/corrupt-results', { count: 1, kind: 'drop-row' });
    expect((await s.result(id)).rows).toHaveLength(1);
    await s.api('POST', '/__emulator/admin/corrupt-results', { count: 1, kind: 'echo' });
    const echoed = await s.result(id);
    expect(echoed.rows.map((r) => r[0])).toEqual(['TAMPERED', 'Two']);
    expect(echoed.rows[0]?.slice(1)).toEqual(result.rows[0]?.slice(1));
    expect(await s.result(id)).toMatchObject({ rows: result.rows });
  });

  // Issue 12 D4: any web page open in the same browser could post `text/plain` (a "simple" request, no preflight)
  // to the admin hooks and wipe the data or throttle the API.
  describe('refuse calls a web page could make', () => {
    const contactCount = async () => ((await s.api('GET', '/crm/v8/Contacts')).json.data as unknown[]).length;
    const post = (hook: string, headers: Record<string, string>, body = '{}') => fetch(`${s.url}/__emulator/admin/${hook}`, { method: 'POST', headers, body });
    const auth = () => ({ Authorization: `Zoho-oauthtoken ${s.token}` });

    it('a cross-origin text/plain reset or throttle (the reproduction) changes nothing', async () => {
      await s.runJob('Last_Name\r\nKept', { operation: 'insert' }, {});
      const before = await contactCount();
      const page = { Origin: 'https://evil.example', 'content-type': 'text/plain' };
      const reset = await post('reset', page);
      expect(reset.status).toBe(403);
      expect(await reset.json()).toMatchObject({ status: 'error', code: 'FORBIDDEN_ORIGIN' });
      const throttle = await post('throttle', page, '{"count":5,"retry_after":60}');
      expect(throttle.status).toBe(403);
      expect(await contactCount()).toBe(before);
      expect((await s.api('GET', '/crm/v8/org')).status).toBe(200);
    });

    it('need the emulator token, JSON and no foreign Origin — each on its own', async () => {
      const json = { 'content-type': 'application/json' };
      const noToken = await post('throttle', json, '{"count":5}');
      expect(noToken.status).toBe(401);
      expect(await noToken.json()).toMatchObject({ status: 'error', code: 'INVALID_TOKEN' });
      expect((await post('throttle', { ...json, Authorization: 'Zoho-oauthtoken wrong' }, '{"count":5}')).status).toBe(401);
      const plain = await post('throttle', { ...auth(), 'content-type': 'text/plain' }, '{"count":5}');
      expect(plain.status).toBe(415);
      expect(await plain.json()).toMatchObject({ status: 'error', code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect((await post('throttle', { ...auth(), ...json, Origin: 'null' }, '{"count":5}')).status).toBe(403);
      expect((await post('throttle', { ...auth(), ...json, Origin: 'http://127.0.0.1:1' }, '{"count":5}')).status).toBe(403);
      expect((await fetch(`${s.url}/__emulator/admin/jobs`)).status).toBe(401);
      expect((await fetch(`${s.url}/__emulator/admin/jobs`, { headers: { ...auth(), Origin: 'https://evil.example' } })).status).toBe(403);
      // None of those took effect.
      expect((await s.api('GET', '/crm/v8/org')).status).toBe(200);
      // The server's own origin with the token and JSON is accepted (the e2e harness and a local script).
      const own = await post('throttle', { ...auth(), ...json, Origin: s.url }, '{"count":0}');
      expect(own.status).toBe(200);
      expect((await fetch(`${s.url}/__emulator/admin/jobs`, { headers: auth() })).status).toBe(200);
    });

    it('a Zoho stand-in token (extra token) is not an admin token', async () => {
      const extra = await startTestServer({ extraTokens: ['1000.stand-in'] });
      try {
        const r = await fetch(`${extra.url}/__emulator/admin/throttle`, {
          method: 'POST',
          headers: { Authorization: 'Zoho-oauthtoken 1000.stand-in', 'content-type': 'application/json' },
          body: '{"count":1}',
        });
        expect(r.status).toBe(401);
      } finally {
        await extra.stop();
      }
    });
  });
});
