// `pause`: the one abortable wait every poll loop and retry uses (Bulk Write and Bulk Read polls, undo, the org
// check). Real timers and a real AbortController.
import { describe, expect, it, vi } from 'vitest';
import { pause, rateLimitFloorMs, withRateLimitFloor, withRetry } from './retry.ts';
import { ApiError, RateLimitError } from './errors.ts';

describe('pause', () => {
  it('says true once the time has passed', async () => {
    const t0 = performance.now();
    expect(await pause(20)).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
  });

  it('says false at once when the signal has aborted already (a long wait would time the test out)', async () => {
    const c = new AbortController();
    c.abort();
    expect(await pause(60_000, c.signal)).toBe(false);
  });

  it('says false as soon as the signal aborts during the wait', async () => {
    const c = new AbortController();
    setTimeout(() => c.abort(), 10);
    expect(await pause(60_000, c.signal)).toBe(false);
  });

  it('takes its listener off the signal when the time passes, so a long poll loop leaves none behind', async () => {
    const c = new AbortController();
    const added = vi.spyOn(c.signal, 'addEventListener');
    const removed = vi.spyOn(c.signal, 'removeEventListener');
    for (let i = 0; i < 3; i++) expect(await pause(1, c.signal)).toBe(true);
    expect(added).toHaveBeenCalledTimes(3);
    expect(removed.mock.calls.map((call) => call[1])).toEqual(added.mock.calls.map((call) => call[1]));
  });
});

describe('withRetry', () => {
  it('stops waiting between attempts when cancelled, with an aborted ApiError', async () => {
    const c = new AbortController();
    const transient = new ApiError({ kind: 'network', action: 'poll', message: 'connection reset' });
    let calls = 0;
    const run = withRetry(
      () => {
        calls++;
        return Promise.reject(transient);
      },
      { signal: c.signal, random: () => 1, onWait: () => setTimeout(() => c.abort(), 5) },
    );
    await expect(run).rejects.toMatchObject({ kind: 'aborted' });
    expect(calls).toBe(1);
  });
});

describe('withRateLimitFloor', () => {
  const limited = (ms: number) => new RateLimitError({ action: 'read the status', message: 'slow down', retryAfterMs: ms, status: 429 });
  it('makes 429s in a row wait at least 1, 4, 16, 64, 64 s; keeps a longer Retry-After; starts again after a success; gives up past maxWaits', async () => {
    const answers: (number | 'ok')[] = [1000, 1000, 30_000, 1000, 1000, 'ok', 1000];
    const call = withRateLimitFloor(() => {
      const a = answers.shift()!;
      return a === 'ok' ? Promise.resolve('ok') : Promise.reject(limited(a));
    }, 6);
    const waits: (number | string)[] = [];
    for (let k = 0; k < 7; k++) {
      const r = await call().catch((e: unknown) => (e instanceof RateLimitError ? e.retryAfterMs : String(e)));
      waits.push(r);
    }
    expect(waits).toEqual([1000, 4000, 30_000, 64_000, 64_000, 'ok', 1000]);
    expect([1, 2, 3, 4, 9].map(rateLimitFloorMs)).toEqual([1000, 4000, 16_000, 64_000, 64_000]);
    const once = withRateLimitFloor(() => Promise.reject(limited(10)), 1);
    await expect(once()).rejects.toMatchObject({ retryAfterMs: 1000 });
    // Past maxWaits the 429 is thrown as it came (withRetry then gives up on it).
    await expect(once()).rejects.toMatchObject({ retryAfterMs: 10, message: 'slow down' });
  });
});
