// Server-wide controls (security S10, S11, S15): loopback Host check, exact-origin CORS, Zoho-shaped 404/405,
// no stack traces, SPA static serving with fallback, /healthz.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
let dist: string;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'emu-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>wizard</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  s = await startTestServer({ staticDir: dist, corsOrigins: ['http://localhost:5173'] });
});
afterAll(async () => {
  await s.stop();
  rmSync(dist, { recursive: true, force: true });
});

/** fetch() will not send a custom Host header; node:http will. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const u = new URL(s.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('server controls', () => {
  it('answers 403 to a non-loopback Host (DNS rebinding), including the session endpoint', async () => {
    for (const host of ['evil.test', 'evil.test:80', '127.0.0.1.evil.test', '10.0.0.1', '[::2]:80']) {
      const r = await rawGet('/__emulator/session', { Host: host });
      expect(r.status, host).toBe(403);
      expect(r.body).not.toContain('token');
    }
    for (const host of ['127.0.0.1:1234', 'localhost', 'LOCALHOST:9', '[::1]:8080']) {
      expect((await rawGet('/healthz', { Host: host })).status, host).toBe(200);
    }
  });

  it('GET /__emulator/session gives token, apiDomain, uploadHost and zgid to loopback callers', async () => {
    const r = await fetch(`${s.url}/__emulator/session`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ token: s.token, apiDomain: s.url, uploadHost: s.url, zgid: s.emulator.org().zgid });
    expect(r.headers.get('cache-control')).toBe('no-store');
  });

  it('CORS: exact allowed origins get ACAO = that origin, others get none (never *)', async () => {
    const ok = await fetch(`${s.url}/crm/v8/org`, { headers: { Origin: 'http://localhost:5173', Authorization: `Zoho-oauthtoken ${s.token}` } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const evil = await fetch(`${s.url}/crm/v8/org`, { headers: { Origin: 'https://evil.test', Authorization: `Zoho-oauthtoken ${s.token}` } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${s.url}/crm/bulk/v8/write`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('X-CRM-ORG');
    const preEvil = await fetch(`${s.url}/crm/bulk/v8/write`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.test', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preEvil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('unknown API paths are Zoho-shaped 404 INVALID_URL_PATTERN; traversal never reaches the filesystem', async () => {
    for (const p of ['/crm/v8/settings/nope', '/crm/bulk/v8/write/1/result/x', '/crm/v9/org']) {
      const r = await s.api('GET', p);
      expect(r.status, p).toBe(404);
      expect(r.json).toMatchObject({ status: 'error', code: 'INVALID_URL_PATTERN' });
    }
    const t = await s.api('GET', '/crm/bulk/v8/write/..%2f..%2fetc%2fpasswd/result');
    expect([400, 404]).toContain(t.status);
    expect(JSON.stringify(t.json)).not.toContain('root:');
  });

  it('malformed JSON never leaks a stack trace', async () => {
    const r = await s.api('POST', '/crm/v8/Contacts', '{"data": [');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ status: 'error', code: 'INVALID_DATA' });
    expect(JSON.stringify(r.json)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('serves the built SPA with index.html fallback, and /healthz', async () => {
    expect(await (await fetch(`${s.url}/`)).text()).toContain('wizard');
    expect(await (await fetch(`${s.url}/assets/app.js`)).text()).toContain('console.log');
    expect(await (await fetch(`${s.url}/steps/upload`)).text()).toContain('wizard');
    expect(await (await fetch(`${s.url}/healthz`)).json()).toEqual({ ok: true });
    // Traversal attempts (sent raw, not normalised by a client) get the SPA shell, never a file outside dist.
    const host = new URL(s.url).host;
    for (const p of ['/../../../etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc/passwd']) {
      const r = await rawGet(p, { Host: host });
      expect(r.body, p).not.toContain('root:');
    }
  });

  it('the SPA is served with a strict CSP (no inline or eval scripts, no framing, API calls to self and Zoho only)', async () => {
    const csp = (await fetch(`${s.url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(/script-src[^;]*unsafe-inline/.test(csp)).toBe(false);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src 'self' [^;]*https:\/\/www\.zohoapis\.com/);
  });

  it('a prototype-polluting body does not pollute Object.prototype; its keys are refused as unknown (S15, S19)', async () => {
    const fileId = await s.uploadCsv('Last_Name\r\nP');
    const body = `{"operation":"insert","__proto__":{"polluted":1},"resource":[{"type":"data","module":"Contacts","file_id":"${fileId}","constructor":{"prototype":{"polluted":2}}}]}`;
    const r = await s.api('POST', '/crm/bulk/v8/write', body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ code: 'INVALID_DATA', details: { api_name: '__proto__', json_path: '$.__proto__' } });
    const nested = `{"operation":"insert","resource":[{"type":"data","module":"Contacts","file_id":"${fileId}","constructor":{"prototype":{"polluted":2}}}]}`;
    const r2 = await s.api('POST', '/crm/bulk/v8/write', nested);
    expect(r2.json).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'constructor', json_path: '$.resource[0].constructor' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
