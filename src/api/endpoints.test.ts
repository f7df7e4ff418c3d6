// Every endpoint file against the real emulator over HTTP: parsed shapes, typed errors (401, 429 with
// Retry-After, status:error), the result ZIP behind an absolute download_url, and the token only in the header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import { memoryToken, type Connection } from './connection.ts';
import { downloadResultZip } from './download-result.ts';
import { AuthError, RateLimitError, ApiError } from './errors.ts';
import { fetchFields } from './get-fields.ts';
import { fetchJob } from './get-job.ts';
import { fetchModules, importableModules } from './get-modules.ts';
import { fetchOrg } from './get-org.ts';
import { fetchEmulatorConnection } from './get-emulator-session.ts';
import { emulatorConnection, insertOneContact } from './emulator-test-support.ts';

let server: TestServer;
let conn: Connection;

beforeAll(async () => {
  server = await startTestServer();
  conn = emulatorConnection(server);
});
afterAll(async () => {
  await server.stop();
});

describe('api endpoints (real emulator)', () => {
  it('reads the session into a connection whose token is not a property', async () => {
    const c = await fetchEmulatorConnection(server.url);
    expect(c.getToken()).toBe(server.token);
    expect(JSON.stringify(c)).not.toContain(server.token);
  });

  it('reads org, modules and fields in the shared shapes', async () => {
    expect((await fetchOrg(conn))?.zgid).toBe(conn.zgid);
    const modules = importableModules(await fetchModules(conn)).map((m) => m.api_name);
    expect(modules).toEqual(expect.arrayContaining(['Contacts', 'Leads']));
    const fields = await fetchFields(conn, 'Contacts');
    expect(fields.find((f) => f.api_name === 'Email')?.unique).toEqual({ case_sensitive: false });
    // Zoho's `{}` means not unique.
    expect(fields.find((f) => f.api_name === 'First_Name')?.unique).toBeUndefined();
  });

  it('uploads, creates, polls and downloads the result', async () => {
    const { job, bytes } = await insertOneContact(conn, server, { lastName: 'Api', email: 'api.one@endpoints.example', idempotencyKey: 'endpoints-1' });
    expect(job.status).toBe('COMPLETED');
    expect(job.resource[0]?.file?.added_count).toBe(1);
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);
  });

  it('a wrong token is an AuthError, an unknown job a Zoho error in words', async () => {
    const bad: Connection = { ...conn, getToken: memoryToken('nope') };
    await expect(fetchModules(bad)).rejects.toBeInstanceOf(AuthError);
    const err = await fetchJob(conn, '999999999').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err instanceof ApiError && err.code).toBe('RESOURCE_NOT_FOUND');
  });

  it('429 becomes a RateLimitError carrying Retry-After', async () => {
    const r = await server.api('POST', '/__emulator/admin/throttle', { count: 1, retry_after: 2 });
    expect(r.status).toBe(200);
    const err = await fetchModules(conn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err instanceof RateLimitError && err.retryAfterMs).toBe(2000);
  });

  it('never sends the token to a host outside the connection', async () => {
    await expect(downloadResultZip(conn, 'https://evil.example/steal.zip', '1')).rejects.toThrow(/not one of this connection's hosts/);
  });
});
