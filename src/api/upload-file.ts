// `POST {upload-host}/crm/v8/upload` (contract §3): multipart `file` = the ZIP, headers `feature: bulk-write`
// and `X-CRM-ORG`. Uses XMLHttpRequest because fetch cannot report upload progress.
import { UPLOAD_PART_NAME, uploadResponse } from './contract/upload.ts';
import { authHeaders, errorFromResponse, fetchOrFail, parseSuccess, reported, resolveUrl } from './client.ts';
import type { Connection } from './connection.ts';
import { ApiError } from './errors.ts';
import { withRetry, type RetryWait } from './retry.ts';
import { sendWithFallback } from './transport.ts';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadedFile {
  fileId: string;
  createdTime: string | null;
}

/** Where XMLHttpRequest is missing (Node, tests): the same request with fetch, progress reported at the end only. */
async function uploadWithFetch(
  url: URL,
  headers: Record<string, string>,
  zip: Blob,
  fileName: string,
  o: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal },
): Promise<UploadedFile> {
  const action = 'upload the file';
  const form = new FormData();
  form.append(UPLOAD_PART_NAME, zip, fileName);
  const res = await fetchOrFail(
    url,
    { method: 'POST', headers, body: form, ...(o.signal ? { signal: o.signal } : {}) },
    action,
    'the connection dropped during the upload',
  );
  const body = await res.text();
  const now = Date.now();
  const retryAfter = res.headers.get('Retry-After');
  if (!res.ok) throw errorFromResponse({ status: res.status, body, retryAfter, action, now });
  const r = parseSuccess({ status: res.status, body, schema: uploadResponse, action, retryAfter, now });
  o.onProgress?.({ loaded: zip.size, total: zip.size });
  return { fileId: r.details.file_id, createdTime: r.details.created_time ?? null };
}

/**
 * One upload attempt (through the proxy if a direct call cannot get through; repeating an upload only leaves an
 * unused file id behind, never a job).
 */
export async function uploadZipOnce(
  conn: Connection,
  zip: Blob,
  fileName: string,
  o: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<UploadedFile> {
  const url = resolveUrl(conn, '/crm/v8/upload', 'upload');
  const headers = { ...authHeaders(conn, url, 'upload the file'), feature: 'bulk-write', 'X-CRM-ORG': conn.zgid };
  try {
    return await sendWithFallback(conn.transport, url, { replay: true, signal: o.signal }, (target) =>
      typeof XMLHttpRequest === 'undefined' ? uploadWithFetch(target, headers, zip, fileName, o) : uploadWithXhr(target, headers, zip, fileName, o),
    );
  } catch (e) {
    throw reported(conn, e);
  }
}

function uploadWithXhr(
  url: URL,
  headers: Record<string, string>,
  zip: Blob,
  fileName: string,
  o: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal },
): Promise<UploadedFile> {
  const action = 'upload the file';
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url.toString());
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.withCredentials = false;
    xhr.upload.onprogress = (e) => o.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : zip.size });
    xhr.onerror = () => reject(new ApiError({ kind: 'network', action, message: 'the connection dropped during the upload' }));
    xhr.ontimeout = () => reject(new ApiError({ kind: 'network', action, message: 'the upload timed out' }));
    xhr.onabort = () => reject(new ApiError({ kind: 'aborted', action, message: 'cancelled' }));
    xhr.onload = () => {
      const body = xhr.responseText;
      const now = Date.now();
      const retryAfter = xhr.getResponseHeader('Retry-After');
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(errorFromResponse({ status: xhr.status, body, retryAfter, action, now }));
        return;
      }
      try {
        const r = parseSuccess({ status: xhr.status, body, schema: uploadResponse, action, retryAfter, now });
        resolve({ fileId: r.details.file_id, createdTime: r.details.created_time ?? null });
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    if (o.signal) {
      if (o.signal.aborted) {
        reject(new ApiError({ kind: 'aborted', action, message: 'cancelled' }));
        return;
      }
      o.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    const form = new FormData();
    form.append(UPLOAD_PART_NAME, zip, fileName);
    xhr.send(form);
  });
}

/** Upload with retries: network drops and 5xx back off exponentially with jitter; 429 waits for Retry-After. */
export function uploadZip(
  conn: Connection,
  zip: Blob,
  fileName: string,
  o: { onProgress?: (p: UploadProgress) => void; onWait?: (w: RetryWait) => void; signal?: AbortSignal; maxAttempts?: number } = {},
): Promise<UploadedFile> {
  return withRetry(() => uploadZipOnce(conn, zip, fileName, o), {
    maxAttempts: o.maxAttempts ?? 4,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.onWait ? { onWait: o.onWait } : {}),
  });
}
