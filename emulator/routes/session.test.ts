// GET /__emulator/session: the SPA learns the token — only on a loopback Host, never cached, no auth needed.
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorSession } from '../../src/api/contract/emulator.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ token: 'session-token-123' });
});
afterAll(async () => {
  await s.stop();
});

function get(host: string): Promise<{ status: number; body: string }> {
  const u = new URL(s.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: '/__emulator/session', headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /__emulator/session', () => {
  it('answers loopback hosts with the contract shape; apiDomain follows the Host used', async () => {
    const port = new URL(s.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const r = await get(host);
      expect(r.status, host).toBe(200);
      const body = emulatorSession.parse(JSON.parse(r.body));
      expect(body).toEqual({ token: 'session-token-123', apiDomain: `http://${host}`, uploadHost: `http://${host}`, zgid: s.emulator.org().zgid });
    }
  });

  it('refuses every other Host with 403 and no token', async () => {
    for (const host of ['example.com', 'localhost.evil.test:80', '192.168.1.10']) {
      const r = await get(host);
      expect(r.status).toBe(403);
      expect(r.body).not.toContain('session-token-123');
    }
  });

  it('a token generated on first start is stored in DATA_DIR and reused on the next start', async () => {
    const saved = process.env.EMULATOR_TOKEN;
    delete process.env.EMULATOR_TOKEN;
    try {
      const a = await startTestServer({ token: undefined });
      const dir = a.dataDir;
      const token = a.token;
      expect(token).toMatch(/^1000\.[0-9a-f]{48}$/);
      await a.close();
      const { startServer } = await import('../server.ts');
      const b = await startServer({ dataDir: dir, staticDir: null });
      expect(b.token).toBe(token);
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    } finally {
      if (saved !== undefined) process.env.EMULATOR_TOKEN = saved;
    }
  });
});
