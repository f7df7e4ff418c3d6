// The automatic fallback to the same-origin proxy, against the real emulator over HTTP. The "Zoho host" here is a
// loopback port where nothing listens, so every direct call fails the way a CORS refusal or a dead route does
// (a network error); the server's /zoho-proxy is allowed to reach that host name and dials the emulator instead.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import { createTokenHolder, type Connection } from './connection.ts';
import { createJob } from './create-job.ts';
import { ApiError } from './errors.ts';
import { fetchModules } from './get-modules.ts';
import { createTransport, physicalUrl } from './transport.ts';
import { insertOneContact } from './emulator-test-support.ts';
import { uploadZip } from './upload-file.ts';

const CANARY = '1000.transport-canary-5c1b';
let server: TestServer;
let deadHost = '';
let logFile = '';

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  deadHost = `127.0.0.1:${await closedPort()}`;
  logFile = join(mkdtempSync(join(tmpdir(), 'transport-log-')), 'requests.log');
  server = await startTestServer({ extraTokens: [CANARY], zohoProxyUpstream: 'self', zohoProxyAllowedHosts: new Set([deadHost]), requestLog: logFile });
});
afterAll(async () => {
  await server.stop();
});

/** A Zoho-kind connection whose hosts are the dead port; the proxy lives on the emulator's own origin. */
function zohoLike(): Connection {
  return {
    kind: 'zoho',
    apiDomain: `http://${deadHost}`,
    uploadHost: `http://${deadHost}`,
    extraOrigins: [server.url],
    zgid: server.emulator.org().zgid,
    getToken: createTokenHolder(CANARY, null).get,
    transport: createTransport({ proxyOrigin: server.url }),
  };
}

describe('transport fallback (real emulator behind /zoho-proxy)', () => {
  it('rewrites a Zoho URL to the same-origin proxy form only in proxy mode', () => {
    const t = createTransport({ proxyOrigin: 'http://127.0.0.1:4173' });
    const u = new URL('https://content.zohoapis.eu/crm/v8/upload?x=1');
    expect(physicalUrl(t, u).toString()).toBe(u.toString());
    t.switchToProxy('test');
    expect(physicalUrl(t, u).toString()).toBe('http://127.0.0.1:4173/zoho-proxy/content.zohoapis.eu/crm/v8/upload?x=1');
    expect(physicalUrl(createTransport({ proxyOrigin: null, mode: 'proxy' }), u).toString()).toBe(u.toString());
    // A URL already on the proxy's own origin is left alone.
    expect(physicalUrl(t, new URL('http://127.0.0.1:4173/crm/bulk/v8/write/1/result')).toString()).toBe('http://127.0.0.1:4173/crm/bulk/v8/write/1/result');
  });

  it('a direct read that cannot get through switches to the proxy once, explains why, and succeeds', async () => {
    const conn = zohoLike();
    const seen: string[] = [];
    conn.transport?.subscribe((s) => seen.push(s.mode));
    const modules = await fetchModules(conn);
    expect(modules.length).toBeGreaterThan(0);
    expect(conn.transport?.state().mode).toBe('proxy');
    expect(conn.transport?.state().reason).toMatch(new RegExp(`could not call ${deadHost.replace('.', '\\.')} directly`));
    expect(conn.transport?.state().reason).toMatch(/never stores or logs the token/);
    expect(seen).toEqual(['proxy']);
  });

  it('uploads, creates, polls and downloads through the proxy after the switch', async () => {
    const conn = zohoLike();
    const { job, bytes } = await insertOneContact(conn, server, { lastName: 'Proxy', email: 'proxy.one@transport.example', idempotencyKey: 'transport-1' });
    expect(conn.transport?.state().mode).toBe('proxy');
    expect(job.status).toBe('COMPLETED');
    expect(job.resource[0]?.file?.added_count).toBe(1);
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);
  });

  it('never re-sends a create-job POST after a direct network failure: it switches and reports the outcome as unknown', async () => {
    const uploader = zohoLike();
    const zip = zipSync({ 'Contacts.csv': strToU8('Last_Name,Email\r\nOnce,once@transport.example\r\n') });
    const { fileId } = await uploadZip(uploader, new Blob([zip]), 'Contacts.zip');
    const body = {
      operation: 'insert' as const,
      resource: [
        {
          type: 'data' as const,
          module: { api_name: 'Contacts' },
          file_id: fileId,
          field_mappings: [
            { api_name: 'Last_Name', index: 0 },
            { api_name: 'Email', index: 1 },
          ],
        },
      ],
    };
    const count = () => (server.emulator.db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n;
    const jobsBefore = count();
    const conn = zohoLike();
    const err = await createJob(conn, body, { idempotencyKey: 'transport-2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err instanceof ApiError && err.message).toMatch(/may or may not have been created, so it was not sent again/);
    expect(conn.transport?.state().mode).toBe('proxy');
    // Nothing reached the emulator: the failed direct POST was not replayed through the proxy.
    expect(count()).toBe(jobsBefore);
    // The admin's next, deliberate attempt goes through the proxy and creates exactly one job.
    await createJob(conn, body, { idempotencyKey: 'transport-3' });
    expect(count()).toBe(jobsBefore + 1);
  });

  it('the server log holds paths and statuses only: the token never appears', () => {
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain(`/zoho-proxy/${deadHost}/crm/v8/settings/modules`);
    expect(log).toContain(`/zoho-proxy/${deadHost}/crm/v8/upload`);
    expect(log).not.toContain(CANARY);
  });
});
