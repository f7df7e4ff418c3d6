// `POST {api-domain}/crm/bulk/v8/write` (contract §4). A create is never re-POSTed blindly (bad-inputs #42):
// with the emulator an Idempotency-Key makes a replay return the same job; against Zoho only failures that
// prove nothing was created (429, 4xx before processing) are retried, anything ambiguous goes back to the user.
import { useMutation } from '@tanstack/react-query';
import { createJobResponse, type CreateJobRequestInput } from './contract/create-job.ts';
import { apiRequest } from './client.ts';
import type { Connection } from './connection.ts';
import { withRetry, type RetryWait } from './retry.ts';
import { ApiError, RateLimitError } from './errors.ts';

export interface CreatedJob {
  jobId: string;
}

export async function createJobOnce(conn: Connection, body: CreateJobRequestInput, idempotencyKey: string, signal?: AbortSignal): Promise<CreatedJob> {
  const r = await apiRequest(conn, {
    method: 'POST',
    path: '/crm/bulk/v8/write',
    json: body,
    schema: createJobResponse,
    action: 'create the import job',
    // Zoho has no such header and its CORS preflight may refuse unknown ones: only the emulator gets it.
    ...(conn.kind === 'emulator' ? { headers: { 'Idempotency-Key': idempotencyKey } } : {}),
    ...(signal ? { signal } : {}),
  });
  return { jobId: r.details.id };
}

/** True when a retry cannot create a second job. */
function safeToRetry(conn: Connection, err: unknown): boolean {
  if (err instanceof RateLimitError) return true;
  if (conn.kind === 'emulator') return true;
  return !(err instanceof ApiError && (err.kind === 'network' || (err.status ?? 0) >= 500));
}

export function createJob(
  conn: Connection,
  body: CreateJobRequestInput,
  o: { idempotencyKey: string; signal?: AbortSignal; onWait?: (w: RetryWait) => void },
): Promise<CreatedJob> {
  return withRetry(
    async () => {
      try {
        return await createJobOnce(conn, body, o.idempotencyKey, o.signal);
      } catch (err) {
        if (!safeToRetry(conn, err) && err instanceof ApiError) {
          throw new ApiError({
            kind: 'http',
            action: err.action,
            status: err.status,
            message: `${err.message}. The job may or may not have been created, so it was not sent again — check the CRM's Bulk Write jobs before retrying`,
          });
        }
        throw err;
      }
    },
    { maxAttempts: 4, ...(o.signal ? { signal: o.signal } : {}), ...(o.onWait ? { onWait: o.onWait } : {}) },
  );
}

export function useCreateJob(conn: Connection) {
  return useMutation({
    mutationFn: (v: { body: CreateJobRequestInput; idempotencyKey: string }) => createJob(conn, v.body, { idempotencyKey: v.idempotencyKey }),
  });
}
