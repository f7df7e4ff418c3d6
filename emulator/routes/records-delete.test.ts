// Deleting records over real HTTP: DELETE ?ids= (≤ 100) and /{id}, mass delete (≤ 500), per-id answers with
// 200 / 207 / 400, the recycle bin, unique values freed, the fail-deletes admin hook, Modified_Time on every write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletedResponse, deleteResponse } from '../../src/api/contract/delete.ts';
import { startTestServer, type TestServer } from '../test-helpers.ts';

let s: TestServer;
let clock = new Date('2026-12-01T10:00:00Z');
beforeAll(async () => {
  s = await startTestServer({ now: () => clock });
});
afterAll(async () => {
  await s.stop();
});

let serial = 0;
/** Inserts n contacts through the records API and returns their ids. */
async function contacts(n: number, tag = 'del'): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < n; start += 100) {
    const data = Array.from({ length: Math.min(100, n - start) }, () => {
      serial++;
      return { Last_Name: `D${serial}`, Email: `${tag}${serial}@delete.example` };
    });
    const r = await s.api('POST', '/crm/v8/Contacts', { data });
    expect(r.status).toBe(201);
    ids.push(...(r.json.data as { details: { id: string } }[]).map((d) => d.details.id));
  }
  return ids;
}

const exists = async (id: string): Promise<boolean> => (await s.api('GET', `/crm/v8/Contacts/${id}`)).status === 200;

describe('DELETE /crm/v8/{Module}?ids=', () => {
  it('deletes every id (200, one SUCCESS per id in order), the records are gone and listed in the recycle bin', async () => {
    const ids = await contacts(3);
    const r = await s.api('DELETE', `/crm/v8/Contacts?ids=${ids.join(',')}`);
    expect(r.status).toBe(200);
    expect(deleteResponse.parse(r.json).data).toEqual(ids.map((id) => ({ status: 'success', code: 'SUCCESS', message: 'record deleted', details: { id } })));
    for (const id of ids) expect(await exists(id)).toBe(false);
    const bin = await s.api('GET', '/crm/v8/Contacts/deleted?type=recycle');
    expect(bin.status).toBe(200);
    const listed = deletedResponse.parse(bin.json);
    expect(
      listed.data
        .map((d) => d.id)
        .slice(0, 3)
        .sort(),
    ).toEqual([...ids].sort());
    expect(listed.data[0]).toMatchObject({ type: 'recycle', deleted_time: '2026-12-01T10:00:00+00:00', deleted_by: { id: s.emulator.user().id } });
  });

  it('mixed answers are 207 and every-id-failed is 400, each still per id; a repeated id fails the second time', async () => {
    const [a, b] = await contacts(2);
    const mixed = await s.api('DELETE', `/crm/v8/Contacts?ids=${a},5725767999999999999,${a}`);
    expect(mixed.status).toBe(207);
    expect(deleteResponse.parse(mixed.json).data.map((d) => [d.code, d.details?.id])).toEqual([
      ['SUCCESS', a],
      ['INVALID_DATA', '5725767999999999999'],
      ['INVALID_DATA', a],
    ]);
    const none = await s.api('DELETE', `/crm/v8/Contacts?ids=${a}`);
    expect(none.status).toBe(400);
    expect(none.json).toEqual({ data: [{ status: 'error', code: 'INVALID_DATA', message: 'record not deleted', details: { id: a } }] });
    expect(await exists(b!)).toBe(true);
  });

  it('refuses a missing, malformed or too long ids list before deleting anything', async () => {
    const ids = await contacts(101);
    expect(await s.api('DELETE', '/crm/v8/Contacts')).toMatchObject({ status: 400, json: { code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'ids' } } });
    expect(await s.api('DELETE', `/crm/v8/Contacts?ids=${ids.join(',')}`)).toMatchObject({ status: 400, json: { code: 'LIMIT_EXCEEDED' } });
    expect(await s.api('DELETE', `/crm/v8/Contacts?ids=${ids[0]},,${ids[1]}`)).toMatchObject({ status: 400, json: { code: 'INVALID_DATA' } });
    expect(await s.api('DELETE', '/crm/v8/Contacts?ids=abc')).toMatchObject({ status: 400, json: { code: 'INVALID_DATA' } });
    expect(await s.api('DELETE', `/crm/v8/Contacts?ids=${ids[0]}&wf_trigger=maybe`)).toMatchObject({ status: 400, json: { code: 'INVALID_DATA' } });
    expect(await s.api('DELETE', `/crm/v8/Nope?ids=${ids[0]}`)).toMatchObject({ status: 400, json: { code: 'INVALID_MODULE' } });
    for (const id of ids) expect(await exists(id)).toBe(true);
    // 100 is the limit, not 99; v2 paths work like v8.
    const ok = await s.api('DELETE', `/crm/v2/Contacts?ids=${ids.slice(0, 100).join(',')}&wf_trigger=false`);
    expect(ok.status).toBe(200);
    expect(await exists(ids[100]!)).toBe(true);
  });

  it('frees the unique values of a deleted record: a new record may take its Email', async () => {
    const [id] = await contacts(1, 'free');
    const rec = (await s.api('GET', `/crm/v8/Contacts/${id}`)).json.data as { Email: string }[];
    const email = rec[0]!.Email;
    const dup = await s.api('POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'Again', Email: email.toUpperCase() }] });
    expect(dup.json).toMatchObject({ data: [{ code: 'DUPLICATE_DATA' }] });
    expect((await s.api('DELETE', `/crm/v8/Contacts/${id}`)).status).toBe(200);
    const again = await s.api('POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'Again', Email: email.toUpperCase() }] });
    expect(again.status).toBe(201);
  });
});

describe('DELETE /crm/v8/{Module}/{id}', () => {
  it('deletes one record (200), an unknown id is 400 with the per-id shape, a non-digit id is refused', async () => {
    const [id] = await contacts(1);
    expect(await s.api('DELETE', `/crm/v8/Contacts/${id}`)).toMatchObject({ status: 200, json: { data: [{ code: 'SUCCESS', details: { id } }] } });
    expect(await s.api('DELETE', `/crm/v8/Contacts/${id}`)).toMatchObject({ status: 400, json: { data: [{ code: 'INVALID_DATA', details: { id } }] } });
    expect(await s.api('DELETE', '/crm/v8/Contacts/x1')).toMatchObject({ status: 400, json: { status: 'error', code: 'INVALID_DATA' } });
  });
});

describe('POST /crm/v8/{Module}/actions/mass_delete', () => {
  it('deletes up to 500 ids synchronously with "record is deleted" per id; 501 is LIMIT_EXCEEDED', async () => {
    const ids = await contacts(501);
    expect(await s.api('POST', '/crm/v8/Contacts/actions/mass_delete', { ids })).toMatchObject({ status: 400, json: { code: 'LIMIT_EXCEEDED' } });
    expect(await exists(ids[0]!)).toBe(true);
    const r = await s.api('POST', '/crm/v8/Contacts/actions/mass_delete', { ids: ids.slice(0, 500) });
    expect(r.status).toBe(200);
    const data = deleteResponse.parse(r.json).data;
    expect(data).toHaveLength(500);
    expect(data.every((d, i) => d.code === 'SUCCESS' && d.message === 'record is deleted' && d.details?.id === ids[i])).toBe(true);
    expect(await exists(ids[499]!)).toBe(false);
    expect(await exists(ids[500]!)).toBe(true);
  });

  it('refuses a body without ids, the cvid form, unknown keys and non-digit ids', async () => {
    const [id] = await contacts(1);
    expect(await s.api('POST', '/crm/v8/Contacts/actions/mass_delete', {})).toMatchObject({ status: 400, json: { code: 'MANDATORY_NOT_FOUND' } });
    expect(await s.api('POST', '/crm/v8/Contacts/actions/mass_delete', { cvid: '1' })).toMatchObject({ status: 400, json: { code: 'NOT_SUPPORTED' } });
    expect(await s.api('POST', '/crm/v8/Contacts/actions/mass_delete', { ids: [id], extra: 1 })).toMatchObject({ status: 400, json: { code: 'INVALID_DATA' } });
    expect(await s.api('POST', '/crm/v8/Contacts/actions/mass_delete', { ids: ['1;2'] })).toMatchObject({
      status: 400,
      json: { code: 'INVALID_DATA', details: { json_path: '$.ids[0]' } },
    });
    expect(await s.api('POST', '/crm/v8/Contacts/actions/mass_delete', 'not json')).toMatchObject({ status: 400, json: { code: 'INVALID_DATA' } });
    expect(await s.api('GET', '/crm/v8/Contacts/actions/mass_delete')).toMatchObject({ status: 400, json: { code: 'INVALID_REQUEST_METHOD' } });
    expect(await exists(id!)).toBe(true);
  });
});

describe('admin hook fail-deletes', () => {
  it('chosen ids fail with RECORD_LOCKED the given number of times, then delete; count fails the next N of any id', async () => {
    const [a, b, c] = await contacts(3);
    expect((await s.api('POST', '/__emulator/admin/fail-deletes', { ids: [b], times: 2 })).status).toBe(200);
    const first = await s.api('POST', '/crm/v8/Contacts/actions/mass_delete', { ids: [a, b] });
    expect(first.status).toBe(207);
    expect(deleteResponse.parse(first.json).data.map((d) => d.code)).toEqual(['SUCCESS', 'RECORD_LOCKED']);
    expect(first.json).toMatchObject({ data: [{}, { status: 'error', details: { id: b, action: 'delete' } }] });
    expect((await s.api('DELETE', `/crm/v8/Contacts?ids=${b}`)).status).toBe(400);
    expect((await s.api('DELETE', `/crm/v8/Contacts?ids=${b}`)).status).toBe(200);
    await s.api('POST', '/__emulator/admin/fail-deletes', { count: 1 });
    expect((await s.api('DELETE', `/crm/v8/Contacts/${c}`)).json).toMatchObject({ data: [{ code: 'RECORD_LOCKED' }] });
    expect((await s.api('DELETE', `/crm/v8/Contacts/${c}`)).status).toBe(200);
    expect(await s.api('POST', '/__emulator/admin/fail-deletes', { ids: ['x'] })).toMatchObject({ status: 400 });
  });
});

describe('GET /crm/v8/{Module}?ids=', () => {
  it('reads only those records in the order asked (gone ones absent, 204 when none); more than 100 or non-digit ids are refused', async () => {
    const [a, b, c] = await contacts(3);
    await s.api('DELETE', `/crm/v8/Contacts?ids=${b}`);
    const r = await s.api('GET', `/crm/v8/Contacts?ids=${c},${b},${a}&fields=Email`);
    expect((r.json.data as { id: string }[]).map((d) => d.id)).toEqual([c, a]);
    expect((await s.api('GET', `/crm/v8/Contacts?ids=${b}`)).status).toBe(204);
    expect(await s.api('GET', '/crm/v8/Contacts?ids=1,x')).toMatchObject({ status: 400, json: { code: 'INVALID_DATA' } });
    expect(await s.api('GET', `/crm/v8/Contacts?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`)).toMatchObject({ status: 400 });
  });
});

describe('Modified_Time', () => {
  it('is set on insert and moved on every update: records API and Bulk Write update job', async () => {
    clock = new Date('2026-12-01T11:00:00Z');
    const [id] = await contacts(1, 'mt');
    const read = async () => ((await s.api('GET', `/crm/v8/Contacts/${id}`)).json.data as { Modified_Time: string; Created_Time: string }[])[0]!;
    expect(await read()).toMatchObject({ Created_Time: '2026-12-01T11:00:00+00:00', Modified_Time: '2026-12-01T11:00:00+00:00' });
    clock = new Date('2026-12-01T11:05:00Z');
    expect((await s.api('PUT', '/crm/v8/Contacts', { data: [{ id, First_Name: 'Sync' }] })).status).toBe(200);
    expect(await read()).toMatchObject({ Created_Time: '2026-12-01T11:00:00+00:00', Modified_Time: '2026-12-01T11:05:00+00:00' });
    clock = new Date('2026-12-01T11:10:00Z');
    const job = await s.runJob(
      `id,First_Name\n${id},Bulk\n`,
      { operation: 'update' },
      {
        find_by: 'id',
        field_mappings: [
          { api_name: 'id', index: 0 },
          { api_name: 'First_Name', index: 1 },
        ],
      },
    );
    expect(job.result.rows[0]).toContain('UPDATED');
    expect(await read()).toMatchObject({ Created_Time: '2026-12-01T11:00:00+00:00', Modified_Time: '2026-12-01T11:10:00+00:00' });
  });
});
