// The Zoho proxy over real HTTP: a proxy server on loopback in front of a loopback "upstream" standing in for
// Zoho's hosts (the only seam is which origin an allowed host name is dialled at).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { startTestServer } from './test-helpers.ts';
import { createZohoProxy } from './zoho-proxy.ts';
import { zohoProxyHosts } from '../src/domain/connection/data-centres.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let upstream: Server;
let upstreamOrigin = '';
let proxy: ServerType;
let base = '';
const seen: Seen[] = [];

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      if (req.url?.startsWith('/redirect-out')) {
        res.writeHead(302, { location: 'https://evil.example/steal' }).end();
      } else if (req.url?.startsWith('/redirect-in')) {
        res.writeHead(302, { location: 'https://download-accl.zoho.com/v2/crm/1/bulk-write/2/2.zip' }).end();
      } else if (req.url?.startsWith('/html')) {
        // What an attacker-influenced page on a Zoho host (or an error page) could look like: never this app's origin's.
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<script>fetch("/__emulator/session")</script>');
      } else if (req.url?.startsWith('/file.zip')) {
        res.writeHead(200, { 'content-type': 'application/zip' }).end(Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'binary'));
      } else if (req.url?.startsWith('/inline.csv')) {
        res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'inline; filename="result.csv"' }).end('a,b\r\n1,2\r\n');
      } else if (req.url?.startsWith('/limited')) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7', 'set-cookie': 'a=b' }).end('{"code":"TOO_MANY_REQUESTS"}');
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'zoho=secret' });
        res.end(JSON.stringify({ ok: true, path: req.url, bytes: Buffer.concat(chunks).length }));
      }
    });
  });
  upstreamOrigin = `http://127.0.0.1:${await listen(upstream)}`;
  const dead = createServer();
  const deadPort = await listen(dead);
  await new Promise((r) => dead.close(r)); // nothing listens there any more: connection refused
  const app = createZohoProxy({
    upstreamOrigin: (host) => (host === 'www.zohoapis.eu' ? `http://127.0.0.1:${deadPort}` : upstreamOrigin),
    maxRequestBytes: 64 * 1024,
    timeoutMs: 5_000,
  });
  await new Promise<void>((resolve) => {
    proxy = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});

afterAll(async () => {
  await new Promise((r) => proxy.close(r));
  await new Promise((r) => upstream.close(r));
});

/** One request with the path sent byte for byte (fetch and URL would normalise percent-escapes away). */
function rawRequest(path: string, at = base): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  const u = new URL(at);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('zoho proxy', () => {
  it('allows exactly the contract hosts of every data centre', () => {
    const hosts = zohoProxyHosts();
    for (const h of [
      'www.zohoapis.com',
      'www.zohoapis.eu',
      'www.zohoapis.com.au',
      'www.zohoapis.ca',
      'content.zohoapis.com',
      'upload.zohocloud.ca',
      'files.zoho.sa',
      'upload.zoho.com',
      'download-accl.zoho.com',
    ]) {
      expect(hosts.has(h), h).toBe(true);
    }
    expect(hosts.has('accounts.zoho.com')).toBe(false);
    expect([...hosts].every((h) => /(^|\.)zoho(apis|cloud)?\.[a-z.]+$/.test(h))).toBe(true);
  });

  it('forwards an allowed GET with path, query and Authorization, and strips cookies both ways', async () => {
    seen.length = 0;
    const res = await fetch(`${base}/zoho-proxy/www.zohoapis.com/crm/v8/org?fields=a,b`, {
      headers: { authorization: 'Zoho-oauthtoken canary-token-123', cookie: 'session=1' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.json()).toEqual({ ok: true, path: '/crm/v8/org?fields=a,b', bytes: 0 });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.authorization).toBe('Zoho-oauthtoken canary-token-123');
    expect(seen[0]!.headers.cookie).toBeUndefined();
  });

  it('streams an upload body through with the bulk-write headers', async () => {
    seen.length = 0;
    const body = new Uint8Array(50_000).map((_, i) => i % 251);
    const res = await fetch(`${base}/zoho-proxy/content.zohoapis.com/crm/v8/upload`, {
      method: 'POST',
      headers: { authorization: 'Zoho-oauthtoken t', feature: 'bulk-write', 'x-crm-org': '123', 'content-type': 'application/zip' },
      body,
    });
    expect(res.status).toBe(200);
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.headers.feature).toBe('bulk-write');
    expect(seen[0]!.headers['x-crm-org']).toBe('123');
    expect(Buffer.compare(seen[0]!.body, Buffer.from(body))).toBe(0);
  });

  it('refuses any host outside the allowlist with 403 HOST_NOT_ALLOWED and sends nothing', async () => {
    seen.length = 0;
    for (const host of [
      'evil.example',
      '127.0.0.1',
      `127.0.0.1:${new URL(upstreamOrigin).port}`,
      'accounts.zoho.com',
      'zohoapis.com.evil.example',
      'www.zohoapis.com.evil.example',
    ]) {
      const res = await fetch(`${base}/zoho-proxy/${host}/crm/v8/org`);
      expect(res.status, host).toBe(403);
      const j = (await res.json()) as { status: string; code: string };
      expect(j).toMatchObject({ status: 'error', code: 'HOST_NOT_ALLOWED' });
    }
    expect(seen).toHaveLength(0);
  });

  it('answers 502 with a clear message when an allowed host cannot be reached', async () => {
    const res = await fetch(`${base}/zoho-proxy/www.zohoapis.eu/crm/v8/org`);
    expect(res.status).toBe(502);
    const j = (await res.json()) as { code: string; message: string };
    expect(j.code).toBe('UPSTREAM_UNREACHABLE');
    expect(j.message).toContain('www.zohoapis.eu');
  });

  it('caps the request body (413) without forwarding all of it', async () => {
    const res = await fetch(`${base}/zoho-proxy/content.zohoapis.com/crm/v8/upload`, {
      method: 'POST',
      body: new Uint8Array(200 * 1024),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('FILE_TOO_LARGE');
  });

  it('passes 429 and Retry-After through', async () => {
    const res = await fetch(`${base}/zoho-proxy/www.zohoapis.com/limited`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('follows a redirect only to another allowed Zoho host', async () => {
    seen.length = 0;
    const out = await fetch(`${base}/zoho-proxy/www.zohoapis.com/redirect-out`);
    expect(out.status).toBe(502);
    expect(((await out.json()) as { code: string }).code).toBe('HOST_NOT_ALLOWED');
    expect(seen.map((s) => s.url)).toEqual(['/redirect-out']);

    seen.length = 0;
    const inn = await fetch(`${base}/zoho-proxy/www.zohoapis.com/redirect-in`, { headers: { authorization: 'Zoho-oauthtoken t' } });
    expect(inn.status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['/redirect-in', '/v2/crm/1/bulk-write/2/2.zip']);
  });

  // Issue 12 D1: the host segment was cut from the encoded path at the decoded host's length, so escapes in the host
  // made the server dial `content.zohoapis.comzohoapis.com` — a name anyone could register.
  it('refuses a host segment with percent-escapes (403 HOST_NOT_ALLOWED) and dials nothing', async () => {
    seen.length = 0;
    for (const path of [
      '/zoho-proxy/%63%6F%6E%74%65%6Et.zohoapis.com/x',
      '/zoho-proxy/content.zohoapis%2Ecom/x',
      '/zoho-proxy/www.zohoapis.com%2Fevil.example/x',
    ]) {
      const res = await rawRequest(path);
      expect(res.status, path).toBe(403);
      expect(JSON.parse(res.body), path).toMatchObject({ status: 'error', code: 'HOST_NOT_ALLOWED' });
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
    }
    expect(seen).toHaveLength(0);
  });

  it('builds the target from the one allowlisted host and forwards the rest of the path still encoded', async () => {
    seen.length = 0;
    const res = await rawRequest('/zoho-proxy/www.zohoapis.com/crm/v8/a%20b//c%2Fd?q=%40x');
    expect(res.status).toBe(200);
    expect(seen.map((s) => [s.url, s.headers['x-forwarded-host'] ?? null])).toEqual([['/crm/v8/a%20b//c%2Fd?q=%40x', null]]);
  });

  it('passes only the content types Zoho answers with; an HTML answer never reaches this origin', async () => {
    const html = await fetch(`${base}/zoho-proxy/www.zohoapis.com/html`);
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('application/json');
    const j = (await html.json()) as { code: string; message: string };
    expect(j.code).toBe('UPSTREAM_CONTENT_TYPE');
    expect(j.message).toContain('text/html');
    expect(JSON.stringify(j)).not.toContain('<script>');
  });

  it('sends every answer with nosniff and a sandbox CSP, and files as attachments', async () => {
    const json = await fetch(`${base}/zoho-proxy/www.zohoapis.com/crm/v8/org`);
    expect(json.status).toBe(200);
    expect(json.headers.get('x-content-type-options')).toBe('nosniff');
    expect(json.headers.get('content-security-policy')).toBe('sandbox');
    expect(json.headers.get('content-disposition')).toBeNull();
    await json.arrayBuffer();

    const zip = await fetch(`${base}/zoho-proxy/download-accl.zoho.com/file.zip`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-disposition')).toBe('attachment');
    expect(zip.headers.get('content-security-policy')).toBe('sandbox');
    expect(new Uint8Array(await zip.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));

    const csv = await fetch(`${base}/zoho-proxy/download-accl.zoho.com/inline.csv`);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="result.csv"');
    expect(csv.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await csv.text()).toBe('a,b\r\n1,2\r\n');

    const refused = await fetch(`${base}/zoho-proxy/evil.example/x`);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(refused.headers.get('content-security-policy')).toBe('sandbox');
  });
});

describe('zoho proxy inside the real server', () => {
  it('answers the issue 12 reproduction (escaped host) with 403 before any lookup', async () => {
    const s = await startTestServer();
    try {
      const res = await rawRequest('/zoho-proxy/%63%6F%6E%74%65%6Et.zohoapis.com/x', s.url);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'HOST_NOT_ALLOWED', details: { host: '%63%6F%6E%74%65%6Et.zohoapis.com' } });
      expect(res.headers['content-security-policy']).toBe('sandbox');
    } finally {
      await s.stop();
    }
  });
});
