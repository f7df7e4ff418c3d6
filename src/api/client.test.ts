import { describe, expect, it } from 'vitest';
import { uploadResponse } from './contract/upload.ts';
import { authHeaders, errorFromResponse, parseSuccess, resolveUrl } from './client.ts';
import { memoryToken, type Connection } from './connection.ts';
import { ApiError, AuthError, RateLimitError, describeApiError, parseRetryAfter } from './errors.ts';
import { backoffDelay, withRetry } from './retry.ts';
import { pollDelay } from './get-job.ts';

const conn: Connection = {
  kind: 'zoho',
  apiDomain: 'https://www.zohoapis.eu',
  uploadHost: 'https://content.zohoapis.eu',
  zgid: '1',
  getToken: memoryToken('tok-123'),
};

describe('api client rules', () => {
  it('treats status:"error" as failure even with HTTP 200', () => {
    const body = JSON.stringify({ status: 'error', code: 'INVALID_FILE_FORMAT', message: 'bad zip', details: {} });
    expect(() => parseSuccess({ status: 200, body, schema: uploadResponse, action: 'upload the file', retryAfter: null, now: 0 })).toThrowError(ApiError);
    try {
      parseSuccess({ status: 200, body, schema: uploadResponse, action: 'upload the file', retryAfter: null, now: 0 });
    } catch (e) {
      expect(e instanceof ApiError && e.code).toBe('INVALID_FILE_FORMAT');
      expect(describeApiError(e)).toContain('INVALID_FILE_FORMAT');
    }
  });

  it('maps 401 to AuthError and 429 to RateLimitError with Retry-After', () => {
    expect(
      errorFromResponse({
        status: 401,
        body: '{"status":"error","code":"INVALID_TOKEN","message":"invalid oauth token"}',
        retryAfter: null,
        action: 'x',
        now: 0,
      }),
    ).toBeInstanceOf(AuthError);
    const rl = errorFromResponse({ status: 429, body: '', retryAfter: '3', action: 'x', now: 0 });
    expect(rl).toBeInstanceOf(RateLimitError);
    expect(rl instanceof RateLimitError && rl.retryAfterMs).toBe(3000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2', 0)).toBe(2000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1000)).toBe(4000);
    expect(parseRetryAfter('soon', 0, 777)).toBe(777);
  });

  it('sends the token only to the connection hosts, and only in the Authorization header', () => {
    expect(authHeaders(conn, new URL('https://www.zohoapis.eu/crm/v8/org'), 'x')).toEqual({ Authorization: 'Zoho-oauthtoken tok-123' });
    expect(() => authHeaders(conn, new URL('https://evil.example/steal'), 'x')).toThrowError(/not one of this connection's hosts/);
  });

  it('resolves a relative download_url against the API domain', () => {
    expect(resolveUrl(conn, '/crm/bulk/v8/write/5/result').toString()).toBe('https://www.zohoapis.eu/crm/bulk/v8/write/5/result');
    expect(resolveUrl(conn, 'https://download-accl.zoho.eu/x').origin).toBe('https://download-accl.zoho.eu');
  });

  it('backs off with full jitter under a cap, and polls 1 s then slower', () => {
    expect(backoffDelay(1, 0)).toBe(0);
    expect(backoffDelay(1, 1)).toBe(1000);
    expect(backoffDelay(10, 1)).toBe(15_000);
    expect(pollDelay(0)).toBe(1000);
    expect(pollDelay(100)).toBe(5000);
  });

  it('reads a job still queued after three reads every 5 s, a running one as before', () => {
    expect([0, 1, 2, 3, 4].map((n) => pollDelay(n, 'ADDED'))).toEqual([1000, 1000, 1000, 5000, 5000]);
    expect([0, 3, 9, 10, 11].map((n) => pollDelay(n, 'INPROGRESS'))).toEqual([1000, 1000, 1000, 1000, 1250]);
  });

  it('retries transient failures but never an auth error', async () => {
    let calls = 0;
    const ok = await withRetry(
      () => {
        calls += 1;
        if (calls < 3) return Promise.reject(new ApiError({ kind: 'network', action: 'x', message: 'drop' }));
        return Promise.resolve('done');
      },
      { random: () => 0 },
    );
    expect(ok).toBe('done');
    expect(calls).toBe(3);
    let authCalls = 0;
    await expect(
      withRetry(() => {
        authCalls += 1;
        return Promise.reject(new AuthError({ action: 'x', message: 'expired' }));
      }),
    ).rejects.toBeInstanceOf(AuthError);
    expect(authCalls).toBe(1);
  });
});
