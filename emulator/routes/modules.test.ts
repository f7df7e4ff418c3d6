// GET /crm/v8/settings/modules: the seeded modules in Zoho's shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modulesResponse } from '../../src/api/contract/modules.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

describe('GET /crm/v8/settings/modules', () => {
  it('lists Leads, Contacts, Accounts, Deals (and a non-creatable Activities) with ids and labels', async () => {
    const r = await s.api('GET', '/crm/v8/settings/modules');
    expect(r.status).toBe(200);
    const mods = modulesResponse.parse(r.json).modules;
    expect(mods.map((m) => m.api_name)).toEqual(['Leads', 'Contacts', 'Accounts', 'Deals', 'Activities']);
    for (const m of mods) {
      expect(m.id).toMatch(/^\d{19}$/);
      expect(m.singular_label).toBeTruthy();
      expect(m.api_supported).toBe(true);
    }
    expect(mods.find((m) => m.api_name === 'Activities')!.creatable).toBe(false);
  });
  it('INVALID_TOKEN without a token', async () => {
    expect((await fetch(`${s.url}/crm/v8/settings/modules`)).status).toBe(401);
  });
});
