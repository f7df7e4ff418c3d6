// `GET {api-domain}/crm/bulk/v8/read/{id}` (docs/org-apis.md §1.5): one Bulk Read job; its state in any spelling
// Zoho uses (`IN PROGRESS`, `INPROGRESS`, `FAILED`…) normalised by the contract schema.
import { bulkReadDetailsResponse, TERMINAL_BULK_READ_STATES, type BulkReadJob } from './contract/bulk-read.ts';
import { apiRequest } from './client.ts';
import type { Connection } from './connection.ts';
import { withRateLimitFloor, withRetry, type RetryWait } from './retry.ts';

export async function fetchBulkRead(conn: Connection, jobId: string, signal?: AbortSignal): Promise<BulkReadJob> {
  if (!/^\d+$/.test(jobId)) throw new Error(`Bulk Read job id "${jobId}" is not a Zoho id (digits only).`);
  const res = await apiRequest(conn, {
    path: `/crm/bulk/v8/read/${jobId}`,
    schema: bulkReadDetailsResponse,
    action: `read the status of Bulk Read job ${jobId}`,
    ...(signal ? { signal } : {}),
  });
  return res.data[0]!;
}

/**
 * fetchBulkRead, with a rate limit (429: Retry-After honoured) or a transient failure (network, 5xx) waited out and
 * the status asked again (withRetry): reading a status changes nothing, so asking twice is safe, and one refused poll
 * among the many of a long Bulk Read must not end the work waiting on it. `onWait` hears each wait.
 */
export function fetchBulkReadRetrying(
  conn: Connection,
  jobId: string,
  o: { signal?: AbortSignal; onWait?: (w: RetryWait) => void } = {},
): Promise<BulkReadJob> {
  // A 429 without Retry-After (assumed 1 s) waits at least 1, 4, 16, 64 s in a row, as downloads do: twenty polls a
  // second apart used to end the check before a minute's lock was over.
  return withRetry(
    withRateLimitFloor(() => fetchBulkRead(conn, jobId, o.signal)),
    {
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onWait ? { onWait: o.onWait } : {}),
    },
  );
}

export const isBulkReadDone = (job: BulkReadJob): boolean => TERMINAL_BULK_READ_STATES.includes(job.state);

/** Poll delay after `n` reads: 1 s for the first 10, then growing to 5 s (a large read takes minutes on Zoho). */
export function bulkReadPollDelay(n: number): number {
  if (n < 10) return 1000;
  return Math.min(5000, Math.round(1000 * 1.25 ** (n - 10)));
}
