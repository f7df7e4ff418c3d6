// `GET result.download_url` (contract §7): the result ZIP, fetched with Authorization. A relative URL is
// resolved against the API domain; an absolute one must be on an allow-listed host (S3). `resultQuery` is the
// cached read of one job's result (its ZIP, checked to hold one CSV) for the results screen.
import { queryOptions } from '@tanstack/react-query';
import { extractResultCsv } from '../domain/jobs/reconcile.ts';
import { authHeaders, errorFromResponse, fetchOrFail, reported, resolveUrl } from './client.ts';
import { connectionKey, type Connection } from './connection.ts';
import { ApiError } from './errors.ts';
import { bulkWriteKeys } from './query-keys.ts';
import { sendWithFallback } from './transport.ts';

/**
 * The answer to `GET downloadUrl`, checked: an error status or a JSON body (Zoho's errors) is thrown as an ApiError,
 * so what is returned is the file itself, its body not read yet.
 */
export async function openResultDownload(conn: Connection, downloadUrl: string, jobId: string, signal?: AbortSignal): Promise<Response> {
  const action = `download the result of job ${jobId}`;
  const url = resolveUrl(conn, downloadUrl, 'api');
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ApiError({ kind: 'forbidden-origin', action, message: `the download link uses ${url.protocol}, which is not allowed` });
  const headers = authHeaders(conn, url, action);
  const res = await sendWithFallback(conn.transport, url, { replay: true, signal }, (target) =>
    fetchOrFail(target, { headers, ...(signal ? { signal } : {}) }, action),
  );
  if (!res.ok)
    throw reported(
      conn,
      errorFromResponse({ status: res.status, body: await res.text(), retryAfter: res.headers.get('Retry-After'), action, now: Date.now() }),
    );
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    throw reported(conn, errorFromResponse({ status: res.status, body: await res.text(), retryAfter: null, action, now: Date.now() }));
  }
  return res;
}

export async function downloadResultZip(conn: Connection, downloadUrl: string, jobId: string, signal?: AbortSignal): Promise<Uint8Array> {
  return new Uint8Array(await (await openResultDownload(conn, downloadUrl, jobId, signal)).arrayBuffer());
}

/**
 * The result ZIP as a Blob, its body taken into the browser's blob storage as it arrives rather than read into this
 * tab's heap: 40 result ZIPs of 2 MB, fetched at once in Chromium, took 2.2–2.7 s read as ArrayBuffers and 1.0–1.3 s as
 * Blobs read back (decision 155). Typed `application/zip` whatever the server said.
 */
export async function downloadResultBlob(conn: Connection, downloadUrl: string, jobId: string, signal?: AbortSignal): Promise<Blob> {
  const blob = await (await openResultDownload(conn, downloadUrl, jobId, signal)).blob();
  return blob.type === ZIP_TYPE ? blob : blob.slice(0, blob.size, ZIP_TYPE);
}

const ZIP_TYPE = 'application/zip';

export interface JobResultFile {
  /**
   * The ZIP as it came, kept as a Blob (the browser's blob storage, not this tab's heap: at a million rows the 40
   * result ZIPs were ~77 MB of ArrayBuffers at Results; decision 152). Saved as it is; its CSV is read from it again
   * each time it is needed (`readResultCsv`): kept, the 40 CSV texts of a million rows were ~77 MB more (decision 153).
   */
  zip: Blob;
}

/** The CSV of a result file, read again from its ZIP (it was read once when downloaded, so it can be). */
export async function readResultCsv(file: JobResultFile): Promise<string> {
  return extractResultCsv(new Uint8Array(await file.zip.arrayBuffer()));
}

/** What `resultQuery` needs of a job as the run history holds it. */
export interface ResultJob {
  index: number;
  jobId: string | null;
  /** The job's status as the history records it (it also knows jobs not created yet). */
  status: string;
  downloadUrl: string | null;
}

/**
 * Where a job's result file is: Zoho gives a download_url only for COMPLETED jobs; the emulator also serves the
 * file of a FAILED job (rows it never reached are UNPROCESSED), at the path it documents. Null when there is none.
 */
export function resultUrlOf(conn: Connection, job: ResultJob): string | null {
  return job.downloadUrl ?? (job.status === 'FAILED' && job.jobId !== null && conn.kind === 'emulator' ? `/crm/bulk/v8/write/${job.jobId}/result` : null);
}

/** One finished job's result ZIP and its CSV, fetched once per run and job (a COMPLETED job's is retried twice). */
export const resultQuery = (conn: Connection, runId: string, job: ResultJob) => {
  const url = resultUrlOf(conn, job);
  return queryOptions({
    queryKey: bulkWriteKeys.result(connectionKey(conn), runId, job.jobId ?? `none-${job.index}`, url),
    enabled: job.jobId !== null && url !== null && (job.status === 'COMPLETED' || job.status === 'FAILED'),
    staleTime: Infinity,
    retry: (count: number) => count < 2 && job.status === 'COMPLETED',
    queryFn: async ({ signal }): Promise<JobResultFile> => {
      const zip = await downloadResultBlob(conn, url ?? '', job.jobId ?? '', signal);
      // Read once here so that a ZIP without exactly one readable CSV is this query's error, not a later surprise.
      extractResultCsv(new Uint8Array(await zip.arrayBuffer()));
      return { zip };
    },
  });
};
