// Who may call the emulator: the token check the Zoho API routes and the admin hooks share, and the server's own
// origins (the same loopback port under each loopback name), which CORS, callbacks and the admin hooks trust.
import { timingSafeEqual } from 'node:crypto';

/** `Authorization: Zoho-oauthtoken <token>` with exactly this token, compared in constant time. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Zoho-oauthtoken\s+(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The origins a page served by this server can have: its port under 127.0.0.1, localhost and [::1]. */
export function ownOrigins(serverOrigin: string): string[] {
  const port = new URL(serverOrigin).port;
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
}
