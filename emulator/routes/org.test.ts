// GET /crm/v8/org: the org with its zgid; 401 without a token; 400 for a wrong method.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgResponse } from '../../src/api/contract/org.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

describe('GET /crm/v8/org', () => {
  it('returns the org (contract schema) with a digit zgid; v2 path too', async () => {
    for (const v of ['v8', 'v2']) {
      const r = await s.api('GET', `/crm/${v}/org`);
      expect(r.status).toBe(200);
      const org = orgResponse.parse(r.json).org[0]!;
      expect(org.zgid).toMatch(/^\d+$/);
      expect(org.id).toMatch(/^\d{19}$/);
    }
  });
  it('INVALID_TOKEN for a missing, malformed or wrong token', async () => {
    for (const h of [{} as Record<string, string>, { Authorization: 'Bearer test-token' }, { Authorization: 'Zoho-oauthtoken wrong' }]) {
      const r = await fetch(`${s.url}/crm/v8/org`, { headers: h });
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ status: 'error', code: 'INVALID_TOKEN' });
    }
  });
  it('INVALID_REQUEST_METHOD for POST', async () => {
    expect(await s.api('POST', '/crm/v8/org', {})).toMatchObject({ status: 400, json: { code: 'INVALID_REQUEST_METHOD' } });
  });
});
