// Zoho's client-based (implicit) OAuth flow, as pure functions: the authorize URL, and the parse + checks of
// the redirect fragment. The caller owns the random `state`, the clock and the memory the token lives in.
import { DATA_CENTRE_IDS, DATA_CENTRES, type DataCentreId } from './data-centres.ts';

/**
 * Scopes a live connection needs (contract §2). `ZohoCRM.bulk.READ` and `ZohoCRM.users.READ` serve the check
 * against the org (a Bulk Read of existing records, the users list for owners): named explicitly because Zoho's
 * pages disagree on whether `bulk.ALL` implies the read half (docs/org-apis.md).
 */
export const ZOHO_SCOPES = [
  'ZohoFiles.files.ALL',
  'ZohoCRM.bulk.ALL',
  'ZohoCRM.bulk.READ',
  'ZohoCRM.modules.ALL',
  'ZohoCRM.users.READ',
  'ZohoCRM.settings.fields.READ',
  'ZohoCRM.settings.modules.READ',
  'ZohoCRM.org.READ',
] as const;

export function buildAuthorizeUrl(p: { dc: DataCentreId; clientId: string; redirectUri: string; state: string }): string {
  const u = new URL('/oauth/v2/auth', DATA_CENTRES[p.dc].accounts);
  u.searchParams.set('response_type', 'token');
  u.searchParams.set('client_id', p.clientId);
  u.searchParams.set('scope', ZOHO_SCOPES.join(','));
  u.searchParams.set('redirect_uri', p.redirectUri);
  u.searchParams.set('state', p.state);
  u.searchParams.set('prompt', 'consent');
  return u.toString();
}

export type RedirectResult =
  | { kind: 'none' }
  | { kind: 'error'; message: string }
  | { kind: 'token'; accessToken: string; expiresAt: number; apiDomain: string | null; location: string | null };

/**
 * Reads the fragment Zoho redirects back with (`#access_token=…&expires_in=3600&api_domain=…&state=…`).
 * `expectedState` is what was stored before leaving; a missing or different `state` is refused.
 * The caller must scrub the fragment from the address bar at once (history.replaceState).
 */
export function parseRedirectFragment(hash: string, expectedState: string | null, now: number): RedirectResult {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!raw) return { kind: 'none' };
  const p = new URLSearchParams(raw);
  if (!p.has('access_token') && !p.has('error')) return { kind: 'none' };
  const state = p.get('state');
  if (!expectedState || state !== expectedState) {
    return { kind: 'error', message: 'The sign-in answer did not match the request this page made (state mismatch), so it was ignored. Sign in again.' };
  }
  const error = p.get('error');
  if (error) return { kind: 'error', message: `Zoho refused the sign-in: ${error}. Check the client id and redirect URI, then sign in again.` };
  const token = p.get('access_token') ?? '';
  if (!token) return { kind: 'error', message: 'Zoho answered without an access token. Sign in again.' };
  const expiresIn = Number(p.get('expires_in') ?? '3600');
  const apiDomain = safeZohoOrigin(p.get('api_domain'));
  return {
    kind: 'token',
    accessToken: token,
    expiresAt: now + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000,
    apiDomain,
    location: p.get('location'),
  };
}

/** Accepts an `api_domain` only when it is exactly one of the contract's API domains; else the DC table is used. */
export function safeZohoOrigin(value: string | null): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    const known = DATA_CENTRE_IDS.some((id) => DATA_CENTRES[id].apiDomain === u.origin);
    return known ? u.origin : null;
  } catch {
    return null;
  }
}

/** Maps Zoho's `location` value (us, eu, in, au, jp, cn, ca, sa) to a data centre id. */
export function dataCentreFromLocation(location: string | null): DataCentreId | null {
  const map: Record<string, DataCentreId> = { us: 'US', eu: 'EU', in: 'IN', au: 'AU', jp: 'JP', cn: 'CN', ca: 'CA', sa: 'SA' };
  return (location && map[location.toLowerCase()]) || null;
}

/** A token as pasted by a person: surrounding spaces and a copied `Zoho-oauthtoken ` header prefix are dropped. */
export function pastedToken(text: string): string {
  return text.trim().replace(/^Zoho-oauthtoken\s+/i, '');
}
