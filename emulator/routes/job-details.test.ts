// GET /crm/bulk/v8/write/{job_id}: the §5 shape through ADDED → INPROGRESS → COMPLETED; 404 / 400 errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDetails } from '../../src/api/contract/job-details.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

const digits: unknown = expect.stringMatching(/^\d+$/);

describe('GET /crm/bulk/v8/write/{job_id}', () => {
  it('echoes the request with explicit nulls, counts and an absolute download_url once COMPLETED', async () => {
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 100 });
    const fileId = await s.uploadCsv('Last_Name,Email,Phone\r\nA,a@d.example,+1\r\nB,b@d.example,+2\r\nC,,+3', 'Contacts.csv');
    const created = await s.createJob({
      operation: 'insert',
      ignore_empty: true,
      callback: { url: `${s.url}/__emulator/callback`, method: 'post' },
      resource: [
        {
          type: 'data',
          module: { api_name: 'Contacts' },
          file_id: fileId,
          field_mappings: [
            { api_name: 'Last_Name', index: 0, default_value: { value: 'X' } },
            { api_name: 'Email', index: 1 },
            { api_name: 'Phone', index: 2 },
          ],
        },
      ],
    });
    const id = (created.json.details as { id: string }).id;
    const early = await s.api('GET', `/crm/bulk/v8/write/${id}`);
    expect(early.status).toBe(200);
    expect(['ADDED', 'INPROGRESS']).toContain(early.json.status);
    expect(early.json.result).toBeUndefined();
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 0 });
    await s.waitJob(id);
    for (const v of ['v8', 'v2']) {
      const r = await s.api('GET', `/crm/bulk/${v}/write/${id}`);
      expect(r.status).toBe(200);
      const d = jobDetails.parse(r.json);
      expect(d.status).toBe('COMPLETED');
      expect(r.json).toMatchObject({
        id,
        operation: 'insert',
        status: 'COMPLETED',
        character_encoding: 'UTF-8',
        ignore_empty: true,
        callback: { url: `${s.url}/__emulator/callback`, method: 'post' },
        created_by: { id: digits, name: 'Patricia Boyle' },
        result: { download_url: `${s.url}/crm/bulk/v8/write/${id}/result` },
      });
      expect(r.json.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      const res = (r.json.resource as Record<string, unknown>[])[0]!;
      expect(res).toMatchObject({ status: 'COMPLETED', type: 'data', module: { api_name: 'Contacts', id: digits } });
      expect(res.field_mappings).toEqual([
        { api_name: 'Last_Name', index: 0, format: null, find_by: null, module: null, default_value: { name: null, module: null, value: 'X' } },
        { api_name: 'Email', index: 1, format: null, find_by: null, module: null, default_value: null },
        { api_name: 'Phone', index: 2, format: null, find_by: null, module: null, default_value: null },
      ]);
      expect(res.file).toEqual({ status: 'COMPLETED', name: 'Contacts.csv', added_count: 3, skipped_count: 0, updated_count: 0, total_count: 3 });
    }
  });

  it('404 RESOURCE_NOT_FOUND for an unknown job, 400 for a non-digit id, 401 without token', async () => {
    expect(await s.api('GET', '/crm/bulk/v8/write/123456')).toMatchObject({ status: 404, json: { status: 'error', code: 'RESOURCE_NOT_FOUND' } });
    expect(await s.api('GET', '/crm/bulk/v8/write/12ab')).toMatchObject({ status: 400, json: { status: 'error', code: 'INVALID_DATA' } });
    expect((await fetch(`${s.url}/crm/bulk/v8/write/1`)).status).toBe(401);
  });
});
