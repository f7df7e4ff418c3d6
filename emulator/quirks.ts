// "Zoho quirks" mode (EMULATOR_QUIRKS=1 or POST /__emulator/admin/quirks): the emulator answers in the OTHER
// forms the contract documents, so the client is exercised against them end to end: upload errors as HTTP 200
// with "status":"error", `IN PROGRESS`, a relative download_url, bare-number ids, v2 string `module`, and
// RESOURCE_NOT_FOUND as 400. Default mode is untouched; every transform here is applied only when on.
import type { Context } from 'hono';
import type { BulkReadJobOut } from '../src/api/contract/bulk-read.ts';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JobDetailsOut } from '../src/api/contract/job-details.ts';

/** Serialises `body` with every `id`/`file_id` digit string written as a bare JSON number (all 19 digits kept). */
export function jsonWithNumericIds(c: Context, body: unknown, status: ContentfulStatusCode): Response {
  const text = JSON.stringify(body).replace(/"(id|file_id)":"(\d+)"/g, '"$1":$2');
  return c.body(text, status, { 'Content-Type': 'application/json; charset=UTF-8' });
}

/** The job details as Zoho's older/other forms spell them. */
export function quirkyJobDetails(out: JobDetailsOut, jobId: string): Record<string, unknown> {
  const spell = (s: string) => (s === 'INPROGRESS' ? 'IN PROGRESS' : s);
  const q: Record<string, unknown> = {
    ...out,
    status: spell(out.status),
    resource: out.resource.map((r) => ({ ...r, status: spell(r.status), module: r.module.api_name, file: { ...r.file, status: spell(r.file.status) } })),
  };
  if (out.result) q['result'] = { ...out.result, download_url: `/crm/bulk/v8/write/${jobId}/result` };
  return q;
}

/** Zoho answers some upload failures with HTTP 200 and the error body; auth, rate limit and server faults keep theirs. */
export function uploadErrorStatus(status: number): ContentfulStatusCode {
  if (status >= 400 && status < 500 && status !== 401 && status !== 429) return 200;
  return status as ContentfulStatusCode;
}

/**
 * A Bulk Read job as Zoho's other documented forms spell it: the running state `INPROGRESS` (no space) and an
 * absolute download URL on the API domain (docs/org-apis.md §1.5).
 */
export function quirkyBulkReadJob(out: BulkReadJobOut, origin: string): Record<string, unknown> {
  const r = out.result;
  return {
    ...out,
    state: out.state === 'IN PROGRESS' ? 'INPROGRESS' : out.state,
    ...(r && 'download_url' in r ? { result: { ...r, download_url: `${origin}${r.download_url}` } } : {}),
  };
}
