// GET /crm/v8/settings/fields?module=X: seeded metadata covering every data type and refused field kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFieldsResponse } from '../../src/api/contract/fields.ts';
import { WRITABLE_DATA_TYPES } from '../../src/domain/fields/field-meta.ts';
import { fieldModelFromMeta } from '../../src/domain/fields/field-model.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

const fields = async (module: string) => parseFieldsResponse((await s.api('GET', `/crm/v8/settings/fields?module=${module}`)).json);

describe('GET /crm/v8/settings/fields', () => {
  it('covers every writable data type across the seeded modules, small and large textareas', async () => {
    const all = [...(await fields('Leads')), ...(await fields('Contacts')), ...(await fields('Accounts')), ...(await fields('Deals'))];
    const types = new Set(all.map((f) => f.data_type));
    for (const t of WRITABLE_DATA_TYPES) expect(types, t).toContain(t);
    const textareas = new Set(all.filter((f) => f.data_type === 'textarea').map((f) => f.textarea?.type));
    expect(textareas).toEqual(new Set(['small', 'large']));
    expect(all.every((f) => f.data_type !== 'text' || (f.length ?? 0) <= 255)).toBe(true);
  });

  it('marks the system-mandatory, unique and lookup fields of the contract', async () => {
    const mandatory = async (m: string) =>
      (await fields(m))
        .filter((f) => f.system_mandatory)
        .map((f) => f.api_name)
        .sort();
    expect(await mandatory('Leads')).toEqual(['Company', 'Last_Name']);
    expect(await mandatory('Contacts')).toEqual(['Last_Name']);
    expect(await mandatory('Accounts')).toEqual(['Account_Name']);
    expect(await mandatory('Deals')).toEqual(['Deal_Name', 'Stage']);
    const contacts = await fields('Contacts');
    expect(contacts.find((f) => f.api_name === 'Email')!.unique).toEqual({ case_sensitive: false });
    expect((await fields('Leads')).find((f) => f.api_name === 'Email')!.unique).toEqual({ case_sensitive: false });
    expect((await fields('Accounts')).find((f) => f.api_name === 'Account_Number')!.unique).toEqual({ case_sensitive: true });
    const deals = await fields('Deals');
    expect(contacts.find((f) => f.api_name === 'Account_Name')!.lookup).toMatchObject({ module: { api_name: 'Accounts' } });
    expect(deals.find((f) => f.api_name === 'Account_Name')!.lookup).toMatchObject({ module: { api_name: 'Accounts' } });
    expect(deals.find((f) => f.api_name === 'Contact_Name')!.lookup).toMatchObject({ module: { api_name: 'Contacts' } });
    expect(deals.find((f) => f.api_name === 'Stage')!.pick_list_values!.length).toBeGreaterThan(3);
  });

  it('includes fields Bulk Write must refuse, which the shared field model marks not writable', async () => {
    const contacts = await fields('Contacts');
    for (const api of ['Contact_Score', 'Contact_No', 'Related_Contacts', 'Photo_File', 'Created_Time']) {
      const f = contacts.find((x) => x.api_name === api)!;
      expect(fieldModelFromMeta(f).writable.ok, api).toBe(false);
    }
  });

  it('REQUIRED_PARAM_MISSING without module, INVALID_MODULE for an unknown one, 401 without token', async () => {
    expect(await s.api('GET', '/crm/v8/settings/fields')).toMatchObject({ status: 400, json: { status: 'error', code: 'REQUIRED_PARAM_MISSING' } });
    expect(await s.api('GET', '/crm/v8/settings/fields?module=Nope')).toMatchObject({ status: 400, json: { status: 'error', code: 'INVALID_MODULE' } });
    expect((await fetch(`${s.url}/crm/v8/settings/fields?module=Leads`)).status).toBe(401);
  });
});
