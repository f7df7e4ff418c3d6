// POST /crm/bulk/v8/write (and v2) — create a Bulk Write job (contract §4). Validates with the contract's zod
// schema plus the module/file/mapping rules, spends 500 credits and queues the job, all-or-nothing. An
// `Idempotency-Key` replays the same job; the same key with a different body is refused with 422.
import type { Hono } from 'hono';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CreateJobResponseOut } from '../../src/api/contract/create-job.ts';
import { isoWithOffset, type Emulator } from '../context.ts';
import { invalidData, ZohoError } from '../errors.ts';
import { validateCreateJob } from '../jobs/create-job-validate.ts';
import { jsonWithNumericIds } from '../quirks.ts';

export const JOB_CREDITS = 500;

export function registerCreateJob(app: Hono, emu: Emulator, callbackAllowlist: () => readonly string[]): void {
  app.post('/crm/bulk/:version{v[2-8]}/write', async (c) => {
    const version = c.req.param('version');
    const raw = await c.req.text();
    const idemKey = c.req.header('idempotency-key') ?? null;
    if (idemKey !== null && (idemKey.length === 0 || idemKey.length > 200))
      throw invalidData('Idempotency-Key', '$', 'The Idempotency-Key header must be 1–200 characters.');
    const hash = createHash('sha256').update(`${version}\n${raw}`).digest('hex');
    const respond = (id: string) => {
      const user = emu.user();
      const body: CreateJobResponseOut = {
        status: 'success',
        code: 'SUCCESS',
        message: 'success',
        details: { id, created_by: { id: user.id, name: user.name } },
      };
      if (emu.hooks.quirks) return jsonWithNumericIds(c, body, 201);
      return c.json(body, 201);
    };
    if (idemKey !== null) {
      const prior = emu.jobs.byIdempotencyKey(idemKey);
      if (prior) {
        if (prior.idemHash !== hash) {
          throw new ZohoError(
            422,
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was already used with a different request body; use a new key for a new job.',
            { header: 'Idempotency-Key' },
          );
        }
        return respond(prior.id);
      }
    }
    let body: unknown;
    try {
      body = JSON.parse(raw) as unknown;
    } catch {
      throw invalidData('body', '$', 'The request body is not valid JSON.');
    }
    const { spec, upload } = validateCreateJob(emu, body, callbackAllowlist());
    let jobId = '';
    emu.records.transaction(() => {
      emu.credits.spend(JOB_CREDITS, emu.now());
      jobId = emu.ids.take();
      emu.ids.persist();
      emu.jobs.insert({
        id: jobId,
        version,
        spec,
        createdTime: isoWithOffset(emu.now()),
        fileId: upload.file_id,
        csvPath: upload.path,
        total: upload.rows,
        idemKey,
        idemHash: idemKey ? hash : null,
      });
    });
    emu.runner.enqueue(jobId);
    if (emu.hooks.dropCreateResponses > 0) {
      // Test hook (#42): the job exists, but the client never hears so — as when a connection dies after sending.
      emu.hooks.dropCreateResponses--;
      (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.destroy();
    }
    return respond(jobId);
  });
}
