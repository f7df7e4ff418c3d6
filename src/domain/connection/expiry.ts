// How long a Zoho access token has left, in words (tokens from the implicit flow live one hour; a pasted token's
// expiry is unknown). `soon` drives the "sign in again now" prompt before calls start failing.
export type ExpiryState = 'unknown' | 'ok' | 'soon' | 'expired';

export const EXPIRY_WARNING_MS = 5 * 60_000;

export function formatExpiry(expiresAt: number | null, now: number): { state: ExpiryState; text: string } {
  if (expiresAt === null) return { state: 'unknown', text: 'expiry unknown (Zoho access tokens usually last one hour)' };
  const left = expiresAt - now;
  if (left <= 0) return { state: 'expired', text: 'expired' };
  const minutes = Math.ceil(left / 60_000);
  const text = minutes <= 1 ? 'expires in less than a minute' : `expires in ${minutes} min`;
  return { state: left <= EXPIRY_WARNING_MS ? 'soon' : 'ok', text };
}
