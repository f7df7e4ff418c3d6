// Typed failures of API calls, so the UI can react (re-authenticate, wait for the rate limit, retry) and say
// what happened in words. Zoho's own `code`/`message` are kept as data and shown as text only (S5).

export type ApiErrorKind = 'zoho' | 'auth' | 'rate-limit' | 'network' | 'http' | 'parse' | 'aborted' | 'forbidden-origin';

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number | null;
  readonly code: string | null;
  readonly details: Record<string, unknown>;
  /** Which call failed, in words ("upload the file"), for messages. */
  readonly action: string;

  constructor(p: { kind: ApiErrorKind; action: string; message: string; status?: number | null; code?: string | null; details?: Record<string, unknown> }) {
    super(p.message);
    this.name = 'ApiError';
    this.kind = p.kind;
    this.action = p.action;
    this.status = p.status ?? null;
    this.code = p.code ?? null;
    this.details = p.details ?? {};
  }
}

/** 401 (or Zoho's INVALID_TOKEN / AUTHENTICATION_FAILURE): the token is missing, expired or revoked. */
export class AuthError extends ApiError {
  constructor(p: { action: string; message: string; status?: number | null; code?: string | null }) {
    super({ ...p, kind: 'auth' });
    this.name = 'AuthError';
  }
}

/** 429: the server asked us to wait `retryAfterMs` before the next call. */
export class RateLimitError extends ApiError {
  readonly retryAfterMs: number;
  constructor(p: { action: string; message: string; retryAfterMs: number; status?: number | null; code?: string | null }) {
    super({ ...p, kind: 'rate-limit' });
    this.name = 'RateLimitError';
    this.retryAfterMs = p.retryAfterMs;
  }
}

/**
 * Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). `now` is passed in so the parse is
 * testable; an absent or unreadable header falls back to `fallbackMs`.
 */
export function parseRetryAfter(value: string | null, now: number, fallbackMs = 1000): number {
  if (!value) return fallbackMs;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Math.round(Number(trimmed) * 1000));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return fallbackMs;
  return Math.max(0, at - now);
}

/** Plain-language sentence for any failure, naming the call and what to do next. */
export function describeApiError(err: unknown): string {
  if (err instanceof AuthError) {
    return `Could not ${err.action}: the connection's sign-in is no longer valid (${err.code ?? `HTTP ${err.status ?? '?'}`}). Sign in again with the prompt at the top (Reconnect, for the built-in emulator), then retry — your wizard progress is kept.`;
  }
  if (err instanceof RateLimitError) {
    return `Could not ${err.action} yet: the server is rate limiting requests. Waiting ${Math.ceil(err.retryAfterMs / 1000)} s for the rate limit before retrying.`;
  }
  if (err instanceof ApiError) {
    switch (err.kind) {
      case 'network':
        return `Could not ${err.action}: the server could not be reached (${err.message}). Check the connection and retry.`;
      case 'aborted':
        return `Stopped: ${err.action} was cancelled.`;
      case 'parse':
        return `Could not ${err.action}: the server's answer was not in the expected shape (${err.message}).`;
      case 'forbidden-origin':
        return `Refused to ${err.action}: ${err.message}`;
      case 'zoho': {
        const detail = Object.keys(err.details).length > 0 ? ` Details: ${JSON.stringify(err.details)}.` : '';
        return `Could not ${err.action}: ${err.code ?? 'error'} — ${err.message || 'no message given'}${err.status ? ` (HTTP ${err.status})` : ''}.${detail}`;
      }
      default:
        return `Could not ${err.action}: HTTP ${err.status ?? '?'} ${err.message}.`;
    }
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isRetryable(err: unknown): boolean {
  if (err instanceof AuthError) return false;
  if (err instanceof RateLimitError) return true;
  if (err instanceof ApiError)
    return err.kind === 'network' || (err.kind === 'http' && (err.status ?? 0) >= 500) || (err.kind === 'zoho' && (err.status ?? 0) >= 500);
  return false;
}
