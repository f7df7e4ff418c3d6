// The org-check fetchers against the real emulator over HTTP: users (all pages, statuses, 204 = none), and one
// Bulk Read job created, polled and downloaded through its relative download_url.
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import type { Connection } from './connection.ts';
import { bulkReadBody, createBulkRead } from './create-bulk-read.ts';
import { downloadBulkRead } from './download-bulk-read.ts';
import { emulatorConnection } from './emulator-test-support.ts';
import { ApiError } from './errors.ts';
import { fetchBulkRead, fetchBulkReadRetrying, isBulkReadDone } from './get-bulk-read.ts';
import type { RetryWait } from './retry.ts';
import { fetchUsers } from './get-users.ts';

let server: TestServer;
let conn: Connection;

beforeAll(async () => {
  server = await startTestServer();
  conn = emulatorConnection(server);
});
afterAll(async () => {
  await server.stop();
});

describe('org-check fetchers (real emulator)', () => {
  it('reads every user with a lower-cased status; an inactive one stays distinguishable', async () => {
    const users = await fetchUsers(conn);
    expect(users.length).toBeGreaterThanOrEqual(5);
    expect(users.every((u) => /^\d+$/.test(u.id) && u.email.includes('@'))).toBe(true);
    expect(users.filter((u) => u.status === 'inactive').map((u) => u.email)).toEqual(['tom.baker@zylker.example']);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
  });

  it('a users type with nobody in it is answered 204 and read as an empty list', async () => {
    const raw = await server.api('GET', '/crm/v8/users?type=DeletedUsers');
    expect(raw.status).toBe(204);
    expect(await fetchUsers(conn, 'DeletedUsers')).toEqual([]);
  });

  it('creates a Bulk Read, polls it to COMPLETED and downloads the ZIP through the relative download_url', async () => {
    expect(bulkReadBody({ module: 'Contacts', fields: ['Email'] })).toEqual({ query: { module: { api_name: 'Contacts' }, fields: ['Email'], page: 1 } });
    const id = await createBulkRead(conn, { module: 'Contacts', fields: ['Email', 'Last_Name'] });
    let job = await fetchBulkRead(conn, id);
    for (let i = 0; i < 200 && !isBulkReadDone(job); i++) {
      await new Promise((r) => setTimeout(r, 10));
      job = await fetchBulkRead(conn, id);
    }
    expect(job.state).toBe('COMPLETED');
    expect(job.result?.download_url).toMatch(/^\/crm\/bulk\/v\d\/read\/\d+\/result$/);
    const zip = await downloadBulkRead(conn, id, job.result?.download_url);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual([`${id}.csv`]);
    expect(strFromU8(files[`${id}.csv`]!).split('\r\n')[0]).toBe('id,Email,Last_Name');
  });

  it('a status read Zoho refuses (429) is waited out for Retry-After and asked again; without the retry it fails', async () => {
    const id = await createBulkRead(conn, { module: 'Contacts', fields: ['Email'] });
    // The emulator answers the next /crm request 429 with Retry-After: 1.
    await server.api('POST', '/__emulator/admin/throttle', { count: 1, retry_after: 1 });
    const refused = await fetchBulkRead(conn, id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(429);
    await server.api('POST', '/__emulator/admin/throttle', { count: 1, retry_after: 1 });
    const waits: RetryWait[] = [];
    const job = await fetchBulkReadRetrying(conn, id, { onWait: (w) => waits.push(w) });
    expect(waits.map((w) => [w.reason, w.delayMs])).toEqual([['rate-limit', 1000]]);
    expect(job.id).toBe(id);
  });

  it('a Bulk Read of a module that does not exist is a Zoho error in words', async () => {
    const err = await createBulkRead(conn, { module: 'Nope', fields: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe('zoho');
    expect((err as ApiError).status).toBeGreaterThanOrEqual(400);
  });
});
