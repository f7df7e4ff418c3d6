// The Zoho proxy over real HTTP: a proxy server on loopback in front of a loopback "upstream" standing in for
// Zoho's hosts (the only seam is which origin an allowed host name is dialled at).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createZohoProxy } from './zoho-proxy.ts';
import { zohoProxyHosts } from '../src/domain/connection/data-centres.ts';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }

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

describe('zoho proxy', () => {
  it('allows exactly the contract hosts of every data centre', () => {
    const hosts = zohoProxyHosts();
    for (const h of ['www.zohoapis.com', 'www.zohoapis.eu', 'www.zohoapis.com.au', 'www.zohoapis.ca', 'content.zohoapis.com', 'upload.zohocloud.ca', 'files.zoho.sa', 'upload.zoho.com', 'download-accl.zoho.com']) {
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
    for (const host of ['evil.example', '127.0.0.1', `127.0.0.1:${new URL(upstreamOrigin).port}`, 'accounts.zoho.com', 'zohoapis.com.evil.example', 'www.zohoapis.com.evil.example']) {
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
});
