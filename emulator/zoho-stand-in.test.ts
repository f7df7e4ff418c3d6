// The test switches that let the emulator stand in for Zoho (admin mode only): extra accepted tokens, links named
// as Zoho's hosts when a proxy announces which host was meant, the /zoho-proxy pointed back at the emulator, and
// the request log that the token-leak checks read. Real server, real HTTP.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-helpers.ts';

const CANARY = '1000.canary-7f3e9d2c41';
let server: TestServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
});

const seedCsv = 'Last_Name,Email\nLovelace,ada@example.com\n';
const seedJob = { operation: 'insert' };
const seedResource = {
  type: 'data',
  module: { api_name: 'Contacts' },
  field_mappings: [
    { api_name: 'Last_Name', index: 0 },
    { api_name: 'Email', index: 1 },
  ],
};

describe('extra tokens', () => {
  it('accepts a configured extra token as well as the main one, and still refuses others', async () => {
    server = await startTestServer({ extraTokens: [CANARY] });
    expect((await server.api('GET', '/crm/v8/org', undefined, { Authorization: `Zoho-oauthtoken ${CANARY}` })).status).toBe(200);
    expect((await server.api('GET', '/crm/v8/org')).status).toBe(200);
    expect((await server.api('GET', '/crm/v8/org', undefined, { Authorization: 'Zoho-oauthtoken 1000.canary-7f3e9d2c4' })).status).toBe(401);
  });
});

describe('public origin of download links', () => {
  it('names the data centre download host when a proxy says it reached www.zohoapis.eu (admin mode)', async () => {
    server = await startTestServer();
    const { id } = await server.runJob(seedCsv, seedJob, seedResource);
    const asZoho = await server.api('GET', `/crm/bulk/v8/write/${id}`, undefined, { 'X-Forwarded-Host': 'www.zohoapis.eu', 'X-Forwarded-Proto': 'https' });
    expect((asZoho.json['result'] as { download_url: string }).download_url).toBe(`https://download-accl.zoho.eu/crm/bulk/v8/write/${id}/result`);
    const own = await server.api('GET', `/crm/bulk/v8/write/${id}`);
    expect((own.json['result'] as { download_url: string }).download_url).toBe(`${server.url}/crm/bulk/v8/write/${id}/result`);
  });
  it('ignores the header for hosts that are not Zoho API hosts, for plain http, and outside admin mode', async () => {
    server = await startTestServer();
    const { id } = await server.runJob(seedCsv, seedJob, seedResource);
    for (const h of [
      { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' },
      { 'X-Forwarded-Host': 'www.zohoapis.eu', 'X-Forwarded-Proto': 'http' },
    ]) {
      const r = await server.api('GET', `/crm/bulk/v8/write/${id}`, undefined, h);
      expect((r.json['result'] as { download_url: string }).download_url).toBe(`${server.url}/crm/bulk/v8/write/${id}/result`);
    }
    await server.stop();
    server = await startTestServer({ admin: false });
    const second = await server.runJob(seedCsv, seedJob, seedResource);
    const r = await server.api('GET', `/crm/bulk/v8/write/${second.id}`, undefined, { 'X-Forwarded-Host': 'www.zohoapis.eu', 'X-Forwarded-Proto': 'https' });
    expect((r.json['result'] as { download_url: string }).download_url.startsWith(server.url)).toBe(true);
  });
});

describe('the proxy pointed back at the emulator', () => {
  it('forwards an allowed Zoho host to the emulator, which answers as that host', async () => {
    server = await startTestServer({ zohoProxyUpstream: 'self' });
    const { id } = await server.runJob(seedCsv, seedJob, seedResource);
    const res = await fetch(`${server.url}/zoho-proxy/www.zohoapis.eu/crm/bulk/v8/write/${id}`, {
      headers: { Authorization: `Zoho-oauthtoken ${server.token}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result?: { download_url: string } };
    expect(body.result?.download_url).toBe(`https://download-accl.zoho.eu/crm/bulk/v8/write/${id}/result`);
    const refused = await fetch(`${server.url}/zoho-proxy/evil.example/crm/v8/org`, { headers: { Authorization: `Zoho-oauthtoken ${server.token}` } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('HOST_NOT_ALLOWED');
  });
});

describe('request log', () => {
  it('writes method, path with query, status and time per request — never the Authorization header', async () => {
    const dataLog = join(mkdtempSync(join(tmpdir(), 'request-log-')), 'requests.log');
    server = await startTestServer({ extraTokens: [CANARY], requestLog: dataLog });
    await server.api('GET', '/crm/v8/settings/fields?module=Contacts', undefined, { Authorization: `Zoho-oauthtoken ${CANARY}` });
    await server.api('GET', '/crm/v8/org', undefined, { Authorization: 'Zoho-oauthtoken wrong-token' });
    await server.stop();
    const lines = readFileSync(dataLog, 'utf8').trim().split('\n');
    server = null;
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\S+Z GET \/crm\/v8\/settings\/fields\?module=Contacts 200 \d+ms$/);
    expect(lines[1]).toMatch(/ GET \/crm\/v8\/org 401 \d+ms$/);
    const text = lines.join('\n');
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('wrong-token');
  });
});
