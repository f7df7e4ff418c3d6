// Delete by ids, mass delete and read by ids against the real emulator over HTTP: per-id answers whatever the
// HTTP status (200 / 207 / 400), rate-limit waits, whole-call errors as typed errors, limits checked before sending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import type { Connection } from './connection.ts';
import { deleteByIds, massDelete, recordsByIds } from './delete-records.ts';
import { emulatorConnection } from './emulator-test-support.ts';
import { ApiError } from './errors.ts';
import type { RetryWait } from './retry.ts';

let server: TestServer;
let conn: Connection;
beforeAll(async () => {
  server = await startTestServer();
  conn = emulatorConnection(server);
});
afterAll(async () => {
  await server.stop();
});

let serial = 0;
async function contacts(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < n; start += 100) {
    const data = Array.from({ length: Math.min(100, n - start) }, () => ({ Last_Name: `A${++serial}`, Email: `a${serial}@api-delete.example` }));
    const r = await server.api('POST', '/crm/v8/Contacts', { data });
    ids.push(...(r.json.data as { details: { id: string } }[]).map((d) => d.details.id));
  }
  return ids;
}

describe('deleteByIds', () => {
  it('answers per id for all-deleted (200), mixed (207) and none-deleted (400) calls', async () => {
    const [a, b, c] = await contacts(3);
    expect(await deleteByIds(conn, 'Contacts', [a!, b!])).toEqual([
      { id: a, deleted: true, code: 'SUCCESS', message: 'record deleted' },
      { id: b, deleted: true, code: 'SUCCESS', message: 'record deleted' },
    ]);
    const mixed = await deleteByIds(conn, 'Contacts', [b!, c!]);
    expect(mixed.map((m) => [m.id, m.deleted, m.code])).toEqual([
      [b, false, 'INVALID_DATA'],
      [c, true, 'SUCCESS'],
    ]);
    const none = await deleteByIds(conn, 'Contacts', [a!, c!]);
    expect(none.every((m) => !m.deleted && m.code === 'INVALID_DATA')).toBe(true);
  });

  it('waits out a 429 and then deletes; reports RECORD_LOCKED from the fail-deletes hook per id', async () => {
    const [a, b] = await contacts(2);
    await server.api('POST', '/__emulator/admin/throttle', { count: 1, retry_after: 0 });
    await server.api('POST', '/__emulator/admin/fail-deletes', { ids: [b] });
    const waits: RetryWait[] = [];
    const r = await deleteByIds(conn, 'Contacts', [a!, b!], { onWait: (w) => waits.push(w) });
    expect(waits.map((w) => w.reason)).toEqual(['rate-limit']);
    expect(r.map((m) => m.code)).toEqual(['SUCCESS', 'RECORD_LOCKED']);
  });

  it('refuses more than 100 ids, a non-digit id or a bad module before sending; a whole-call error is thrown', async () => {
    const many = Array.from({ length: 101 }, (_, i) => String(1000 + i));
    await expect(deleteByIds(conn, 'Contacts', many)).rejects.toThrow(/1 to 100/);
    await expect(deleteByIds(conn, 'Contacts', ['12a'])).rejects.toThrow(/not a record id/);
    await expect(deleteByIds(conn, 'Con/tacts', ['1'])).rejects.toThrow(/module/);
    const err = await deleteByIds(conn, 'Nope', ['1']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ kind: 'zoho', code: 'INVALID_MODULE', status: 400 });
  });
});

describe('massDelete', () => {
  it('deletes up to 500 ids in one call, answered per id in order', async () => {
    const ids = await contacts(250);
    const r = await massDelete(conn, 'Contacts', ids);
    expect(r).toHaveLength(250);
    expect(r.every((m, i) => m.deleted && m.id === ids[i])).toBe(true);
    expect(await recordsByIds(conn, 'Contacts', ids.slice(0, 100), ['Email'])).toEqual(new Map());
    await expect(
      massDelete(
        conn,
        'Contacts',
        Array.from({ length: 501 }, (_, i) => String(i + 1)),
      ),
    ).rejects.toThrow(/1 to 500/);
  });
});

describe('recordsByIds', () => {
  it('reads the asked fields (and Modified_Time) of existing ids; gone ids are absent', async () => {
    const [a, b] = await contacts(2);
    await deleteByIds(conn, 'Contacts', [b!]);
    const got = await recordsByIds(conn, 'Contacts', [a!, b!], ['Email', 'Modified_Time']);
    expect([...got.keys()]).toEqual([a]);
    expect(got.get(a!)).toEqual({ id: a, Email: expect.stringContaining('@api-delete.example') as unknown, Modified_Time: expect.any(String) as unknown });
  });
});
