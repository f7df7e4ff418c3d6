// Deleting records and reading records by id (docs/org-apis.md A4): `DELETE /crm/v8/{Module}?ids=` (≤ 100),
// `POST /crm/v8/{Module}/actions/mass_delete` (≤ 500), `GET /crm/v8/{Module}?ids=` (≤ 100). Delete answers come per
// id with HTTP 200, 207 or 400 (400 = every id failed, still one answer each), so they are read here rather than
// through apiRequest, which treats any 400 as a failure of the whole call. Rate-limit waits and transient retries
// go through withRetry; a delete sent twice is harmless (the second answer for a gone id is INVALID_DATA, which the
// undo checks by reading the record back).
import type { z } from 'zod';
import { zohoErrorBody } from './contract/common.ts';
import { DELETE_MAX_IDS, deleteResponse, MASS_DELETE_MAX_IDS, type DeleteItem } from './contract/delete.ts';
import { RECORDS_MAX_PER_REQUEST, recordsReadResponse } from './contract/records.ts';
import { authHeaders, errorFromResponse, fetchOrFail, reported, resolveUrl, schemaMismatch } from './client.ts';
import type { Connection } from './connection.ts';
import { ApiError } from './errors.ts';
import { parseJsonKeepingIds } from './json-text.ts';
import { withRetry, type RetryWait } from './retry.ts';
import { sendWithFallback } from './transport.ts';

/** One id's outcome: deleted, or not with Zoho's code and message (RECORD_LOCKED, INVALID_DATA, …). */
export interface DeleteAnswer {
  id: string;
  deleted: boolean;
  code: string;
  message: string;
}

export interface CallOptions {
  signal?: AbortSignal;
  onWait?: (w: RetryWait) => void;
}

const MODULE_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const DIGITS = /^\d+$/;

function checkIds(module: string, ids: readonly string[], max: number, action: string): void {
  if (!MODULE_NAME.test(module)) throw new ApiError({ kind: 'http', action, message: `"${module}" is not a module API name.` });
  if (ids.length === 0 || ids.length > max)
    throw new ApiError({ kind: 'http', action, message: `${ids.length} ids were given; 1 to ${max} are allowed per call.` });
  const bad = ids.find((id) => !DIGITS.test(id));
  if (bad !== undefined) throw new ApiError({ kind: 'http', action, message: `"${bad}" is not a record id (digits only).` });
}

interface Raw {
  status: number;
  body: string;
  retryAfter: string | null;
}

async function send(
  conn: Connection,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  query: Record<string, string>,
  json: unknown,
  action: string,
  signal?: AbortSignal,
): Promise<Raw> {
  const url = resolveUrl(conn, path);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders(conn, url, action) };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const init: RequestInit = { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}), ...(signal ? { signal } : {}) };
  // Only reads are replayed through the proxy after a direct network failure; a delete's outcome is checked instead.
  const res = await sendWithFallback(conn.transport, url, { replay: method === 'GET', signal }, (target) => fetchOrFail(target, init, action));
  return { status: res.status, body: await res.text(), retryAfter: res.headers.get('Retry-After') };
}

function fail(conn: Connection, raw: Raw, action: string): never {
  throw reported(conn, errorFromResponse({ ...raw, action, now: Date.now() }));
}

function parseJson(raw: Raw, action: string): unknown {
  try {
    return parseJsonKeepingIds(raw.body);
  } catch {
    throw new ApiError({ kind: 'parse', action, status: raw.status, message: 'the answer was not JSON' });
  }
}

/** 200 / 207 / 400-with-data[] → the per-id answers, matched to the ids asked (by id, else by position). */
function readDeleteAnswers(conn: Connection, raw: Raw, ids: readonly string[], action: string): DeleteAnswer[] {
  if (raw.status !== 200 && raw.status !== 207 && raw.status !== 400) fail(conn, raw, action);
  const json = parseJson(raw, action);
  // A flat error body (REQUIRED_PARAM_MISSING, LIMIT_EXCEEDED, a 200 carrying "status":"error") fails the whole call.
  if (zohoErrorBody.safeParse(json).success) fail(conn, raw, action);
  const parsed = deleteResponse.safeParse(json);
  if (!parsed.success) {
    if (raw.status === 400) fail(conn, raw, action);
    throw schemaMismatch(parsed.error, action, raw.status);
  }
  const items = parsed.data.data;
  const byId = new Map<string, DeleteItem>();
  for (const item of items) if (item.details?.id) byId.set(item.details.id, item);
  return ids.map((id, i) => {
    // Zoho answers in request order; an answer without an id is taken by its position.
    const item = byId.get(id) ?? (items[i] && !items[i].details?.id ? items[i] : undefined);
    if (!item) return { id, deleted: false, code: 'NO_ANSWER', message: 'the server did not answer for this record' };
    const ok = item.status.toLowerCase() === 'success' && item.code.toUpperCase() === 'SUCCESS';
    return { id, deleted: ok, code: item.code, message: item.message ?? '' };
  });
}

/** `DELETE /crm/v8/{Module}?ids=` — 1…100 ids, one answer per id in the order given. */
export async function deleteByIds(conn: Connection, module: string, ids: readonly string[], o: CallOptions = {}): Promise<DeleteAnswer[]> {
  const action = `delete ${ids.length} ${module} record(s)`;
  checkIds(module, ids, DELETE_MAX_IDS, action);
  return withRetry(
    async () => readDeleteAnswers(conn, await send(conn, 'DELETE', `/crm/v8/${module}`, { ids: ids.join(',') }, undefined, action, o.signal), ids, action),
    { maxAttempts: 4, ...(o.signal ? { signal: o.signal } : {}), ...(o.onWait ? { onWait: o.onWait } : {}) },
  );
}

/** `POST /crm/v8/{Module}/actions/mass_delete` with `ids` — 1…500 ids, synchronous, one answer per id. */
export async function massDelete(conn: Connection, module: string, ids: readonly string[], o: CallOptions = {}): Promise<DeleteAnswer[]> {
  const action = `mass delete ${ids.length} ${module} record(s)`;
  checkIds(module, ids, MASS_DELETE_MAX_IDS, action);
  return withRetry(
    async () => readDeleteAnswers(conn, await send(conn, 'POST', `/crm/v8/${module}/actions/mass_delete`, {}, { ids }, action, o.signal), ids, action),
    { maxAttempts: 4, ...(o.signal ? { signal: o.signal } : {}), ...(o.onWait ? { onWait: o.onWait } : {}) },
  );
}

export type RecordRead = z.infer<typeof recordsReadResponse>['data'][number];

/**
 * `GET /crm/v8/{Module}?ids=&fields=` — 1…100 records by id. Ids that no longer exist are simply absent from the
 * map (204 when none exists).
 */
export async function recordsByIds(
  conn: Connection,
  module: string,
  ids: readonly string[],
  fields: readonly string[],
  o: CallOptions = {},
): Promise<Map<string, RecordRead>> {
  const action = `read ${ids.length} ${module} record(s)`;
  checkIds(module, ids, RECORDS_MAX_PER_REQUEST, action);
  return withRetry(
    async () => {
      const raw = await send(conn, 'GET', `/crm/v8/${module}`, { ids: ids.join(','), fields: fields.join(',') }, undefined, action, o.signal);
      if (raw.status === 204) return new Map<string, RecordRead>();
      if (raw.status !== 200) fail(conn, raw, action);
      const json = parseJson(raw, action);
      if (zohoErrorBody.safeParse(json).success) fail(conn, raw, action);
      const parsed = recordsReadResponse.safeParse(json);
      if (!parsed.success) throw schemaMismatch(parsed.error, action, raw.status);
      return new Map(parsed.data.data.map((r) => [r.id, r]));
    },
    { maxAttempts: 4, ...(o.signal ? { signal: o.signal } : {}), ...(o.onWait ? { onWait: o.onWait } : {}) },
  );
}
