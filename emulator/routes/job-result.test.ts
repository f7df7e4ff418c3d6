// GET /crm/bulk/v8/write/{job_id}/result: a ZIP with `<Module>-<job_id>.csv`; not ready / unknown errors.
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

describe('GET /crm/bulk/v8/write/{job_id}/result', () => {
  it('is an application/zip holding one CSV with the echo columns, STATUS, RECORD_ID, ERRORS (CRLF, quoted)', async () => {
    const { id } = await s.runJob('Last_Name,Email,Mailing_Street\r\nQ,"q@r.example","12 Main St, ""Upper"""\r\n,x@r.example,', { operation: 'insert' }, {});
    const res = await fetch(`${s.url}/crm/bulk/v8/write/${id}/result`, { headers: { Authorization: `Zoho-oauthtoken ${s.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files)).toEqual([`Contacts-${id}.csv`]);
    const text = new TextDecoder().decode(files[`Contacts-${id}.csv`]);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('Last_Name,Email,Mailing_Street,STATUS,RECORD_ID,ERRORS');
    expect(lines[1]).toMatch(/^Q,q@r\.example,"12 Main St, ""Upper""",ADDED,\d{19},$/);
    expect(lines[2]).toBe(',x@r.example,,SKIPPED,,MANDATORY_NOT_FOUND-Last_Name');
    expect(lines[3]).toBe('');
    // v2 path serves the same file.
    expect((await fetch(`${s.url}/crm/bulk/v2/write/${id}/result`, { headers: { Authorization: `Zoho-oauthtoken ${s.token}` } })).status).toBe(200);
  });

  it('RESULT_NOT_READY while running, 404 for an unknown job, 400 for a bad id, 401 without token', async () => {
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 200 });
    const fileId = await s.uploadCsv('Last_Name\r\nA\r\nB');
    const created = await s.createJob({ operation: 'insert', resource: [{ type: 'data', module: 'Contacts', file_id: fileId }] });
    const id = (created.json.details as { id: string }).id;
    expect(await s.api('GET', `/crm/bulk/v8/write/${id}/result`)).toMatchObject({ status: 400, json: { status: 'error', code: 'RESULT_NOT_READY' } });
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 0 });
    await s.waitJob(id);
    expect(await s.api('GET', '/crm/bulk/v8/write/99/result')).toMatchObject({ status: 404, json: { code: 'RESOURCE_NOT_FOUND' } });
    expect(await s.api('GET', '/crm/bulk/v8/write/9x/result')).toMatchObject({ status: 400 });
    expect((await fetch(`${s.url}/crm/bulk/v8/write/${id}/result`)).status).toBe(401);
  });
});
