// Where the wizard sends its calls: the built-in emulator (default) or a real Zoho CRM org (a later issue adds
// the sign-in). The token lives only in the closure behind `getToken` — never in state, storage or URLs (S1/S3).

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
