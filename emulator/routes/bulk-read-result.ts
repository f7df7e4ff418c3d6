// GET /crm/bulk/{v2…v8}/read/{job_id}/result — the page as `{id}.zip` holding `{id}.csv` (docs/org-apis.md §1.6).
// 404 RESOURCE_NOT_FOUND until the job is COMPLETED (and for a FAILURE); at most N downloads a minute (Zoho: 10),
// beyond that 429 with Retry-After.
import type { Hono } from 'hono';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';
import { bulkReadJobOr404 } from './bulk-read-details.ts';

const WINDOW_MS = 60_000;

export function registerBulkReadResult(app: Hono, emu: Emulator): void {
  app.get('/crm/bulk/:version{v[2-8]}/read/:id/result', (c) => {
    const id = c.req.param('id');
    const job = bulkReadJobOr404(emu, id);
    if (job.state !== 'COMPLETED' || !job.outcome?.zipPath) {
      throw new ZohoError(
        404,
        'RESOURCE_NOT_FOUND',
        job.state === 'FAILURE'
          ? `Bulk Read job ${id} failed; it has no result. Create the job again.`
          : `The result of Bulk Read job ${id} is not yet available (state ${job.state}); download it once the job is COMPLETED.`,
        { resource: id },
      );
    }
    // Times of the downloads of the last minute, oldest first (per server, like Zoho's per-org limit).
    const recent = emu.hooks.bulkRead.recentDownloads;
    const now = emu.now().getTime();
    while (recent.length > 0 && now - recent[0]! >= WINDOW_MS) recent.shift();
    if (recent.length >= emu.hooks.bulkRead.downloadsPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000));
      throw new ZohoError(
        429,
        'TOO_MANY_REQUESTS',
        `At most ${emu.hooks.bulkRead.downloadsPerMinute} Bulk Read downloads a minute; retry after ${retryAfter} s.`,
        { retry_after: retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    }
    recent.push(now);
    const path = job.outcome.zipPath;
    const size = statSync(path).size;
    // Admin hook: a broken result file, served whole as far as HTTP goes (the client must refuse the ZIP itself).
    const cut = emu.hooks.bulkRead.cutNext > 0;
    if (cut) emu.hooks.bulkRead.cutNext -= 1;
    const length = cut ? Math.floor(size / 2) : size;
    c.header('Content-Type', 'application/zip');
    c.header('Content-Disposition', `attachment; filename="${id}.zip"`);
    c.header('Content-Length', String(length));
    return c.body(Readable.toWeb(createReadStream(path, cut ? { start: 0, end: length - 1 } : {})) as ReadableStream);
  });
}
