// Direct calls to the running emulator for e2e tests: reset the store, set fault hooks, and read records back
// through the Zoho-shaped records API (the proof that an import really landed).
import { expect } from '@playwright/test';
import type { APIRequestContext } from '@playwright/test';

export const E2E_TOKEN = 'e2e-token-0123456789';
// The admin hooks need the emulator token as well (issue 12 D4); Playwright's request context sends no Origin.
export const AUTH = { Authorization: `Zoho-oauthtoken ${E2E_TOKEN}` };

export type CrmRecord = Record<string, unknown> & { id: string };

/** Wipe every job, upload and record, re-seed, and clear the fault hooks. */
export async function resetEmulator(request: APIRequestContext): Promise<void> {
  const res = await request.post('/__emulator/admin/reset', { data: {}, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
}

/** Slow the job runner down so a test can act while a job is IN PROGRESS. */
export async function setRowDelay(request: APIRequestContext, msPerRow: number): Promise<void> {
  const res = await request.post('/__emulator/admin/delay', { data: { ms_per_row: msPerRow }, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
}

/** Every record of a module (all pages of 200), with the requested fields. */
export async function listRecords(request: APIRequestContext, module: string, fields: readonly string[]): Promise<CrmRecord[]> {
  const out: CrmRecord[] = [];
  for (let page = 1; ; page++) {
    const res = await request.get(`/crm/v8/${module}`, {
      params: { fields: fields.join(','), page, per_page: 200 },
      headers: AUTH,
    });
    if (res.status() === 204) break;
    expect(res.status(), await res.text()).toBe(200);
    const body = (await res.json()) as { data: CrmRecord[]; info: { more_records: boolean } };
    out.push(...body.data);
    if (!body.info.more_records) break;
  }
  return out;
}

/** One record by id (contract §10), with the requested fields. */
export async function getRecord(request: APIRequestContext, module: string, id: string, fields: readonly string[]): Promise<CrmRecord> {
  const res = await request.get(`/crm/v8/${module}/${id}`, { params: { fields: fields.join(',') }, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { data: CrmRecord[] };
  expect(body.data).toHaveLength(1);
  return body.data[0] as CrmRecord;
}

/** Insert records synchronously (contract §10) to prepare an update/upsert test. Returns their ids. */
export async function insertRecords(request: APIRequestContext, module: string, data: readonly Record<string, string>[]): Promise<string[]> {
  const res = await request.post(`/crm/v8/${module}`, { data: { data }, headers: AUTH });
  expect(res.status(), await res.text()).toBeLessThan(300);
  const body = (await res.json()) as { data: { status: string; details: { id?: string } }[] };
  return body.data.map((r) => {
    expect(r.status).toBe('success');
    return String(r.details.id);
  });
}

/** Emails → record for quick lookups in assertions. */
export function byEmail(records: readonly CrmRecord[]): Map<string, CrmRecord> {
  return new Map(records.filter((r) => typeof r.Email === 'string').map((r) => [String(r.Email).toLowerCase(), r]));
}

/** A bulk write job's top-level status straight from the emulator (contract §5). */
export async function jobStatus(request: APIRequestContext, jobId: string): Promise<string> {
  const res = await request.get(`/crm/bulk/v8/write/${jobId}`, { headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { status: string };
  return body.status;
}

/** The next `count` uploads fail with `status` (bad-inputs #41). */
export async function failUploads(request: APIRequestContext, count: number, status = 503): Promise<void> {
  const res = await request.post('/__emulator/admin/fail-uploads', { data: { count, status }, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
}

/** The next `count` Zoho API calls get 429 with Retry-After (bad-inputs #44). Test calls count too. */
export async function throttle(request: APIRequestContext, count: number, retryAfterSeconds: number): Promise<void> {
  const res = await request.post('/__emulator/admin/throttle', { data: { count, retry_after: retryAfterSeconds }, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
}

/** Make a running job end FAILED part-way (bad-inputs #45). */
export async function failJob(request: APIRequestContext, jobId: string): Promise<void> {
  const res = await request.post('/__emulator/admin/fail-job', { data: { job_id: jobId }, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
}

/** The next `count` create-job calls make the job but drop the connection before answering (bad-inputs #42). */
export async function dropCreateResponses(request: APIRequestContext, count: number): Promise<void> {
  const res = await request.post('/__emulator/admin/drop-create-responses', { data: { count }, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
}

/** The next `count` result downloads are served with a defect (bad-inputs #46). */
export async function corruptResults(request: APIRequestContext, count: number, kind: 'drop-row' | 'echo'): Promise<void> {
  const res = await request.post('/__emulator/admin/corrupt-results', { data: { count, kind }, headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
}

/** Every job the emulator holds (id, status), oldest first. */
export async function listJobs(request: APIRequestContext): Promise<{ id: string; status: string }[]> {
  const res = await request.get('/__emulator/admin/jobs', { headers: AUTH });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { jobs: { id: string; status: string }[] }).jobs;
}
