// GET /crm/bulk/{v2…v8}/read/{job_id} — Bulk Read job details `{data:[job]}` (docs/org-apis.md §1.5); an unknown
// id is 404 RESOURCE_NOT_FOUND naming the resource.
import type { Hono } from 'hono';
import { DIGITS } from '../../src/api/contract/common.ts';
import type { Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';
import type { BulkReadRow } from '../bulk-read/store.ts';
import { bulkReadJobOut } from '../bulk-read/view.ts';
import { resultDownloadOrigin } from '../public-origin.ts';
import { jsonWithNumericIds, quirkyBulkReadJob } from '../quirks.ts';

/** The job, or the Zoho error for a malformed or unknown id. */
export function bulkReadJobOr404(emu: Emulator, id: string): BulkReadRow {
  if (!DIGITS.test(id)) throw new ZohoError(400, 'INVALID_DATA', 'The Bulk Read job id must be digits.', { api_name: 'job_id' });
  const job = emu.bulkReads.get(id);
  if (!job) throw new ZohoError(404, 'RESOURCE_NOT_FOUND', `There is no Bulk Read job with id ${id}.`, { resource: id });
  return job;
}

export function registerBulkReadDetails(app: Hono, emu: Emulator): void {
  app.get('/crm/bulk/:version{v[2-8]}/read/:id', (c) => {
    const job = bulkReadJobOr404(emu, c.req.param('id'));
    const out = bulkReadJobOut(emu, job);
    if (emu.hooks.quirks) return jsonWithNumericIds(c, { data: [quirkyBulkReadJob(out, resultDownloadOrigin(c, emu))] }, 200);
    return c.json({ data: [out] });
  });
}
