// POST /__emulator/callback — the emulator's own callback receiver (the default allowlisted target). It checks the
// body is job details, de-duplicates by job id + status, and re-broadcasts it as an SSE `callback` event.
import type { Hono } from 'hono';
import { jobDetails as jobDetailsSchema } from '../../src/api/contract/job-details.ts';
import type { Emulator } from '../context.ts';

export function registerCallbackReceiver(app: Hono, emu: Emulator): void {
  const seen = new Set<string>();
  app.post('/__emulator/callback', async (c) => {
    let json: unknown;
    try {
      json = await c.req.json();
    } catch {
      return c.json({ status: 'error', code: 'INVALID_DATA', message: 'The callback body must be job-details JSON.', details: {} }, 400);
    }
    const parsed = jobDetailsSchema.safeParse(json);
    if (!parsed.success) return c.json({ status: 'error', code: 'INVALID_DATA', message: 'The callback body must be job-details JSON.', details: {} }, 400);
    const d = parsed.data;
    const key = `${d.id}:${d.status}`;
    if (!seen.has(key)) {
      seen.add(key);
      const f = d.resource[0]?.file;
      emu.events.emit({
        type: 'callback', job_id: d.id, status: d.status, processed: f?.total_count ?? 0, total: f?.total_count ?? 0,
        added: f?.added_count ?? 0, updated: f?.updated_count ?? 0, skipped: f?.skipped_count ?? 0,
      });
    }
    return c.json({ status: 'success' });
  });
}
