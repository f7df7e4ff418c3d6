// `GET result.download_url` (contract §7): the result ZIP, fetched with Authorization. A relative URL is
// resolved against the API domain; an absolute one must be on an allow-listed host (S3).
import { authHeaders, errorFromResponse, fetchOrFail, reported, resolveUrl } from './client.ts';
import type { Connection } from './connection.ts';
import { ApiError } from './errors.ts';
import { sendWithFallback } from './transport.ts';

export async function downloadResultZip(conn: Connection, downloadUrl: string, jobId: string, signal?: AbortSignal): Promise<Uint8Array> {
  const action = `download the result of job ${jobId}`;
  const url = resolveUrl(conn, downloadUrl, 'api');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ApiError({ kind: 'forbidden-origin', action, message: `the download link uses ${url.protocol}, which is not allowed` });
  const headers = authHeaders(conn, url, action);
  const res = await sendWithFallback(conn.transport, url, { replay: true, signal }, (target) => fetchOrFail(target, { headers, ...(signal ? { signal } : {}) }, action));
  if (!res.ok) throw reported(conn, errorFromResponse({ status: res.status, body: await res.text(), retryAfter: res.headers.get('Retry-After'), action, now: Date.now() }));
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    throw reported(conn, errorFromResponse({ status: res.status, body: await res.text(), retryAfter: null, action, now: Date.now() }));
  }
  return new Uint8Array(await res.arrayBuffer());
}
