// Test hooks under /__emulator/admin/* — only when EMULATOR_ADMIN=1 (else 404). Reset, per-row delay, failing
// uploads, throttling, failing a job, dropping create-job answers, corrupting result files, failing chosen deletes, listing jobs. Bodies validated with zod like every other request.
// Each call needs the emulator token, a JSON body and no foreign Origin, so a web page open in the same browser
// cannot reach them with a "simple" cross-origin post (issue 12 D4).
import type { Hono } from 'hono';
import { rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DIGITS } from '../../src/api/contract/common.ts';
import { ownOrigins, tokenMatches } from '../auth.ts';
import type { Emulator } from '../context.ts';
import { echo, ZohoError } from '../errors.ts';
import { seed, wipe } from '../store/db.ts';
import { seedRecords } from '../store/seed-bulk.ts';
import { freshTestHooks } from '../test-hooks.ts';

const delayBody = z.object({ ms_per_row: z.number().min(0).max(10_000) });
const failUploadsBody = z.object({ count: z.number().int().min(0).max(1000), status: z.number().int().min(500).max(599).default(500) });
const throttleBody = z.object({ count: z.number().int().min(0).max(1000), retry_after: z.number().int().min(0).max(3600).default(1) });
const quirksBody = z.object({ on: z.boolean() });
const dropCreateBody = z.object({ count: z.number().int().min(0).max(100) });
const corruptResultsBody = z.object({ count: z.number().int().min(0).max(100), kind: z.enum(['drop-row', 'echo']).default('drop-row') });
const failDeletesBody = z.object({
  ids: z.array(z.string().regex(DIGITS)).max(500).default([]),
  times: z.number().int().min(1).max(100).default(1),
  count: z.number().int().min(0).max(1000).default(0),
});
const bulkReadBody = z.object({
  page_size: z.number().int().min(1).max(200_000).optional(),
  fail_next: z.number().int().min(0).max(100).optional(),
  downloads_per_minute: z.number().int().min(1).max(10_000).optional(),
  cut_next: z.number().int().min(0).max(100).optional(),
  hold_after: z.number().int().min(-1).max(100).optional(),
  page_tokens: z.boolean().optional(),
});
const seedRecordsBody = z.object({
  module: z.enum(['Contacts', 'Leads', 'Accounts', 'Deals']),
  count: z.number().int().min(1).max(500_000),
  email_domain: z
    .string()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/)
    .default('org.example'),
});
const failJobBody = z.object({ job_id: z.union([z.string(), z.number().int()]).transform(String) });

async function body<T>(c: { req: { json(): Promise<unknown> } }, schema: z.ZodType<T>): Promise<T> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new ZohoError(400, 'INVALID_DATA', 'The body must be JSON.', {});
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new ZohoError(400, 'INVALID_DATA', `Invalid ${echo(i.path.join('.') || 'body')}: ${echo(i.message)}.`, { api_name: String(i.path[0] ?? 'body') });
  }
  return r.data;
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export function registerAdmin(app: Hono, emu: Emulator): void {
  app.use('/__emulator/admin/*', async (c, next) => {
    if (!emu.config.admin) return c.json({ status: 'error', code: 'NOT_FOUND', message: 'No such emulator endpoint.', details: {} }, 404);
    // A browser names the page's origin on every cross-origin request (and on same-origin POSTs); scripts and test
    // harnesses send none. Only the server's own pages may call; `null` (sandboxed or file pages) is foreign too.
    const origin = c.req.header('origin');
    if (origin !== undefined && !ownOrigins(emu.origin).includes(origin)) {
      throw new ZohoError(403, 'FORBIDDEN_ORIGIN', `The admin hooks do not answer pages from ${origin}; call them from a script or this server's own origin.`, {
        origin,
      });
    }
    // Only the emulator's own token: the extra tokens stand in for Zoho sign-ins and must not administer it.
    if (!tokenMatches(c.req.header('authorization'), emu.config.token)) {
      throw new ZohoError(401, 'INVALID_TOKEN', 'The admin hooks need "Authorization: Zoho-oauthtoken <token>" with the emulator token.', {});
    }
    // JSON is not a type a form or a no-preflight fetch can send cross-origin.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !isJson(c.req.header('content-type'))) {
      throw new ZohoError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        'The admin hooks take a JSON body: send "Content-Type: application/json" (use {} when there is nothing to say).',
        {},
      );
    }
    await next();
  });
  app.post('/__emulator/admin/reset', async (c) => {
    await emu.runner.stop();
    await emu.bulkReadRunner.stop();
    wipe(emu.db);
    for (const d of ['uploads', 'results']) {
      rmSync(join(emu.config.dataDir, d), { recursive: true, force: true });
      mkdirSync(join(emu.config.dataDir, d), { recursive: true });
    }
    emu.ids.reload();
    seed(emu.db, emu.ids);
    emu.ids.reload();
    emu.records.reload();
    emu.meta.invalidate();
    emu.users.invalidate();
    emu.runner.restart();
    emu.bulkReadRunner.restart();
    emu.callbackSecrets.reset();
    Object.assign(emu.hooks, freshTestHooks(emu.config.quirks, 0));
    return c.json({ status: 'success' });
  });
  app.post('/__emulator/admin/delay', async (c) => {
    emu.hooks.delayMsPerRow = (await body(c, delayBody)).ms_per_row;
    return c.json({ status: 'success', ms_per_row: emu.hooks.delayMsPerRow });
  });
  app.post('/__emulator/admin/fail-uploads', async (c) => {
    const b = await body(c, failUploadsBody);
    emu.hooks.failUploads = { count: b.count, status: b.status };
    return c.json({ status: 'success', count: b.count, http_status: b.status });
  });
  app.post('/__emulator/admin/throttle', async (c) => {
    const b = await body(c, throttleBody);
    emu.hooks.throttle = { count: b.count, retryAfter: b.retry_after };
    return c.json({ status: 'success', ...b });
  });
  app.post('/__emulator/admin/quirks', async (c) => {
    emu.hooks.quirks = (await body(c, quirksBody)).on;
    return c.json({ status: 'success', on: emu.hooks.quirks });
  });
  app.post('/__emulator/admin/drop-create-responses', async (c) => {
    emu.hooks.dropCreateResponses = (await body(c, dropCreateBody)).count;
    return c.json({ status: 'success', count: emu.hooks.dropCreateResponses });
  });
  app.post('/__emulator/admin/corrupt-results', async (c) => {
    const b = await body(c, corruptResultsBody);
    emu.hooks.corruptResults = { count: b.count, kind: b.kind };
    return c.json({ status: 'success', ...b });
  });
  /** Chosen deletes fail with RECORD_LOCKED: these ids (each `times` attempts), or the next `count` of any id. */
  app.post('/__emulator/admin/fail-deletes', async (c) => {
    const b = await body(c, failDeletesBody);
    emu.hooks.failDeletes = { ids: new Map(b.ids.map((id) => [id, b.times])), count: b.count };
    return c.json({ status: 'success', ...b });
  });
  /**
   * Bulk Read: smaller pages (paging testable), the next N jobs end in FAILURE, the download rate limit, and the next
   * N result downloads cut to their first half (a complete answer holding a broken ZIP); `hold_after` N: the next N
   * jobs run, the one after them stays IN PROGRESS (later ones queued behind it) until `hold_after` is set to -1 or
   * to a positive count, or a reset; `page_tokens: false`: a page with more records after it says so
   * (`more_records`) without a `next_page_token`, as Zoho's older page-number paging does (the next page is then
   * asked for by `page`).
   */
  app.post('/__emulator/admin/bulk-read', async (c) => {
    const b = await body(c, bulkReadBody);
    const h = emu.hooks.bulkRead;
    if (b.page_size !== undefined) h.pageSize = b.page_size;
    if (b.fail_next !== undefined) h.failNext = b.fail_next;
    if (b.downloads_per_minute !== undefined) h.downloadsPerMinute = b.downloads_per_minute;
    if (b.cut_next !== undefined) h.cutNext = b.cut_next;
    if (b.hold_after !== undefined) h.holdAfter = b.hold_after;
    if (b.page_tokens !== undefined) h.pageTokens = b.page_tokens;
    return c.json({
      status: 'success',
      page_size: h.pageSize,
      fail_next: h.failNext,
      downloads_per_minute: h.downloadsPerMinute,
      cut_next: h.cutNext,
      hold_after: h.holdAfter,
      page_tokens: h.pageTokens,
    });
  });
  /** Many deterministic records at once (bench and e2e orgs of 200,000 records); numbering continues. */
  app.post('/__emulator/admin/seed-records', async (c) => {
    const b = await body(c, seedRecordsBody);
    const r = await seedRecords(emu, { module: b.module, count: b.count, emailDomain: b.email_domain });
    return c.json({ status: 'success', module: b.module, count: b.count, ...r });
  });
  /** Every job, oldest first — so a test can prove a retry did not create a second one. */
  app.get('/__emulator/admin/jobs', (c) => {
    const rows = emu.db.prepare('SELECT id, status FROM jobs ORDER BY id').all() as { id: string; status: string }[];
    return c.json({ status: 'success', jobs: rows });
  });
  app.post('/__emulator/admin/fail-job', async (c) => {
    const { job_id } = await body(c, failJobBody);
    if (!DIGITS.test(job_id) || !emu.jobs.get(job_id)) throw new ZohoError(404, 'RESOURCE_NOT_FOUND', 'No such job.', { api_name: 'job_id' });
    if (!emu.runner.requestFail(job_id)) throw new ZohoError(400, 'INVALID_DATA', 'The job already finished.', { api_name: 'job_id' });
    await emu.runner.settled(job_id);
    return c.json({ status: 'success', job_id });
  });
}
