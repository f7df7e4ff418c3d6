// Upload (POST /crm/v8/upload): success shape, header checks, and hostile ZIPs (contract §3, security S12–S14).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
let bomb: Uint8Array;
beforeAll(async () => {
  // Built before the server starts: deflating 200 MB blocks the event loop for seconds, which would otherwise race
  // the server's keep-alive timeout on a pooled socket (ECONNRESET), not what this file tests.
  bomb = zipSync({ 'bomb.csv': new Uint8Array(200 * 1024 * 1024) }, { level: 6 });
  s = await startTestServer({ maxCsvBytes: 2 * 1024 * 1024 });
});
afterAll(async () => {
  await s.stop();
});

const csvZip = (csv = 'Last_Name\r\nA\r\n', name = 'a.csv') => zipSync({ [name]: strToU8(csv) });

describe('upload', () => {
  it('answers FILE_UPLOAD_SUCCESS with a digit file_id and an ISO created_time; v2 path too', async () => {
    for (const v of ['v8', 'v2']) {
      const form = new FormData();
      form.append('file', new Blob([csvZip()]), 'x.zip');
      const res = await fetch(`${s.url}/crm/${v}/upload`, {
        method: 'POST',
        headers: { Authorization: `Zoho-oauthtoken ${s.token}`, feature: 'bulk-write', 'X-CRM-ORG': s.emulator.org().zgid },
        body: form,
      });
      expect(res.status).toBe(200);
      const json = (await res.json()) as { details: { file_id: string; created_time: string } };
      expect(json).toMatchObject({ status: 'success', code: 'FILE_UPLOAD_SUCCESS', message: 'file uploaded.' });
      expect(json.details.file_id).toMatch(/^\d+$/);
      expect(json.details.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    }
  });

  it('NOT_SUPPORTED_FEATURE without feature: bulk-write; INVALID_REQUEST / AUTHORIZATION_FAILED for X-CRM-ORG', async () => {
    expect(await s.uploadZip(csvZip(), { feature: 'other' })).toMatchObject({ status: 400, json: { status: 'error', code: 'NOT_SUPPORTED_FEATURE' } });
    const noOrg = new FormData();
    noOrg.append('file', new Blob([csvZip()]), 'x.zip');
    const r = await fetch(`${s.url}/crm/v8/upload`, {
      method: 'POST',
      headers: { Authorization: `Zoho-oauthtoken ${s.token}`, feature: 'bulk-write' },
      body: noOrg,
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await s.uploadZip(csvZip(), { 'X-CRM-ORG': '1' })).toMatchObject({ status: 400, json: { code: 'AUTHORIZATION_FAILED' } });
  });

  it('INVALID_TOKEN (401) without a token; INVALID_REQUEST_METHOD for GET', async () => {
    const r = await fetch(`${s.url}/crm/v8/upload`, { method: 'POST', headers: { feature: 'bulk-write' }, body: new FormData() });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ code: 'INVALID_TOKEN' });
    const g = await s.api('GET', '/crm/v8/upload');
    expect(g.status).toBe(400);
    expect(g.json).toMatchObject({ code: 'INVALID_REQUEST_METHOD' });
  });

  it('INVALID_FILE_FORMAT: not a zip, xlsx magic, two entries, no CSV, empty CSV, encrypted, no file part', async () => {
    const cases: Uint8Array[] = [
      strToU8('Last_Name\r\nA'),
      new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      zipSync({ 'a.csv': strToU8('Last_Name\nA'), 'b.csv': strToU8('Last_Name\nB') }),
      zipSync({ 'a.txt': strToU8('Last_Name\nA') }),
      zipSync({ 'a.csv': strToU8('') }),
      zipSync({}),
    ];
    // Two entries built with jszip too (a different writer).
    const jz = new JSZip();
    jz.file('one.csv', 'Last_Name\nA');
    jz.file('two.csv', 'Last_Name\nB');
    cases.push(await jz.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
    // Encrypted: set the general-purpose "encrypted" bit in both headers of an otherwise valid zip.
    const enc = csvZip();
    const dv = new DataView(enc.buffer);
    dv.setUint16(6, dv.getUint16(6, true) | 1, true);
    for (let i = enc.length - 22; i >= 0; i--) {
      if (dv.getUint32(i, true) === 0x02014b50) {
        dv.setUint16(i + 8, dv.getUint16(i + 8, true) | 1, true);
        break;
      }
    }
    cases.push(enc);
    for (const zip of cases) {
      const r = await s.uploadZip(zip);
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(r.json).toMatchObject({ status: 'error', code: 'INVALID_FILE_FORMAT' });
    }
    const empty = await fetch(`${s.url}/crm/v8/upload`, {
      method: 'POST',
      headers: { Authorization: `Zoho-oauthtoken ${s.token}`, feature: 'bulk-write', 'X-CRM-ORG': s.emulator.org().zgid },
      body: new FormData(),
    });
    expect(empty.status).toBe(400);
    const two = new FormData();
    two.append('file', new Blob([csvZip()]), 'a.zip');
    two.append('file', new Blob([csvZip()]), 'b.zip');
    const r2 = await fetch(`${s.url}/crm/v8/upload`, {
      method: 'POST',
      headers: { Authorization: `Zoho-oauthtoken ${s.token}`, feature: 'bulk-write', 'X-CRM-ORG': s.emulator.org().zgid },
      body: two,
    });
    expect(r2.status).toBe(400);
  });

  it('zip bomb → 413 FILE_TOO_LARGE without inflating it all', async () => {
    // 200 MB of zeros deflates to ~200 KB; the cap in this server is 2 MB.
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    const r = await s.uploadZip(bomb);
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ status: 'error', code: 'FILE_TOO_LARGE' });
    // Memory did not grow by anything near the inflated size.
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it('oversize upload (> 25 MB) → 413 FILE_TOO_LARGE', async () => {
    const big = new Uint8Array(25 * 1024 * 1024 + 10);
    const r = await s.uploadZip(big);
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ status: 'error', code: 'FILE_TOO_LARGE' });
  });

  it('zip-slip entry names are never used as paths: files land only under generated names', async () => {
    const names = ['../../evil.csv', '/etc/passwd.csv', 'C:\\x\\evil.csv', '..\\..\\evil.csv'];
    for (const name of names) {
      const r = await s.uploadZip(csvZip('Last_Name\r\nA', name));
      expect(r.status).toBe(200);
    }
    const files = readdirSync(join(s.dataDir, 'uploads'));
    expect(files.every((f) => /^\d+\.csv$/.test(f))).toBe(true);
    expect(readdirSync(s.dataDir).sort()).toEqual(expect.arrayContaining(['uploads', 'results', 'emulator.sqlite']));
    expect(readdirSync(s.dataDir).some((f) => f.includes('evil'))).toBe(false);
  });

  it('fail-uploads hook: the next N uploads answer 5xx, then uploads work again', async () => {
    await s.api('POST', '/__emulator/admin/fail-uploads', { count: 2, status: 503 });
    expect((await s.uploadZip(csvZip())).status).toBe(503);
    expect((await s.uploadZip(csvZip())).status).toBe(503);
    expect((await s.uploadZip(csvZip())).status).toBe(200);
  });
  it('a header cell longer than 255 characters is refused with 400 naming its column, without echoing it (D2)', async () => {
    const ok = await s.uploadZip(csvZip(`Last_Name,${'a'.repeat(255)}\r\nA,b\r\n`));
    expect(ok.status).toBe(200);
    const r = await s.uploadZip(csvZip(`Last_Name,${'\u0000'.repeat(256)}\r\nA,b\r\n`));
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ status: 'error', code: 'INVALID_FILE_FORMAT', details: { column: 2, limit: 255 } });
    expect(String(r.json.message)).toMatch(/column 2 is 256 characters/);
    expect(String(r.json.message)).not.toContain('\u0000');
  });
});
