// Zoho quirks mode over real HTTP: the raw wire forms (bare-number ids, `IN PROGRESS`, relative download_url,
// string module, upload errors as 200, RESOURCE_NOT_FOUND as 400), the admin toggle, and the real src/api client
// running a whole import against it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { memoryToken, type Connection } from '../src/api/connection.ts';
import { createJob } from '../src/api/create-job.ts';
import { downloadResultZip } from '../src/api/download-result.ts';
import { ApiError } from '../src/api/errors.ts';
import { fetchJob } from '../src/api/get-job.ts';
import { uploadZip } from '../src/api/upload-file.ts';
import { startTestServer, type TestServer } from './test-helpers.ts';

let s: TestServer;
let auth: Record<string, string>;
const zipOf = (csv: string) => zipSync({ 'Contacts.csv': strToU8(csv) });

async function raw(path: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(s.url + path, { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } });
  return { status: res.status, text: await res.text() };
}

async function upload(zip: Uint8Array): Promise<{ status: number; text: string }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(zip)]), 'Contacts.zip');
  return raw('/crm/v8/upload', { method: 'POST', body: form, headers: { feature: 'bulk-write', 'X-CRM-ORG': s.emulator.org().zgid } });
}

beforeAll(async () => {
  s = await startTestServer({ quirks: true });
  auth = { Authorization: `Zoho-oauthtoken ${s.token}` };
});
afterAll(async () => {
  await s.stop();
});

describe('emulator in Zoho quirks mode', () => {
  it('upload: file_id is a bare 19-digit number; a refused upload is HTTP 200 with status:error', async () => {
    const ok = await upload(zipOf('Last_Name\r\nQuirk\r\n'));
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/"file_id":\d{19},/);
    const bad = await upload(strToU8('not a zip'));
    expect(bad.status).toBe(200);
    expect(JSON.parse(bad.text)).toMatchObject({ status: 'error', code: expect.any(String) as string });
  });

  it('create + details: numeric job id, IN PROGRESS, string module, relative download_url', async () => {
    const up = await upload(zipOf('Last_Name,Email\r\nQuirk,quirk.one@quirks.example\r\nQuirk,quirk.two@quirks.example\r\n'));
    const fileId = /"file_id":(\d+)/.exec(up.text)?.[1] ?? '';
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 300 });
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
    const created = await raw('/crm/bulk/v8/write', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect(created.status).toBe(201);
    const jobId = /"details":\{"id":(\d{19}),/.exec(created.text)?.[1] ?? '';
    expect(jobId).toMatch(/^\d{19}$/);
    let seenInProgress = false;
    for (let i = 0; i < 300 && !seenInProgress; i++) {
      const d = await raw(`/crm/bulk/v8/write/${jobId}`);
      if (d.text.includes('"status":"IN PROGRESS"')) seenInProgress = true;
      else if (d.text.includes('"status":"COMPLETED"')) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seenInProgress).toBe(true);
    await s.api('POST', '/__emulator/admin/delay', { ms_per_row: 0 });
    await s.emulator.runner.settled(jobId);
    const done = await raw(`/crm/bulk/v8/write/${jobId}`);
    expect(done.text).toContain(`"id":${jobId},`);
    expect(done.text).not.toContain('INPROGRESS');
    expect(done.text).toContain('"module":"Contacts"');
    expect(done.text).toContain(`"download_url":"/crm/bulk/v8/write/${jobId}/result"`);
    const zip = await fetch(`${s.url}/crm/bulk/v8/write/${jobId}/result`, { headers: auth });
    expect(zip.status).toBe(200);
  });

  it('an unknown job is RESOURCE_NOT_FOUND with HTTP 400 (details and result)', async () => {
    for (const path of ['/crm/bulk/v8/write/5725767999999999999', '/crm/bulk/v8/write/5725767999999999999/result']) {
      const r = await raw(path);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text)).toMatchObject({ status: 'error', code: 'RESOURCE_NOT_FOUND' });
    }
  });

  it('auth and rate-limit failures keep their real status codes', async () => {
    const r = await fetch(`${s.url}/crm/v8/upload`, { method: 'POST', headers: { Authorization: 'Zoho-oauthtoken wrong' } });
    expect(r.status).toBe(401);
  });

  it('the real client imports through every quirk: upload, create, poll, download', async () => {
    const conn: Connection = { kind: 'zoho', apiDomain: s.url, uploadHost: s.url, zgid: s.emulator.org().zgid, getToken: memoryToken(s.token) };
    const { fileId } = await uploadZip(conn, new Blob([zipOf('Last_Name,Email\r\nClient,client.quirk@quirks.example\r\n')]), 'Contacts.zip');
    expect(fileId).toMatch(/^\d{19}$/);
    const { jobId } = await createJob(
      conn,
      {
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
      },
      { idempotencyKey: 'quirks-1' },
    );
    expect(s.emulator.jobs.get(jobId)).toBeTruthy();
    await s.emulator.runner.settled(jobId);
    const job = await fetchJob(conn, jobId);
    expect(job).toMatchObject({ id: jobId, status: 'COMPLETED' });
    expect(job.resource[0]?.module.api_name).toBe('Contacts');
    expect(job.resource[0]?.file?.added_count).toBe(1);
    const bytes = await downloadResultZip(conn, job.result?.download_url ?? '', jobId);
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);
    const bad = await uploadZip(conn, new Blob([strToU8('not a zip')]), 'x.zip').catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ApiError);
    expect(bad instanceof ApiError && bad.status).toBe(200);
  });

  it('the admin hook turns quirks off and on; reset returns to the start-up setting', async () => {
    expect((await s.api('POST', '/__emulator/admin/quirks', { on: false })).json).toMatchObject({ status: 'success', on: false });
    expect((await raw('/crm/bulk/v8/write/5725767999999999999')).status).toBe(404);
    expect((await upload(zipOf('Last_Name\r\nPlain\r\n'))).text).toMatch(/"file_id":"\d{19}"/);
    expect((await s.api('POST', '/__emulator/admin/quirks', { on: 'yes' })).status).toBe(400);
    await s.api('POST', '/__emulator/admin/reset', {});
    expect((await raw('/crm/bulk/v8/write/5725767999999999999')).status).toBe(400);
  });
});

describe('default mode is unchanged', () => {
  it('starts without quirks and can be switched on at runtime', async () => {
    const plain = await startTestServer();
    try {
      expect((await plain.api('GET', '/crm/bulk/v8/write/5725767999999999999')).status).toBe(404);
      await plain.api('POST', '/__emulator/admin/quirks', { on: true });
      expect((await plain.api('GET', '/crm/bulk/v8/write/5725767999999999999')).status).toBe(400);
    } finally {
      await plain.stop();
    }
  });
});
