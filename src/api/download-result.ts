// `GET result.download_url` (contract §7): the result ZIP, fetched with Authorization. A relative URL is
// resolved against the API domain; an absolute one must be on an allow-listed host (S3). `resultQuery` is the
// cached read of one job's result (its ZIP, checked to hold one CSV) for the results screen.
import { queryOptions } from '@tanstack/react-query';
import { extractResultCsv } from '../domain/jobs/reconcile.ts';
import { chooseResultEntry, dataStart, findDirectory, isFolder, LOCAL_HEADER_BYTES, readDirectory, ZIP_TAIL_BYTES } from '../domain/jobs/result-zip.ts';
import { authHeaders, errorFromResponse, fetchOrFail, reported, resolveUrl } from './client.ts';
import { connectionKey, type Connection } from './connection.ts';
import { ApiError } from './errors.ts';
import { Limiter } from './limiter.ts';
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
export function readResultCsv(file: JobResultFile): Promise<string> {
  return readZipCsv(file.zip);
}

const bytesOf = async (zip: Blob, from: number, to: number): Promise<Uint8Array> => new Uint8Array(await zip.slice(from, to).arrayBuffer());

/**
 * The one CSV of a result ZIP held as a Blob, the same text `extractResultCsv` gives: its place read from the ZIP's
 * directory, then only its bytes inflated by the platform's `DecompressionStream` as a stream, a piece per task.
 * Inflated in one go (fflate), each of a million rows' 40 result CSVs (~2 MB) was read twice in one task each (when
 * downloaded, and when joined), its bytes and text left as garbage (decision 157). A ZIP this
 * reader does not handle itself (ZIP64, encryption, another method, names twice) goes to `extractResultCsv`.
 */
export async function readZipCsv(zip: Blob): Promise<string> {
  const whole = async () => extractResultCsv(await bytesOf(zip, 0, zip.size));
  if (typeof DecompressionStream !== 'function') return whole();
  const dir = findDirectory(await bytesOf(zip, Math.max(0, zip.size - ZIP_TAIL_BYTES), zip.size), zip.size);
  const entries = dir && readDirectory(await bytesOf(zip, dir.offset, dir.offset + dir.size), dir.count);
  const files = entries?.filter((e) => !isFolder(e.name));
  if (!files || new Set(files.map((e) => e.name)).size !== files.length) return whole();
  const chosen = chooseResultEntry(files.map((e) => e.name));
  if ('error' in chosen) throw new Error(chosen.error);
  const entry = files.find((e) => e.name === chosen.name)!;
  if ((entry.method !== 0 && entry.method !== 8) || (entry.flags & 1) !== 0) return whole();
  const start = dataStart(await bytesOf(zip, entry.localOffset, entry.localOffset + LOCAL_HEADER_BYTES), entry);
  if (start < 0 || start + entry.compressedSize > zip.size) return whole();
  const data = zip.slice(start, start + entry.compressedSize).stream();
  try {
    // Response.text() decodes UTF-8 as TextDecoder does (a BOM dropped, bad bytes replaced).
    return await new Response(entry.method === 8 ? data.pipeThrough(new DecompressionStream('deflate-raw')) : data).text();
  } catch (e) {
    throw new Error(
      `The result ZIP's ${entry.name} could not be inflated (${e instanceof Error ? e.message : String(e)}); the file is damaged — download it again.`,
      {
        cause: e,
      },
    );
  }
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

/** Result downloads at once (all of a run's jobs finish together: 40 at a million rows). */
const resultDownloads = new Limiter(4);

/** One finished job's result ZIP and its CSV, fetched once per run and job (a COMPLETED job's is retried twice). */
export const resultQuery = (conn: Connection, runId: string, job: ResultJob) => {
  const url = resultUrlOf(conn, job);
  return queryOptions({
    queryKey: bulkWriteKeys.result(connectionKey(conn), runId, job.jobId ?? `none-${job.index}`, url),
    enabled: job.jobId !== null && url !== null && (job.status === 'COMPLETED' || job.status === 'FAILED'),
    staleTime: Infinity,
    retry: (count: number) => count < 2 && job.status === 'COMPLETED',
    queryFn: async ({ signal }): Promise<JobResultFile> => {
      const zip = await resultDownloads.run(() => downloadResultBlob(conn, url ?? '', job.jobId ?? '', signal), signal);
      // Read once here so that a ZIP without exactly one readable CSV is this query's error, not a later surprise.
      await readZipCsv(zip);
      return { zip };
    },
  });
};
