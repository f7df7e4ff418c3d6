import { describe, expect, it } from 'vitest';
import { buildAuthorizeUrl, dataCentreFromLocation, parseRedirectFragment, pastedToken, safeZohoOrigin, ZOHO_SCOPES } from './oauth.ts';

describe('buildAuthorizeUrl', () => {
  it('asks the DC accounts server for a token with every scope and the state', () => {
    const u = new URL(buildAuthorizeUrl({ dc: 'EU', clientId: '1000.ABC', redirectUri: 'http://127.0.0.1:4173/', state: 's-1' }));
    expect(u.origin).toBe('https://accounts.zoho.eu');
    expect(u.pathname).toBe('/oauth/v2/auth');
    expect(u.searchParams.get('response_type')).toBe('token');
    expect(u.searchParams.get('scope')!.split(',')).toEqual([...ZOHO_SCOPES]);
    expect(u.searchParams.get('state')).toBe('s-1');
    expect(u.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:4173/');
  });
  it('uses zohocloud.ca for Canada', () => {
    expect(buildAuthorizeUrl({ dc: 'CA', clientId: 'x', redirectUri: 'https://a/', state: 's' })).toMatch(/^https:\/\/accounts\.zohocloud\.ca\//);
  });
});

describe('parseRedirectFragment', () => {
  const now = 1_700_000_000_000;
  it('reads the token, expiry, api_domain and location', () => {
    const r = parseRedirectFragment('#access_token=1000.tok&expires_in=3600&api_domain=https%3A%2F%2Fwww.zohoapis.eu&location=eu&state=abc', 'abc', now);
    expect(r).toEqual({ kind: 'token', accessToken: '1000.tok', expiresAt: now + 3_600_000, apiDomain: 'https://www.zohoapis.eu', location: 'eu' });
  });
  it('refuses a wrong or missing state', () => {
    expect(parseRedirectFragment('#access_token=t&state=evil', 'abc', now).kind).toBe('error');
    expect(parseRedirectFragment('#access_token=t', 'abc', now).kind).toBe('error');
    expect(parseRedirectFragment('#access_token=t&state=abc', null, now).kind).toBe('error');
  });
  it('reports Zoho errors in words', () => {
    const r = parseRedirectFragment('#error=access_denied&state=abc', 'abc', now);
    expect(r).toMatchObject({ kind: 'error' });
    expect(r.kind === 'error' && r.message).toContain('access_denied');
  });
  it('ignores unrelated fragments', () => {
    expect(parseRedirectFragment('', 'abc', now).kind).toBe('none');
    expect(parseRedirectFragment('#step=2', 'abc', now).kind).toBe('none');
  });
  it('ignores an api_domain that is not a Zoho API host', () => {
    const r = parseRedirectFragment('#access_token=t&api_domain=https%3A%2F%2Fevil.example&state=abc', 'abc', now);
    expect(r.kind === 'token' && r.apiDomain).toBeNull();
  });
});

describe('helpers', () => {
  it('safeZohoOrigin accepts only https Zoho API hosts', () => {
    expect(safeZohoOrigin('https://www.zohoapis.com.au/')).toBe('https://www.zohoapis.com.au');
    expect(safeZohoOrigin('http://www.zohoapis.com')).toBeNull();
    expect(safeZohoOrigin('https://www.zohoapis.com.evil.example')).toBeNull();
    expect(safeZohoOrigin('javascript:alert(1)')).toBeNull();
  });
  it('maps locations to data centres', () => {
    expect(dataCentreFromLocation('eu')).toBe('EU');
    expect(dataCentreFromLocation('US')).toBe('US');
    expect(dataCentreFromLocation('xx')).toBeNull();
  });
  it('pastedToken drops spaces and a copied header prefix, nothing else', () => {
    expect(pastedToken('  Zoho-oauthtoken 1000.abc \n')).toBe('1000.abc');
    expect(pastedToken('zoho-oauthtoken\t1000.abc')).toBe('1000.abc');
    expect(pastedToken('1000.abc')).toBe('1000.abc');
    expect(pastedToken('Bearer 1000.abc')).toBe('Bearer 1000.abc');
  });
});
