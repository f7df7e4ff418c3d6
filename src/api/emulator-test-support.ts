// Shared by the tests that drive the real client against a real emulator (src/api, src/lib): a Connection to a
// test server, and one small Contacts insert taken all the way through upload → create → poll → result download.
// Test code only: nothing in the app imports it.
import { strToU8, zipSync } from 'fflate';
import type { TestServer } from '../../emulator/test-helpers.ts';
import { memoryToken, type Connection } from './connection.ts';
import { createJob } from './create-job.ts';
import { downloadResultZip } from './download-result.ts';
import { fetchJob } from './get-job.ts';
import { uploadZip } from './upload-file.ts';

/** The built-in-emulator connection the wizard would build for this test server. */
export function emulatorConnection(server: TestServer): Connection {
  return { kind: 'emulator', apiDomain: server.url, uploadHost: server.url, zgid: server.emulator.org().zgid, getToken: memoryToken(server.token) };
}

/** Inserts one contact (Last_Name, Email) through `conn` and returns the finished job and its result ZIP bytes. */
export async function insertOneContact(conn: Connection, server: TestServer, p: { lastName: string; email: string; idempotencyKey: string }) {
  const zip = zipSync({ 'Contacts.csv': strToU8(`Last_Name,Email\r\n${p.lastName},${p.email}\r\n`) });
  const { fileId } = await uploadZip(conn, new Blob([zip]), 'Contacts.zip');
  const { jobId } = await createJob(
    conn,
    {
      operation: 'insert',
      resource: [
        {
          type: 'data',
          module: { api_name: 'Contacts' },
          file_id: fileId,
          field_mappings: [
            { api_name: 'Last_Name', index: 0 },
            { api_name: 'Email', index: 1 },
          ],
        },
      ],
    },
    { idempotencyKey: p.idempotencyKey },
  );
  await server.waitJob(jobId);
  const job = await fetchJob(conn, jobId);
  const bytes = await downloadResultZip(conn, job.result?.download_url ?? '', jobId);
  return { jobId, job, bytes };
}
