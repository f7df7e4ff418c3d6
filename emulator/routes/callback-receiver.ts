// POST /__emulator/callback — the emulator's own callback receiver (the default allowlisted target). It takes only
// a JSON post carrying the secret of the job it reports (emulator/callback-secret.ts, decision 060), and
// re-broadcasts that job's first COMPLETED/FAILED as an SSE `callback` event; anything later is acknowledged and
// dropped. Issue 12 D3: without the secret a page could post a forged COMPLETED for a predicted job id.
import type { Hono } from 'hono';
import { jobDetails as jobDetailsSchema } from '../../src/api/contract/job-details.ts';
import { CALLBACK_RECEIVER_PATH, CALLBACK_SECRET_HEADER } from '../callback-secret.ts';
import type { Emulator } from '../context.ts';
import { ZohoError } from '../errors.ts';

export function registerCallbackReceiver(app: Hono, emu: Emulator): void {
  app.post(CALLBACK_RECEIVER_PATH, async (c) => {
    // JSON cannot be sent cross-origin without a preflight, which CORS refuses for foreign pages.
    if ((c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase() !== 'application/json') {
      throw new ZohoError(415, 'UNSUPPORTED_MEDIA_TYPE', 'A callback is job-details JSON sent with "Content-Type: application/json".', {});
    }
    const given = c.req.header(CALLBACK_SECRET_HEADER);
    if (given === undefined) throw invalidSecret();
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      throw new ZohoError(400, 'INVALID_DATA', 'The callback body must be job-details JSON.', {});
    }
    const parsed = jobDetailsSchema.safeParse(json);
    if (!parsed.success) throw new ZohoError(400, 'INVALID_DATA', 'The callback body must be job-details JSON.', {});
    const d = parsed.data;
    if (!emu.callbackSecrets.matches(d.id, given)) throw invalidSecret();
    if (d.status !== 'COMPLETED' && d.status !== 'FAILED') {
      throw new ZohoError(400, 'INVALID_DATA', `A callback reports a finished job (COMPLETED or FAILED), not ${d.status}.`, { api_name: 'status' });
    }
    if (emu.callbackSecrets.settle(d.id)) {
      const f = d.resource[0]?.file;
      emu.events.emit({
        type: 'callback',
        job_id: d.id,
        status: d.status,
        processed: f?.total_count ?? 0,
        total: f?.total_count ?? 0,
        added: f?.added_count ?? 0,
        updated: f?.updated_count ?? 0,
        skipped: f?.skipped_count ?? 0,
      });
    }
    // A repeat is still a 2xx: the sender retries only what it believes was lost.
    return c.json({ status: 'success' });
  });
}

function invalidSecret(): ZohoError {
  return new ZohoError(
    403,
    'INVALID_CALLBACK_SECRET',
    `A callback must carry the ${CALLBACK_SECRET_HEADER} header the emulator sent with it for that job.`,
    {},
  );
}
