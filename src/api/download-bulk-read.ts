// `GET {api-domain}/crm/bulk/v8/read/{id}/result` (docs/org-apis.md §1.6): the page's ZIP. The URL is usually
// relative; Zoho allows 10 downloads a minute and answers 429 beyond, locking downloads for a minute. A 429 waits
// Retry-After, but at least 1 s, 4 s, 16 s, 64 s for the 1st…4th in a row (so the minute lock is outwaited even
// without the header); transient failures are retried; the caller sees each wait.
import type { Connection } from './connection.ts';
import { openResultDownload } from './download-result.ts';
import { ApiError } from './errors.ts';
import { withRateLimitFloor, withRetry, type RetryWait } from './retry.ts';

interface DownloadOptions {
  signal?: AbortSignal;
  onWait?: (w: RetryWait) => void;
  maxRateLimitWaits?: number;
}

/** One download attempt after another (see the module comment) until `read` has the file's bytes. */
function withDownloadRetry<T>(
  conn: Connection,
  jobId: string,
  downloadUrl: string | null | undefined,
  o: DownloadOptions,
  read: (res: Response) => Promise<T>,
): Promise<T> {
  const url = downloadUrl && downloadUrl !== '' ? downloadUrl : `/crm/bulk/v8/read/${jobId}/result`;
  return withRetry(
    withRateLimitFloor(async () => read(await openResultDownload(conn, url, `Bulk Read ${jobId}`, o.signal)), o.maxRateLimitWaits ?? 4),
    { ...(o.signal ? { signal: o.signal } : {}), ...(o.onWait ? { onWait: o.onWait } : {}) },
  );
}

export function downloadBulkRead(conn: Connection, jobId: string, downloadUrl: string | null | undefined, o: DownloadOptions = {}): Promise<Uint8Array> {
  return withDownloadRetry(conn, jobId, downloadUrl, o, async (res) => new Uint8Array(await res.arrayBuffer()));
}

/**
 * The same download, handed on piece by piece as it arrives (so the worker can unzip and read the page while the
 * rest is still on the wire). `onStart` is called before each attempt's first piece, with the answer's HTTP status:
 * after a failed attempt the receiver drops what it had and starts again; a 204 (Zoho's empty answer) has no body and
 * no pieces. Resolves with the bytes received.
 */
export function streamBulkRead(
  conn: Connection,
  jobId: string,
  downloadUrl: string | null | undefined,
  o: DownloadOptions & { onStart: (status: number) => void; onChunk: (bytes: Uint8Array) => void },
): Promise<number> {
  const action = `download the result of Bulk Read ${jobId}`;
  return withDownloadRetry(conn, jobId, downloadUrl, o, async (res) => {
    o.onStart(res.status);
    if (res.status === 204) return 0;
    if (res.body === null) {
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length > 0) o.onChunk(bytes);
      return bytes.length;
    }
    const reader = res.body.getReader();
    let received = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return received;
        received += value.length;
        o.onChunk(value);
      }
    } catch (e) {
      // Cut off mid-file: a network failure (retried from the start) unless the user cancelled.
      if (e instanceof ApiError) throw e;
      if (o.signal?.aborted) throw new ApiError({ kind: 'aborted', action, message: 'cancelled' });
      throw new ApiError({ kind: 'network', action, message: e instanceof Error ? e.message : 'the download was cut short' });
    } finally {
      reader.releaseLock();
    }
  });
}
