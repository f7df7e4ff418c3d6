// GET /crm/bulk/v8/write/{job_id}/result (and v2) — the result ZIP (contract §7). Served for COMPLETED jobs and,
// so the wizard can list UNPROCESSED rows, for FAILED ones too. The path comes from the DB, never from the URL.
import type { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { DIGITS } from '../../src/api/contract/common.ts';
import type { Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';
import { jobNotFound } from './job-details.ts';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import Papa from 'papaparse';

/** Test hook (#46): the result loses its last row, or its first row's first value no longer echoes the input. */
function corrupt(zip: Uint8Array, emu: Emulator): Uint8Array<ArrayBuffer> {
  emu.hooks.corruptResults.count--;
  const [name, data] = Object.entries(unzipSync(zip))[0] ?? [];
  if (!name || !data) return new Uint8Array(zip);
  const rows = Papa.parse<string[]>(strFromU8(data), { skipEmptyLines: true }).data;
  if (emu.hooks.corruptResults.kind === 'drop-row') rows.pop();
  else if (rows[1] !== undefined) rows[1][0] = 'TAMPERED';
  return new Uint8Array(zipSync({ [name]: strToU8(`${Papa.unparse(rows, { newline: '\r\n' })}\r\n`) }));
}

export function registerJobResult(app: Hono, emu: Emulator): void {
  app.get('/crm/bulk/:version{v[2-8]}/write/:id/result', (c) => {
    const id = c.req.param('id');
    if (!DIGITS.test(id)) throw new ZohoError(400, 'INVALID_DATA', 'The job id must be digits.', { api_name: 'job_id' });
    const job = emu.jobs.get(id);
    if (!job) throw jobNotFound(id, emu.hooks.quirks);
    if (!job.resultPath || (job.status !== 'COMPLETED' && job.status !== 'FAILED')) {
      throw new ZohoError(400, 'RESULT_NOT_READY', `Job ${id} is ${job.status}; the result is available once it is COMPLETED.`, { status: job.status });
    }
    const stored = readFileSync(job.resultPath);
    const bytes = emu.hooks.corruptResults.count > 0 ? corrupt(stored, emu) : stored;
    c.header('Content-Type', 'application/zip');
    c.header('Content-Disposition', `attachment; filename="${id}.zip"`);
    return c.body(bytes);
  });
}
