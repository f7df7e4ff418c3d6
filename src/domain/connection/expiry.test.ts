import { describe, expect, it } from 'vitest';
import { formatExpiry } from './expiry.ts';

describe('formatExpiry', () => {
  const now = 1_800_000_000_000;
  it('says unknown for a pasted token', () => {
    expect(formatExpiry(null, now)).toEqual({ state: 'unknown', text: expect.stringContaining('unknown') as string });
  });
  it('counts minutes up and warns in the last five', () => {
    expect(formatExpiry(now + 3_600_000, now)).toEqual({ state: 'ok', text: 'expires in 60 min' });
    expect(formatExpiry(now + 5 * 60_000 + 1, now).state).toBe('ok');
    expect(formatExpiry(now + 5 * 60_000, now)).toEqual({ state: 'soon', text: 'expires in 5 min' });
    expect(formatExpiry(now + 30_000, now)).toEqual({ state: 'soon', text: 'expires in less than a minute' });
  });
  it('is expired at and after the instant', () => {
    expect(formatExpiry(now, now)).toEqual({ state: 'expired', text: 'expired' });
    expect(formatExpiry(now - 1, now).state).toBe('expired');
  });
});
