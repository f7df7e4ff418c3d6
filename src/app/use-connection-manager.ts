// Owns the app's connection: the built-in emulator (default) or a Zoho CRM session. The Zoho token lives only in
// a TokenHolder closure; React state holds what may be shown (org, hosts, expiry, route). A re-sign-in swaps the
// token inside the same Connection, so queries, the wizard and its file are untouched (bad-inputs #43).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { createTokenHolder, type Connection, type TokenHolder } from '../api/connection.ts';
import { AuthError, describeApiError } from '../api/errors.ts';
import { emulatorConnectionQuery } from '../api/get-emulator-session.ts';
import { createTransport, type Transport, type TransportState } from '../api/transport.ts';
import { connectZoho, type ZohoOrgInfo } from '../api/zoho-connection.ts';
import { pastedToken, ZOHO_SCOPES } from '../domain/connection/oauth.ts';
import type { DataCentreId } from '../domain/connection/data-centres.ts';
import { formatExpiry } from '../domain/connection/expiry.ts';
import { readZohoPrefs, redirectUri, saveZohoPrefs, signInWithPopup, signInWithRedirect, type PageSignIn, type SignInAnswer } from '../lib/zoho-sign-in.ts';
import type { ConnectionChoice, ConnectionControls, SignInMethod, ZohoSessionView } from '../steps/destination-step/connection-panel.tsx';

interface ZohoSession {
  connection: Connection;
  org: ZohoOrgInfo;
  dc: DataCentreId;
  token: TokenHolder;
  transport: Transport;
  method: SignInMethod;
  clientId: string | null;
}

type Grant = { token: string; expiresAt: number | null; apiDomain: string | null; location: string | null };

const NO_SUBSCRIPTION = () => () => undefined;
const DIRECT_STATE: TransportState = { mode: 'direct', reason: null };
const DIRECT = () => DIRECT_STATE;

const grantFromAnswer = (a: Extract<SignInAnswer, { kind: 'token' }>): Grant => ({
  token: a.accessToken,
  expiresAt: a.expiresAt,
  apiDomain: a.apiDomain,
  location: a.location,
});

/** Ticks so expiry texts and prompts stay current without a render per second. */
function useNow(everyMs: number): [number, () => void] {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return [now, useCallback(() => setNow(Date.now()), [])];
}

function describeConnectError(e: unknown): string {
  if (e instanceof AuthError) {
    if (e.code === 'OAUTH_SCOPE_MISMATCH')
      return `Zoho accepted the token but it lacks a scope this wizard needs. Create one with all of: ${ZOHO_SCOPES.join(', ')}.`;
    return `Zoho did not accept the token (${e.code ?? `HTTP ${e.status ?? '?'}`}): it may have expired (they last one hour), be for another data centre, or be mistyped. Sign in again or paste a fresh token.`;
  }
  return describeApiError(e);
}

export interface ReauthView {
  /** Why a sign-in is needed now: the token ended, Zoho refused it, or it ends within minutes. */
  reason: 'expired' | 'refused' | 'soon';
  code: string | null;
  expiryText: string;
  method: SignInMethod;
  pending: boolean;
  error: string | null;
  signInAgain: () => void;
  useNewToken: (token: string) => void;
}

export function useConnectionManager(pageSignIn: PageSignIn | null) {
  const queryClient = useQueryClient();
  const origin = window.location.origin;
  const emulator = useQuery(emulatorConnectionQuery(origin));
  const [choice, setChoice] = useState<ConnectionChoice>(pageSignIn ? 'zoho' : 'emulator');
  const [zoho, setZoho] = useState<ZohoSession | null>(null);
  const [pending, setPending] = useState<null | 'popup' | 'checking'>(pageSignIn?.answer.kind === 'token' ? 'checking' : null);
  const [error, setError] = useState<string | null>(pageSignIn?.answer.kind === 'error' ? pageSignIn.answer.message : null);
  const [popupBlocked, setPopupBlocked] = useState(false);
  const [authProblem, setAuthProblem] = useState<string | null>(null);
  const [reauthPending, setReauthPending] = useState(false);
  const [reauthError, setReauthError] = useState<string | null>(null);
  const cancelRef = useRef<() => void>(() => undefined);
  const prefs = useMemo(() => readZohoPrefs(), []);
  const [now, refreshNow] = useNow(15_000);

  /** A first sign-in: new token holder, new transport, org read to prove it works. */
  const establish = useCallback(
    async (dcChosen: DataCentreId, g: Grant, method: SignInMethod, clientId: string | null) => {
      const token = createTokenHolder(g.token, g.expiresAt);
      const transport = createTransport({ proxyOrigin: origin });
      try {
        const zc = await connectZoho({
          dc: dcChosen,
          location: g.location,
          apiDomain: g.apiDomain,
          token,
          transport,
          onAuthError: (code) => setAuthProblem(code ?? 'INVALID_TOKEN'),
        });
        setZoho({ connection: zc.connection, org: zc.org, dc: zc.dc, token, transport, method, clientId });
        setAuthProblem(null);
        setChoice('zoho');
      } catch (e) {
        token.clear();
        throw e;
      }
    },
    [origin],
  );

  /** A re-sign-in: the new token must reach the same org; then it replaces the old one in place. */
  const renew = useCallback(
    async (session: ZohoSession, g: Grant) => {
      const probe = createTokenHolder(g.token, g.expiresAt);
      const check = await connectZoho({ dc: session.dc, apiDomain: session.connection.apiDomain, token: probe, transport: session.transport }).finally(() =>
        probe.clear(),
      );
      if (check.org.zgid !== session.org.zgid) {
        throw new Error(
          `That sign-in is for a different organisation (${check.org.companyName ?? check.org.zgid}) than this import uses (${session.org.companyName ?? session.org.zgid}). Sign in with an account of ${session.org.companyName ?? session.org.zgid}.`,
        );
      }
      session.token.replace(g.token, g.expiresAt);
      // A new session object: the expiry (read from the holder) is shown again and its timer re-armed.
      setZoho({ ...session });
      setAuthProblem(null);
      // Whatever failed for lack of a valid token is asked again; the wizard's own Retry buttons still work too.
      await queryClient.refetchQueries({ predicate: (q) => q.state.status === 'error' });
    },
    [queryClient],
  );

  // Back from a full-page sign-in (popup was blocked): finish connecting with the answer main.tsx took from the URL.
  const pageDone = useRef(false);
  useEffect(() => {
    if (pageDone.current || pageSignIn?.answer.kind !== 'token') return;
    pageDone.current = true;
    establish(pageSignIn.dc, grantFromAnswer(pageSignIn.answer), 'oauth', prefs?.clientId ?? null)
      .catch((e: unknown) => setError(describeConnectError(e)))
      .finally(() => setPending(null));
  }, [establish, prefs, pageSignIn]);

  const expiresAt = zoho?.token.expiresAt() ?? null;
  const transportState = useSyncExternalStore(zoho?.transport.subscribe ?? NO_SUBSCRIPTION, zoho?.transport.state ?? DIRECT);

  // The moment a known expiry passes, ask for a sign-in rather than waiting for a call to fail.
  useEffect(() => {
    if (!zoho) return;
    const until = zoho.token.expiresAt();
    if (until === null) return;
    const left = until - Date.now();
    const t = setTimeout(
      () => {
        refreshNow();
        setAuthProblem((p) => p ?? 'TOKEN_EXPIRED');
      },
      Math.max(0, left) + 50,
    );
    return () => clearTimeout(t);
  }, [zoho, refreshNow]);

  const runPopup = useCallback(
    (dc: DataCentreId, clientId: string, onToken: (g: Grant) => Promise<void>, onError: (m: string) => void, setBusy: (b: boolean) => void) => {
      const s = signInWithPopup({ dc, clientId });
      if (s.kind === 'blocked') return false;
      cancelRef.current = s.cancel;
      setBusy(true);
      void s.answer
        .then(async (a) => {
          if (a.kind === 'error') onError(a.message);
          else await onToken(grantFromAnswer(a));
        })
        .catch((e: unknown) => onError(describeConnectError(e)))
        .finally(() => setBusy(false));
      return true;
    },
    [],
  );

  const controls: ConnectionControls = {
    choice,
    choose: (c) => {
      setChoice(c);
      setError(null);
      setPopupBlocked(false);
    },
    zoho: zoho
      ? ({
          dc: zoho.dc,
          apiDomain: zoho.connection.apiDomain,
          uploadHost: zoho.connection.uploadHost,
          orgName: zoho.org.companyName,
          zgid: zoho.org.zgid,
          method: zoho.method,
          expiresAt,
          transport: transportState,
        } satisfies ZohoSessionView)
      : null,
    pending,
    error,
    popupBlocked,
    defaults: { clientId: prefs?.clientId ?? '', dc: prefs?.dc ?? 'US' },
    redirectUri: redirectUri(origin),
    signIn: ({ dc, clientId }) => {
      saveZohoPrefs({ dc, clientId });
      setError(null);
      const opened = runPopup(
        dc,
        clientId,
        async (g) => {
          setPending('checking');
          await establish(dc, g, 'oauth', clientId);
        },
        setError,
        (b) => setPending(b ? 'popup' : null),
      );
      setPopupBlocked(!opened);
    },
    signInHere: ({ dc, clientId }) => {
      saveZohoPrefs({ dc, clientId });
      signInWithRedirect({ dc, clientId });
    },
    useToken: ({ dc, token }) => {
      setError(null);
      setPending('checking');
      establish(dc, { token, expiresAt: null, apiDomain: null, location: null }, 'token', null)
        .catch((e: unknown) => setError(describeConnectError(e)))
        .finally(() => setPending(null));
    },
    cancel: () => cancelRef.current(),
    disconnect: () => {
      zoho?.token.clear();
      setZoho(null);
      setAuthProblem(null);
      setError(null);
    },
    now,
  };

  const expiry = formatExpiry(expiresAt, now);
  const reauth: ReauthView | null =
    choice === 'zoho' && zoho && (authProblem !== null || expiry.state === 'expired' || expiry.state === 'soon')
      ? {
          reason:
            expiry.state === 'expired' || authProblem === 'TOKEN_EXPIRED' || authProblem === 'NO_TOKEN' ? 'expired' : authProblem !== null ? 'refused' : 'soon',
          code: authProblem,
          expiryText: expiry.text,
          method: zoho.method,
          pending: reauthPending,
          error: reauthError,
          signInAgain: () => {
            setReauthError(null);
            if (!zoho.clientId) {
              setReauthError('This connection was made with a pasted token: paste a fresh one below.');
              return;
            }
            const opened = runPopup(zoho.dc, zoho.clientId, (g) => renew(zoho, g), setReauthError, setReauthPending);
            if (!opened)
              setReauthError(
                'The browser blocked the sign-in window. Allow pop-ups for this page and press Sign in again — leaving the page would lose the file held in memory.',
              );
          },
          useNewToken: (token) => {
            setReauthError(null);
            setReauthPending(true);
            renew(zoho, { token: pastedToken(token), expiresAt: null, apiDomain: null, location: null })
              .catch((e: unknown) => setReauthError(describeConnectError(e)))
              .finally(() => setReauthPending(false));
          },
        }
      : null;

  const connection: Connection | null = choice === 'emulator' ? (emulator.data ?? null) : (zoho?.connection ?? null);
  return { connection, controls, emulator, reauth, zohoOrgName: zoho?.org.companyName ?? null, expiry };
}
