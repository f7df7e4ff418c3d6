// GET /crm/bulk/v8/write/{job_id} (and v2) — job details (contract §5); unknown id → 404 RESOURCE_NOT_FOUND.
import type { Hono } from 'hono';
import { DIGITS } from '../../src/api/contract/common.ts';
import type { Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';
import { jobDetails } from '../jobs/job-view.ts';

export const jobNotFound = (id: string): ZohoError =>
  new ZohoError(404, 'RESOURCE_NOT_FOUND', `There is no bulk write job with id ${DIGITS.test(id) ? id : '(not digits)'}.`, { api_name: 'job_id' });

export function registerJobDetails(app: Hono, emu: Emulator): void {
  app.get('/crm/bulk/:version{v[2-8]}/write/:id', (c) => {
    const id = c.req.param('id');
    if (!DIGITS.test(id)) throw new ZohoError(400, 'INVALID_DATA', 'The job id must be digits.', { api_name: 'job_id' });
    const job = emu.jobs.get(id);
    if (!job) throw jobNotFound(id);
    return c.json(jobDetails(job, new URL(c.req.url).origin, emu.user()));
  });
}
