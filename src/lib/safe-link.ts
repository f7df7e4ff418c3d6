// Links built from data (CRM answers, cells) are scheme-checked before they become hrefs (security S6).

const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

/** The URL as a string when its scheme is http, https or mailto; otherwise null (javascript:, data:, …). */
export function safeHref(raw: string, base?: string): string | null {
  try {
    const u = base ? new URL(raw, base) : new URL(raw);
    return ALLOWED.has(u.protocol) ? u.toString() : null;
  } catch {
    return null;
  }
}
