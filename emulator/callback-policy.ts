// Which callback URLs the emulator will POST to (security S16): http/https only, exact origin in the allowlist,
// no credentials in the URL. Checked at job creation and again right before each send.
export function callbackUrlAllowed(url: string, allowlist: readonly string[]): { ok: true; url: URL } | { ok: false; reason: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, reason: 'it is not an absolute URL' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, reason: `the scheme "${u.protocol}" is not http or https` };
  if (u.username || u.password) return { ok: false, reason: 'it carries credentials' };
  if (!allowlist.includes(u.origin)) return { ok: false, reason: `the origin ${u.origin} is not in CALLBACK_ALLOWLIST` };
  return { ok: true, url: u };
}
