// `pause`: the one abortable wait every poll loop and retry uses (Bulk Write and Bulk Read polls, undo, the org
// check). Real timers and a real AbortController.
import { describe, expect, it, vi } from 'vitest';
import { pause, withRetry } from './retry.ts';
import { ApiError } from './errors.ts';

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
