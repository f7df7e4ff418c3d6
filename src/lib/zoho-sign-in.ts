// The browser side of Zoho's client-based (implicit) sign-in. The authorize page opens in a popup, so the wizard
// and the file it holds stay in this tab; the popup lands back on this app, which scrubs the fragment from its
// address bar at once and hands it to the opener over a same-origin BroadcastChannel (works even when Zoho's
// pages cut the opener link). The opener checks `state` and keeps the token in memory only. When popups are
// blocked, a full-page redirect is the fallback; only its `state` and data centre (no token) wait in sessionStorage.
import { buildAuthorizeUrl, parseRedirectFragment, type RedirectResult } from '../domain/connection/oauth.ts';
import { DATA_CENTRE_IDS, type DataCentreId } from '../domain/connection/data-centres.ts';

const CHANNEL = 'zoho-bulk-import.sign-in';
const POPUP_STATE = 'popup.';
const PAGE_STATE = 'page.';
const PAGE_KEY = 'zoho-bulk-import.sign-in.v1';
const PREFS_KEY = 'zoho-bulk-import.zoho-client.v1';

export type SignInAnswer = Exclude<RedirectResult, { kind: 'none' }>;

/** The redirect URI to register in Zoho's API console for this page's origin. */
export function redirectUri(origin: string = window.location.origin): string {
  return `${origin}/`;
}

let pagePending: string | null = null;

/**
 * Runs before the app renders. If the address carries a sign-in answer, removes it from the URL (and so from
 * history) at once; a popup passes it to its opener and closes, a full-page redirect keeps it in memory for
 * `takePageRedirect`. Returns what happened so main.tsx can render a "you can close this window" note.
 */
export function captureSignInRedirect(): 'none' | 'popup' | 'page' {
  const hash = window.location.hash;
  if (!/(^#|&)(access_token|error)=/.test(hash)) return 'none';
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  const state = new URLSearchParams(hash.slice(1)).get('state') ?? '';
  if (state.startsWith(POPUP_STATE)) {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ hash });
    channel.close();
    window.close();
    return 'popup';
  }
  pagePending = hash;
  return 'page';
}

export type PopupSignIn = { kind: 'blocked' } | { kind: 'started'; answer: Promise<SignInAnswer>; cancel: () => void };

/** Opens Zoho's authorize page in a popup and waits for the answer (or a cancel). */
export function signInWithPopup(p: { dc: DataCentreId; clientId: string; now?: () => number }): PopupSignIn {
  const state = `${POPUP_STATE}${crypto.randomUUID()}`;
  const url = buildAuthorizeUrl({ dc: p.dc, clientId: p.clientId, redirectUri: redirectUri(), state });
  const channel = new BroadcastChannel(CHANNEL);
  const win = window.open(url, 'zoho-sign-in', 'popup,width=560,height=720');
  if (!win) {
    channel.close();
    return { kind: 'blocked' };
  }
  let cancel: () => void = () => undefined;
  const answer = new Promise<SignInAnswer>((resolve) => {
    const finish = (r: SignInAnswer) => {
      channel.close();
      resolve(r);
    };
    channel.onmessage = (e: MessageEvent<unknown>) => {
      const hash = typeof e.data === 'object' && e.data !== null && 'hash' in e.data ? e.data.hash : null;
      if (typeof hash !== 'string') return;
      const r = parseRedirectFragment(hash, state, (p.now ?? Date.now)());
      if (r.kind !== 'none') finish(r);
    };
    cancel = () => {
      try {
        win.close();
      } catch {
        // a window we cannot close any more is simply left to the user
      }
      finish({ kind: 'error', message: 'Sign-in was cancelled. Nothing changed; sign in again when ready.' });
    };
  });
  return { kind: 'started', answer, cancel };
}

/** Leaves this page for Zoho's authorize page (popups blocked). What the wizard held in memory is lost. */
export function signInWithRedirect(p: { dc: DataCentreId; clientId: string }): void {
  const state = `${PAGE_STATE}${crypto.randomUUID()}`;
  window.sessionStorage.setItem(PAGE_KEY, JSON.stringify({ state, dc: p.dc }));
  window.location.assign(buildAuthorizeUrl({ dc: p.dc, clientId: p.clientId, redirectUri: redirectUri(), state }));
}

export interface PageSignIn {
  answer: SignInAnswer;
  dc: DataCentreId;
}

/** After a full-page redirect: the checked answer and the data centre chosen before leaving (once). */
export function takePageRedirect(now: number = Date.now()): PageSignIn | null {
  if (pagePending === null) return null;
  const hash = pagePending;
  pagePending = null;
  let saved: { state?: unknown; dc?: unknown } = {};
  try {
    saved = JSON.parse(window.sessionStorage.getItem(PAGE_KEY) ?? '{}') as typeof saved;
  } catch {
    saved = {};
  }
  window.sessionStorage.removeItem(PAGE_KEY);
  const dc = DATA_CENTRE_IDS.find((id) => id === saved.dc) ?? 'US';
  const r = parseRedirectFragment(hash, typeof saved.state === 'string' ? saved.state : null, now);
  return r.kind === 'none' ? null : { answer: r, dc };
}

/** The client id and data centre last used — not secrets, kept so the admin does not retype them. */
export interface ZohoPrefs {
  clientId: string;
  dc: DataCentreId;
}

export function readZohoPrefs(): ZohoPrefs | null {
  try {
    const v = JSON.parse(window.localStorage.getItem(PREFS_KEY) ?? 'null') as { clientId?: unknown; dc?: unknown } | null;
    const dc = DATA_CENTRE_IDS.find((id) => id === v?.dc);
    return v && typeof v.clientId === 'string' && dc ? { clientId: v.clientId, dc } : null;
  } catch {
    return null;
  }
}

export function saveZohoPrefs(p: ZohoPrefs): void {
  try {
    window.localStorage.setItem(PREFS_KEY, JSON.stringify({ clientId: p.clientId, dc: p.dc }));
  } catch {
    // storage full or disabled: the admin retypes the client id next time
  }
}
