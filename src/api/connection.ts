// Where the wizard sends its calls: the built-in emulator (default) or a real Zoho CRM org. The token lives only
// in the closure behind `getToken` — never in state, storage or URLs (S1/S3).
import type { Transport } from './transport.ts';

export type ConnectionKind = 'emulator' | 'zoho';

export interface Connection {
  kind: ConnectionKind;
  /** e.g. `http://127.0.0.1:4173` for the emulator, `https://www.zohoapis.eu` for Zoho. */
  apiDomain: string;
  /** Host of `POST /crm/v8/upload`. */
  uploadHost: string;
  /** Organisation id sent as `X-CRM-ORG` on upload. */
  zgid: string;
  /** Memory-only token getter; returns null once the token is gone (signed out or expired). */
  getToken: () => string | null;
  /** Extra origins the token may be sent to (Zoho's download hosts). apiDomain and uploadHost are always allowed. */
  extraOrigins?: readonly string[];
  /** Direct or via the same-origin proxy (Zoho only); absent = always direct. */
  transport?: Transport;
  /** Told about every auth failure (401, INVALID_TOKEN, expired token) so the app can ask to sign in again. */
  onAuthError?: (code: string | null) => void;
}

/** Wraps a token in a closure so nothing else can read it back as a property (and JSON.stringify never sees it). */
export function memoryToken(token: string): () => string | null {
  let held: string | null = token;
  const get = () => held;
  get.clear = () => {
    held = null;
  };
  return get;
}

/** A replaceable, expiring memory-only token: a re-sign-in swaps the token without changing the Connection. */
export interface TokenHolder {
  get: () => string | null;
  replace(token: string, expiresAt: number | null): void;
  clear(): void;
  /** Epoch ms when the token stops working; null = unknown (a pasted token). */
  expiresAt(): number | null;
}

export function createTokenHolder(token: string, expiresAt: number | null, now: () => number = Date.now): TokenHolder {
  let held: string | null = token;
  let until = expiresAt;
  return {
    get: () => (held !== null && (until === null || now() < until) ? held : null),
    replace(t, e) {
      held = t;
      until = e;
    },
    clear() {
      held = null;
    },
    expiresAt: () => until,
  };
}

/** The origins a request carrying the token may go to (S3). */
export function allowedOrigins(conn: Connection): Set<string> {
  const set = new Set<string>();
  for (const u of [conn.apiDomain, conn.uploadHost, ...(conn.extraOrigins ?? [])]) {
    try {
      set.add(new URL(u).origin);
    } catch {
      // an unparsable origin is simply not allowed
    }
  }
  return set;
}

/** A stable, token-free key for query caches: which server and org the data came from. */
export function connectionKey(conn: Connection): string {
  return `${conn.kind}:${conn.apiDomain}:${conn.zgid}`;
}
