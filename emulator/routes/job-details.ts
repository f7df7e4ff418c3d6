// GET /crm/bulk/v8/write/{job_id} (and v2) — job details (contract §5); unknown id → 404 RESOURCE_NOT_FOUND.
import type { Hono } from 'hono';
import { DIGITS } from '../../src/api/contract/common.ts';
import type { Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';
import { jobDetails } from '../jobs/job-view.ts';
import { resultDownloadOrigin } from '../public-origin.ts';
import { jsonWithNumericIds, quirkyJobDetails } from '../quirks.ts';

/** 404, or 400 in quirks mode (Zoho answers both for an unknown job). */
export const jobNotFound = (id: string, quirks = false): ZohoError =>
  new ZohoError(quirks ? 400 : 404, 'RESOURCE_NOT_FOUND', `There is no bulk write job with id ${DIGITS.test(id) ? id : '(not digits)'}.`, {
    api_name: 'job_id',
  });

export function registerJobDetails(app: Hono, emu: Emulator): void {
  app.get('/crm/bulk/:version{v[2-8]}/write/:id', (c) => {
    const id = c.req.param('id');
    if (!DIGITS.test(id)) throw new ZohoError(400, 'INVALID_DATA', 'The job id must be digits.', { api_name: 'job_id' });
    const job = emu.jobs.get(id);
    if (!job) throw jobNotFound(id, emu.hooks.quirks);
    const out = jobDetails(job, resultDownloadOrigin(c, emu), emu.user());
    if (emu.hooks.quirks) return jsonWithNumericIds(c, quirkyJobDetails(out, job.id), 200);
    return c.json(out);
  });
}
