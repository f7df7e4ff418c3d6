// Retrying transient failures: exponential backoff with full jitter, Retry-After honoured on 429, never for
// auth errors. The caller sees each wait (to show "waiting for rate limit" / "retrying in 4 s").
import { ApiError, RateLimitError, isRetryable } from './errors.ts';

/** Full-jitter backoff (AWS architecture blog): random in [0, min(cap, base·2^attempt)]. `rand` in [0,1). */
export function backoffDelay(attempt: number, rand: number, baseMs = 500, capMs = 15_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(ceiling * Math.min(Math.max(rand, 0), 1));
}

export interface RetryWait {
  attempt: number;
  delayMs: number;
  reason: 'rate-limit' | 'transient';
  error: unknown;
}

/**
 * Waits `ms`, or less when `signal` aborts: true when the time passed, false when the wait was cut short (at once
 * when the signal has aborted already). Each caller says what a cut-short wait means. The listener goes with the
 * wait, so a poll loop waiting hundreds of times leaves none behind on its signal.
 */
export function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `pause`, with a wait cut short by `signal` thrown as the aborted ApiError the API calls throw when cancelled. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!(await pause(ms, signal))) throw new ApiError({ kind: 'aborted', action: 'wait', message: 'cancelled' });
}

/**
 * Runs `fn` until it succeeds, fails for good, or `maxAttempts` transient failures happened. Rate-limit waits
 * don't count against the attempts: the server told us when to come back.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  o: { maxAttempts?: number; signal?: AbortSignal; onWait?: (w: RetryWait) => void; random?: () => number } = {},
): Promise<T> {
  const max = o.maxAttempts ?? 5;
  const random = o.random ?? Math.random;
  let transient = 0;
  let rateLimited = 0;
  for (;;) {
    try {
      return await fn(transient + rateLimited);
    } catch (err) {
      if (!isRetryable(err)) throw err;
      if (err instanceof RateLimitError) {
        rateLimited += 1;
        if (rateLimited > 20) throw err;
        o.onWait?.({ attempt: rateLimited, delayMs: err.retryAfterMs, reason: 'rate-limit', error: err });
        await sleep(err.retryAfterMs, o.signal);
        continue;
      }
      transient += 1;
      if (transient >= max) throw err;
      const delayMs = backoffDelay(transient, random());
      o.onWait?.({ attempt: transient, delayMs, reason: 'transient', error: err });
      await sleep(delayMs, o.signal);
    }
  }
}

/** Least wait before the n-th retry after a 429 in a row (1-based): 1 s, 4 s, 16 s, 64 s (and 64 s after that). */
export const rateLimitFloorMs = (n: number): number => 1000 * 4 ** (Math.min(n, 4) - 1);

/**
 * `fn` with each 429 in a row made to wait at least rateLimitFloorMs: a Zoho limit that locks a call for a minute is
 * outwaited even when its answer gives no Retry-After (the client then assumes 1 s). Up to `maxWaits` 429s in a row,
 * then the 429 is thrown as it came.
 */
export function withRateLimitFloor<T>(fn: () => Promise<T>, maxWaits = Infinity): () => Promise<T> {
  let waits = 0;
  return async () => {
    try {
      const out = await fn();
      waits = 0;
      return out;
    } catch (e) {
      if (e instanceof RateLimitError) {
        waits += 1;
        if (waits > maxWaits) throw e;
        const floor = rateLimitFloorMs(waits);
        if (e.retryAfterMs < floor) throw new RateLimitError({ action: e.action, message: e.message, status: e.status, code: e.code, retryAfterMs: floor });
      }
      throw e;
    }
  };
}
