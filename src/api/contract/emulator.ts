// Same-origin emulator extras (not Zoho): the session the SPA reads to learn the token, and the job events
// pushed over Server-Sent Events at `GET /__emulator/events` (format documented in emulator/README.md).
import { z } from 'zod';
import { jobStatus } from './job-details.ts';

export const emulatorSession = z.object({
  token: z.string().min(1),
  apiDomain: z.string(),
  uploadHost: z.string(),
  zgid: z.string(),
});
export type EmulatorSession = z.infer<typeof emulatorSession>;

/** One SSE `data:` payload. `event: job` for state/progress changes; `event: callback` when a callback arrived. */
export const jobEvent = z.object({
  type: z.enum(['progress', 'status', 'callback']),
  job_id: z.string(),
  status: jobStatus,
  processed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});
export type JobEvent = z.infer<typeof jobEvent>;
