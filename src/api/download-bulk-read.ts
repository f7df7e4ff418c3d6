// `GET {api-domain}/crm/bulk/v8/read/{id}/result` (docs/org-apis.md §1.6): the page's ZIP. The URL is usually
// relative; Zoho allows 10 downloads a minute and answers 429 beyond, locking downloads for a minute. A 429 waits
// Retry-After, but at least 1 s, 4 s, 16 s, 64 s for the 1st…4th in a row (so the minute lock is outwaited even
// without the header); transient failures are retried; the caller sees each wait.
import type { Connection } from './connection.ts';
import { downloadResultZip } from './download-result.ts';
import { RateLimitError } from './errors.ts';
import { withRetry, type RetryWait } from './retry.ts';

/** Least wait before the n-th retry after a 429 in a row (1-based): 1 s, 4 s, 16 s, 64 s. */
export const rateLimitFloorMs = (n: number): number => 1000 * 4 ** (n - 1);

export async function downloadBulkRead(
  conn: Connection,
  jobId: string,
  downloadUrl: string | null | undefined,
  o: { signal?: AbortSignal; onWait?: (w: RetryWait) => void; maxRateLimitWaits?: number } = {},
): Promise<Uint8Array> {
  const url = downloadUrl && downloadUrl !== '' ? downloadUrl : `/crm/bulk/v8/read/${jobId}/result`;
  let waits = 0;
  return withRetry(
    async () => {
      try {
        return await downloadResultZip(conn, url, `Bulk Read ${jobId}`, o.signal);
      } catch (e) {
        if (e instanceof RateLimitError) {
          waits += 1;
          if (waits > (o.maxRateLimitWaits ?? 4)) throw e;
          const floor = rateLimitFloorMs(waits);
          if (e.retryAfterMs < floor) throw new RateLimitError({ action: e.action, message: e.message, status: e.status, code: e.code, retryAfterMs: floor });
        }
        throw e;
      }
    },
    { ...(o.signal ? { signal: o.signal } : {}), ...(o.onWait ? { onWait: o.onWait } : {}) },
  );
}
