// Against the real emulator over HTTP: sending a run saves each job id at once, sending again never creates a
// second job, and a create that was in flight when the tab closed is replayed with the same Idempotency-Key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import type { Connection } from '../api/connection.ts';
import { emulatorConnection } from '../api/emulator-test-support.ts';
import { createJob } from '../api/create-job.ts';
import { splitIntoJobs } from '../domain/jobs/split.ts';
import { buildCreateJobRequest } from '../domain/mapping/project-for-upload.ts';
import { historyStore } from './history-store.ts';
import { newRunEntry, patchJob, resumePendingCreates, sendRun } from './send-run.ts';

let server: TestServer;
let conn: Connection;

beforeAll(async () => {
  server = await startTestServer();
  conn = emulatorConnection(server);
});
afterAll(async () => {
  await server.stop();
});

const rows = (tag: string) => Array.from({ length: 5 }, (_, i) => ({ line: i + 2, cells: [`Last ${i}`, `${tag}.${i}@send.example`] }));
const requestFor = (fileId: string) =>
  buildCreateJobRequest({
    operation: 'insert',
    module: 'Contacts',
    fileId,
    fieldMappings: [
      { api_name: 'Last_Name', index: 0 },
      { api_name: 'Email', index: 1 },
    ],
    findBy: null,
    ignoreEmpty: false,
  });

async function plan(tag: string) {
  return splitIntoJobs({ header: ['Last_Name', 'Email'], columnSource: [0, 1], rows: rows(tag), module: 'Contacts' });
}

function entry(runId: string, parts: { job: number; rowCount: number }[]) {
  return newRunEntry({
    runId,
    now: new Date(0),
    connectionKind: 'emulator',
    apiDomain: conn.apiDomain,
    module: 'Contacts',
    moduleLabel: 'Contacts',
    operation: 'insert',
    findBy: null,
    fileName: 'x.csv',
    totalRows: 5,
    parts,
    retryOf: null,
  });
}

async function emailsLanded(tag: string): Promise<number> {
  const r = await server.api('GET', '/crm/v8/Contacts?fields=Email&per_page=200');
  const data = (r.json.data ?? []) as { Email?: string }[];
  return data.filter((d) => d.Email?.startsWith(`${tag}.`)).length;
}

describe('sendRun / resumePendingCreates (real emulator)', () => {
  it('saves the job id at once and never creates a second job when sent again', async () => {
    const split = await plan('once');
    historyStore.put(entry('run-once', split.jobs));
    await sendRun(conn, 'run-once', split.jobs, requestFor, () => undefined);
    const first = historyStore.find('run-once')?.jobs[0]?.jobId;
    expect(first).toMatch(/^\d+$/);
    await sendRun(conn, 'run-once', split.jobs, requestFor, () => undefined);
    expect(historyStore.find('run-once')?.jobs[0]?.jobId).toBe(first);
    await server.waitJob(first ?? '');
    expect(await emailsLanded('once')).toBe(5);
  });

  it('replays an in-flight create with the same key after a reload: the same job, rows written once', async () => {
    const split = await plan('replay');
    const part = split.jobs[0];
    if (!part) throw new Error('no part');
    historyStore.put(entry('run-replay', split.jobs));
    const up = await server.uploadZip(part.zip);
    const fileId = String((up.json.details as { file_id: string }).file_id);
    // The first create reached the server, but the tab closed before its answer was saved.
    const created = await createJob(conn, requestFor(fileId), { idempotencyKey: 'run-replay-job-0' });
    historyStore.update('run-replay', (r) => patchJob(r, 0, { fileId, pendingCreate: requestFor(fileId) }));
    const out = await resumePendingCreates(conn, 'run-replay');
    expect(out).toEqual({ replayed: 1, lost: 0, unknown: 0 });
    expect(historyStore.find('run-replay')?.jobs[0]?.jobId).toBe(created.jobId);
    await server.waitJob(created.jobId);
    expect(await emailsLanded('replay')).toBe(5);
  });

  it('a job whose upload never finished is reported lost, not re-sent', async () => {
    const split = await plan('lost');
    historyStore.put(entry('run-lost', split.jobs));
    expect(await resumePendingCreates(conn, 'run-lost')).toEqual({ replayed: 0, lost: 1, unknown: 0 });
    expect(historyStore.find('run-lost')?.phase).toBe('stopped');
    expect(await emailsLanded('lost')).toBe(0);
  });
});
