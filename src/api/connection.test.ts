import { describe, expect, it } from 'vitest';
import { allowedOrigins, connectionKey, createTokenHolder, type Connection } from './connection.ts';

describe('createTokenHolder', () => {
  it('hands the token out until it expires, then nothing', () => {
    let now = 1_000;
    const h = createTokenHolder('1000.tok', 2_000, () => now);
    expect(h.get()).toBe('1000.tok');
    now = 1_999;
    expect(h.get()).toBe('1000.tok');
    now = 2_000;
    expect(h.get()).toBeNull();
  });
  it('a re-sign-in replaces token and expiry in place; clear forgets it', () => {
    let now = 5_000;
    const h = createTokenHolder('old', 4_000, () => now);
    expect(h.get()).toBeNull();
    h.replace('new', 10_000);
    expect(h.get()).toBe('new');
    expect(h.expiresAt()).toBe(10_000);
    now = 20_000;
    expect(h.get()).toBeNull();
    h.replace('pasted', null);
    expect(h.get()).toBe('pasted');
    h.clear();
    expect(h.get()).toBeNull();
  });
  it('the token is not reachable through the connection as data (JSON, keys)', () => {
    const h = createTokenHolder('1000.secret-canary', null);
    const conn: Connection = { kind: 'zoho', apiDomain: 'https://www.zohoapis.eu', uploadHost: 'https://content.zohoapis.eu', zgid: '1', getToken: h.get };
    expect(JSON.stringify(conn)).not.toContain('secret-canary');
    expect(connectionKey(conn)).not.toContain('secret-canary');
    expect(
      Object.values(conn)
        .filter((v) => typeof v === 'string')
        .join(),
    ).not.toContain('secret-canary');
    expect([...allowedOrigins(conn)]).toEqual(['https://www.zohoapis.eu', 'https://content.zohoapis.eu']);
  });
});
