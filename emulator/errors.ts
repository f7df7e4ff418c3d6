// Zoho-shaped errors for the emulator: one exception type carrying HTTP status + `{status,code,message,details}`,
// and the global handler that turns anything thrown into that shape (never a stack trace on the wire).
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZohoErrorOut } from '../src/api/contract/common.ts';

/** How much of a client-supplied value an error may echo (issue 12 D2): a 24 MB header name echoed twice made a
 *  300 MB answer. Longer values are cut here and end in "…", so the reader still sees which value it was. */
export const ECHO_MAX = 200;
/** Backstop for a whole message: fixed wording plus a few capped echoes stays far below this. */
export const MESSAGE_MAX = 1000;

function cap(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  // Never cut a surrogate pair in half (that would put a lone surrogate on the wire).
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end) + '…';
}

/** A client-supplied value as it may appear in an error message or `details`: at most ECHO_MAX characters. */
export const echo = (value: string): string => cap(value, ECHO_MAX);

function capDetails(v: unknown): unknown {
  if (typeof v === 'string') return echo(v);
  if (Array.isArray(v)) return v.map(capDetails);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [echo(k), capDetails(x)]));
  return v;
}

export class ZohoError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(status: ContentfulStatusCode, code: string, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    // Call sites wrap echoed input in echo(); capping here as well means no caller, present or future, can send an
    // input-sized error body.
    super(cap(message, MESSAGE_MAX));
    this.status = status;
    this.code = code;
    this.details = capDetails(details) as Record<string, unknown>;
    this.headers = headers;
  }
  body(): ZohoErrorOut {
    return { status: 'error', code: this.code, message: this.message, details: this.details };
  }
}

export function zohoErrorResponse(c: Context, err: ZohoError): Response {
  for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
  return c.json(err.body(), err.status);
}

/** Global onError: known errors keep their shape; anything else is a 500 with a generic message (logged without data). */
export function onError(err: Error, c: Context): Response {
  if (err instanceof ZohoError) return zohoErrorResponse(c, err);
  // Hono's HTTPException (e.g. from bodyLimit) carries a status; keep it, hide the internals.
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status === 413) {
    return c.json({ status: 'error', code: 'FILE_TOO_LARGE', message: 'The request body is larger than this endpoint accepts.', details: {} }, 413);
  }
  console.error(`emulator: internal error on ${c.req.method} ${new URL(c.req.url).pathname}: ${err.name}`);
  return c.json({ status: 'error', code: 'INTERNAL_ERROR', message: 'The emulator hit an internal error; the request was not applied.', details: {} }, 500);
}

export const invalidData = (apiName: string, jsonPath: string, message: string): ZohoError =>
  new ZohoError(400, 'INVALID_DATA', message, { api_name: apiName, json_path: jsonPath });

export const mandatoryNotFound = (apiName: string, jsonPath: string, message: string): ZohoError =>
  new ZohoError(400, 'MANDATORY_NOT_FOUND', message, { api_name: apiName, json_path: jsonPath });
