// Zoho quirks mode for the org APIs over real HTTP: Bulk Read ids as bare numbers, `INPROGRESS`, an absolute
// download URL, create errors wrapped in `data[]`; users with numeric ids — each parsed by the client's own
// tolerant schemas (src/api/contract/bulk-read.ts, users.ts) without losing a digit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkReadCreateResponse, bulkReadDetailsResponse } from '../src/api/contract/bulk-read.ts';
import { createBulkRead } from '../src/api/create-bulk-read.ts';
import { emulatorConnection } from '../src/api/emulator-test-support.ts';
import { ApiError } from '../src/api/errors.ts';
import { usersResponse } from '../src/api/contract/users.ts';
import { parseJsonKeepingIds } from '../src/api/json-text.ts';
import { quirkyBulkReadJob } from './quirks.ts';
import { startTestServer, type TestServer } from './test-helpers.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ quirks: true });
});
afterAll(async () => {
  await s.stop();
});

async function raw(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(s.url + path, {
    method,
    headers: { Authorization: `Zoho-oauthtoken ${s.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, text: await res.text() };
}

describe('org APIs in Zoho quirks mode', () => {
  it('Bulk Read: bare-number ids, an absolute download URL; the client schemas keep every digit', async () => {
    const created = await raw('POST', '/crm/bulk/v8/read', { query: { module: { api_name: 'Contacts' }, fields: ['Email'] } });
    expect(created.status).toBe(201);
    expect(created.text).toMatch(/"id":\d{19}[,}]/);
    const id = bulkReadCreateResponse.parse(parseJsonKeepingIds(created.text)).data[0]!.details.id;
    expect(id).toMatch(/^\d{19}$/);
    await s.emulator.bulkReadRunner.settled(id);
    const details = await raw('GET', `/crm/bulk/v8/read/${id}`);
    expect(details.text).toContain(`"id":${id}`);
    const job = bulkReadDetailsResponse.parse(parseJsonKeepingIds(details.text)).data[0]!;
    expect(job).toMatchObject({ id, state: 'COMPLETED', result: { download_url: `${s.url}/crm/bulk/v8/read/${id}/result` } });
    const dl = await fetch(job.result!.download_url!, { headers: { Authorization: `Zoho-oauthtoken ${s.token}` } });
    expect(dl.status).toBe(200);
  });

  it('the running state is spelled INPROGRESS, which the client reads as the same state', () => {
    const out = quirkyBulkReadJob(
      {
        id: '1',
        operation: 'read',
        state: 'IN PROGRESS',
        query: { module: 'Contacts', page: 1 },
        created_by: { id: '2', name: 'P' },
        created_time: 'x',
        file_type: 'csv',
      },
      'http://h',
    );
    expect(out.state).toBe('INPROGRESS');
    expect(bulkReadDetailsResponse.parse({ data: [out] }).data[0]!.state).toBe('INPROGRESS');
  });

  it('a create error comes wrapped in data[], with the same HTTP status', async () => {
    const r = await raw('POST', '/crm/bulk/v8/read', { query: { module: { api_name: 'Spaceships' } } });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toMatchObject({ data: [{ status: 'error', code: 'MODULE_NOT_AVAILABLE' }] });
  });

  it("the client reads a create error wrapped in data[] as Zoho's error: its code and its words, not raw JSON", async () => {
    const err = await createBulkRead(emulatorConnection(s), { module: 'Spaceships', fields: ['Email'], pageToken: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ kind: 'zoho', status: 400, code: 'MODULE_NOT_AVAILABLE', details: { api_name: 'Spaceships' } });
    expect((err as ApiError).message).toMatch(/There is no module "Spaceships" to read/);
    expect((err as ApiError).message).not.toContain('{"data"');
    const field = await createBulkRead(emulatorConnection(s), { module: 'Contacts', fields: ['Warp_Factor'], pageToken: null }).catch((e: unknown) => e);
    expect(field).toMatchObject({ kind: 'zoho', code: 'FIELD_NOT_AVAILABLE' });
  });

  it('users: numeric ids parse back to the same digit strings', async () => {
    const r = await raw('GET', '/crm/v8/users?type=AllUsers');
    expect(r.text).toMatch(/"id":\d{19}[,}]/);
    const users = usersResponse.parse(parseJsonKeepingIds(r.text)).users;
    expect(users.map((u) => u.id)).toEqual(s.emulator.users.all().map((u) => u.id));
  });
});
