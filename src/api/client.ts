// The one place that performs HTTP: builds URLs against the connection, adds `Authorization: Zoho-oauthtoken`
// only for allow-listed origins (S3), parses every answer with a zod schema and turns failures into typed errors.
// Zoho sometimes answers HTTP 200 with `"status":"error"`, so the body decides, not the status code.
import type { z } from 'zod';
import { zohoErrorBody } from './contract/common.ts';
import { allowedOrigins, type Connection } from './connection.ts';
import { ApiError, AuthError, RateLimitError, parseRetryAfter } from './errors.ts';
import { parseJsonKeepingIds } from './json-text.ts';
import { sendWithFallback } from './transport.ts';

export type Base = 'api' | 'upload';

/** Resolves a path (or an absolute/relative URL such as Zoho's download_url) against the connection's hosts. */
export function resolveUrl(conn: Connection, pathOrUrl: string, base: Base = 'api'): URL {
  return new URL(pathOrUrl, base === 'api' ? conn.apiDomain : conn.uploadHost);
}

/** Headers for a call to `url`; refuses to attach the token to an origin outside the allowlist. */
export function authHeaders(conn: Connection, url: URL, action: string): Record<string, string> {
  if (!allowedOrigins(conn).has(url.origin)) {
    throw new ApiError({ kind: 'forbidden-origin', action, message: `${url.origin} is not one of this connection's hosts, so the token is not sent there.` });
  }
  const token = conn.getToken();
  if (!token) {
    conn.onAuthError?.('NO_TOKEN');
    throw new AuthError({
      action,
      message: conn.kind === 'zoho' ? 'the Zoho sign-in has expired or was ended' : 'no access token: connect first',
      status: null,
      code: 'NO_TOKEN',
    });
  }
  return { Authorization: `Zoho-oauthtoken ${token}` };
}

const AUTH_CODES = new Set(['INVALID_TOKEN', 'AUTHENTICATION_FAILURE', 'OAUTH_SCOPE_MISMATCH', 'NO_TOKEN']);

/**
 * The Zoho error a body holds: the flat `{status:"error", code, message, details}`, or the same wrapped as the only
 * element of `data[]` (how Zoho's spec writes some errors, Bulk Read's create among them: docs/org-apis.md §1.4). An
 * answer about several items, one of which failed, is not an error of the whole call.
 */
function zohoErrorIn(json: unknown): ReturnType<typeof zohoErrorBody.safeParse> {
  const flat = zohoErrorBody.safeParse(json);
  if (flat.success) return flat;
  const data = (json as { data?: unknown } | null)?.data;
  if (Array.isArray(data) && data.length === 1) {
    const wrapped = zohoErrorBody.safeParse(data[0]);
    if (wrapped.success) return wrapped;
  }
  return flat;
}

/** Turns a non-success answer (already read as text) into the matching typed error. */
export function errorFromResponse(p: { status: number; body: string; retryAfter: string | null; action: string; now: number }): ApiError {
  let json: unknown;
  try {
    json = p.body ? parseJsonKeepingIds(p.body) : null;
  } catch {
    json = null;
  }
  const zoho = zohoErrorIn(json);
  const code = zoho.success ? zoho.data.code : null;
  const message = zoho.success ? zoho.data.message : p.body.slice(0, 200);
  if (p.status === 401 || (code !== null && AUTH_CODES.has(code))) {
    return new AuthError({ action: p.action, message: message || 'unauthorised', status: p.status, code });
  }
  if (p.status === 429 || code === 'TOO_MANY_REQUESTS') {
    return new RateLimitError({
      action: p.action,
      message: message || 'too many requests',
      status: p.status,
      code,
      retryAfterMs: parseRetryAfter(p.retryAfter, p.now),
    });
  }
  if (zoho.success) {
    return new ApiError({ kind: 'zoho', action: p.action, status: p.status, code, message: zoho.data.message, details: zoho.data.details });
  }
  return new ApiError({ kind: 'http', action: p.action, status: p.status, message: message || `HTTP ${p.status}` });
}

/** Reads a body that claims success: a `"status":"error"` body is still a failure (contract §3). */
export function parseSuccess<S extends z.ZodType>(p: {
  status: number;
  body: string;
  schema: S;
  action: string;
  retryAfter: string | null;
  now: number;
}): z.output<S> {
  let json: unknown;
  try {
    json = parseJsonKeepingIds(p.body);
  } catch {
    throw new ApiError({ kind: 'parse', action: p.action, status: p.status, message: 'the answer was not JSON' });
  }
  if (zohoErrorIn(json).success) {
    throw errorFromResponse({ status: p.status, body: p.body, retryAfter: p.retryAfter, action: p.action, now: p.now });
  }
  const parsed = p.schema.safeParse(json);
  if (!parsed.success) throw schemaMismatch(parsed.error, p.action, p.status);
  return parsed.data;
}

/** A body that is JSON but not the shape the contract promises: the first three mismatches, by path. */
export function schemaMismatch(error: z.ZodError, action: string, status: number): ApiError {
  return new ApiError({
    kind: 'parse',
    action,
    status,
    message: error.issues
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .slice(0, 3)
      .join('; '),
  });
}

/** fetch, with its failures as typed errors: `aborted` when the caller's signal cancelled it, else `network`. */
export async function fetchOrFail(url: URL, init: RequestInit, action: string, whenUnknown = 'network error'): Promise<Response> {
  try {
    return await fetch(url, { ...init, credentials: 'omit' });
  } catch (e) {
    if (init.signal?.aborted) throw new ApiError({ kind: 'aborted', action, message: 'cancelled' });
    throw new ApiError({ kind: 'network', action, message: e instanceof Error ? e.message : whenUnknown });
  }
}

/** Tells the connection about an auth failure (so the app can ask to sign in again), then hands the error back. */
export function reported<E>(conn: Connection, err: E): E {
  if (err instanceof AuthError) conn.onAuthError?.(err.code);
  return err;
}

export interface RequestOptions<S extends z.ZodType> {
  method?: 'GET' | 'POST' | 'PUT';
  path: string;
  base?: Base;
  query?: Record<string, string>;
  json?: unknown;
  headers?: Record<string, string>;
  schema: S;
  action: string;
  signal?: AbortSignal;
}

/** A JSON call: fetch, then the same success/error rules as every other call. */
export async function apiRequest<S extends z.ZodType>(conn: Connection, o: RequestOptions<S>): Promise<z.output<S>> {
  const url = resolveUrl(conn, o.path, o.base);
  for (const [k, v] of Object.entries(o.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders(conn, url, o.action), ...(o.headers ?? {}) };
  if (o.json !== undefined) headers['Content-Type'] = 'application/json';
  const init: RequestInit = {
    method: o.method ?? 'GET',
    headers,
    ...(o.json !== undefined ? { body: JSON.stringify(o.json) } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const send = (target: URL) => fetchOrFail(target, init, o.action);
  // Only a read is sent again through the proxy after a direct network failure: a POST may have arrived.
  const res = await sendWithFallback(conn.transport, url, { replay: init.method === 'GET', signal: o.signal }, send);
  const body = await res.text();
  const now = Date.now();
  if (!res.ok) throw reported(conn, errorFromResponse({ status: res.status, body, retryAfter: res.headers.get('Retry-After'), action: o.action, now }));
  // 204 No Content (Zoho's users API when nothing matches): no body to parse; the schema decides what empty means.
  if (res.status === 204 || body.trim() === '') {
    const empty = o.schema.safeParse(null);
    if (empty.success) return empty.data;
    throw reported(conn, new ApiError({ kind: 'parse', action: o.action, status: res.status, message: 'the answer was empty' }));
  }
  try {
    return parseSuccess({ status: res.status, body, schema: o.schema, action: o.action, retryAfter: res.headers.get('Retry-After'), now });
  } catch (e) {
    throw reported(conn, e);
  }
}
