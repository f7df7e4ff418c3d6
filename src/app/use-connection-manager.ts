// Owns the app's connection: the built-in emulator (default) or a Zoho CRM session. The Zoho token lives only in
// a TokenHolder closure; React state holds what may be shown (org, hosts, expiry, route). A re-sign-in swaps the
// token inside the same Connection, so queries, the wizard and its file are untouched (bad-inputs #43).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore, type Dispatch } from 'react';
import { createTokenHolder, type Connection } from '../api/connection.ts';
import { AuthError, describeApiError } from '../api/errors.ts';
import { emulatorConnectionQuery } from '../api/get-emulator-session.ts';
import { createTransport, type TransportState } from '../api/transport.ts';
import { connectZoho } from '../api/zoho-connection.ts';
import { pastedToken, ZOHO_SCOPES } from '../domain/connection/oauth.ts';
import type { DataCentreId } from '../domain/connection/data-centres.ts';
import { formatExpiry } from '../domain/connection/expiry.ts';
import { readZohoPrefs, redirectUri, saveZohoPrefs, signInWithPopup, signInWithRedirect, type PageSignIn, type SignInAnswer } from '../lib/zoho-sign-in.ts';
import type { ConnectionControls, SignInMethod, ZohoSessionView } from '../steps/destination-step/connection-panel.tsx';
import { connectionReducer, initialConnectionState, type ConnectionAction, type ConnectionState, type ZohoSession } from './connection-state.ts';

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

/** Opens the sign-in pop-up; false when the browser blocked it. The answer goes to onToken, or a message to onError. */
type RunPopup = (
  dc: DataCentreId,
  clientId: string,
  onToken: (g: Grant) => Promise<void>,
  onError: (m: string) => void,
  setBusy: (b: boolean) => void,
) => boolean;

/** The Connection panel's view and commands (step 1). */
function useConnectionControls(p: {
  state: ConnectionState;
  dispatch: Dispatch<ConnectionAction>;
  establish: (dc: DataCentreId, g: Grant, method: SignInMethod, clientId: string | null) => Promise<void>;
  runPopup: RunPopup;
  cancel: () => void;
  prefs: ReturnType<typeof readZohoPrefs>;
  origin: string;
  expiresAt: number | null;
  transportState: TransportState;
  now: number;
}): ConnectionControls {
  const { state, dispatch, establish, prefs } = p;
  const { zoho } = state;
  const failed = (e: unknown) => dispatch({ type: 'error', message: describeConnectError(e) });
  return {
    choice: state.choice,
    choose: (c) => dispatch({ type: 'choose', choice: c }),
    zoho: zoho
      ? ({
          dc: zoho.dc,
          apiDomain: zoho.connection.apiDomain,
          uploadHost: zoho.connection.uploadHost,
          orgName: zoho.org.companyName,
          zgid: zoho.org.zgid,
          method: zoho.method,
          expiresAt: p.expiresAt,
          transport: p.transportState,
        } satisfies ZohoSessionView)
      : null,
    pending: state.pending,
    error: state.error,
    popupBlocked: state.popupBlocked,
    defaults: { clientId: prefs?.clientId ?? '', dc: prefs?.dc ?? 'US' },
    redirectUri: redirectUri(p.origin),
    signIn: ({ dc, clientId }) => {
      saveZohoPrefs({ dc, clientId });
      dispatch({ type: 'error', message: null });
      const opened = p.runPopup(
        dc,
        clientId,
        async (g) => {
          dispatch({ type: 'sign-in-started', pending: 'checking' });
          await establish(dc, g, 'oauth', clientId);
        },
        (message) => dispatch({ type: 'error', message }),
        (b) => dispatch(b ? { type: 'sign-in-started', pending: 'popup' } : { type: 'sign-in-ended' }),
      );
      dispatch({ type: 'popup-blocked', blocked: !opened });
    },
    signInHere: ({ dc, clientId }) => {
      saveZohoPrefs({ dc, clientId });
      signInWithRedirect({ dc, clientId });
    },
    useToken: ({ dc, token }) => {
      dispatch({ type: 'sign-in-started', pending: 'checking' });
      establish(dc, { token, expiresAt: null, apiDomain: null, location: null }, 'token', null)
        .catch(failed)
        .finally(() => dispatch({ type: 'sign-in-ended' }));
    },
    cancel: p.cancel,
    disconnect: () => {
      zoho?.token.clear();
      dispatch({ type: 'disconnected' });
    },
    now: p.now,
  };
}

/** The re-sign-in prompt: shown while a Zoho token has ended, was refused, or ends within minutes. */
function useReauthView(p: {
  state: ConnectionState;
  dispatch: Dispatch<ConnectionAction>;
  renew: (session: ZohoSession, g: Grant) => Promise<void>;
  runPopup: RunPopup;
  expiry: ReturnType<typeof formatExpiry>;
}): ReauthView | null {
  const { state, dispatch, expiry } = p;
  const { zoho, authProblem } = state;
  if (state.choice !== 'zoho' || !zoho || (authProblem === null && expiry.state !== 'expired' && expiry.state !== 'soon')) return null;
  const reauthError = (message: string | null) => dispatch({ type: 'reauth-error', message });
  return {
    reason: expiry.state === 'expired' || authProblem === 'TOKEN_EXPIRED' || authProblem === 'NO_TOKEN' ? 'expired' : authProblem !== null ? 'refused' : 'soon',
    code: authProblem,
    expiryText: expiry.text,
    method: zoho.method,
    pending: state.reauthPending,
    error: state.reauthError,
    signInAgain: () => {
      reauthError(null);
      if (!zoho.clientId) {
        reauthError('This connection was made with a pasted token: paste a fresh one below.');
        return;
      }
      const opened = p.runPopup(
        zoho.dc,
        zoho.clientId,
        (g) => p.renew(zoho, g),
        reauthError,
        (b) => dispatch({ type: b ? 'reauth-started' : 'reauth-ended' }),
      );
      if (!opened)
        reauthError(
          'The browser blocked the sign-in window. Allow pop-ups for this page and press Sign in again — leaving the page would lose the file held in memory.',
        );
    },
    useNewToken: (token) => {
      dispatch({ type: 'reauth-started' });
      p.renew(zoho, { token: pastedToken(token), expiresAt: null, apiDomain: null, location: null })
        .catch((e: unknown) => reauthError(describeConnectError(e)))
        .finally(() => dispatch({ type: 'reauth-ended' }));
    },
  };
}

export function useConnectionManager(pageSignIn: PageSignIn | null) {
  const queryClient = useQueryClient();
  const origin = window.location.origin;
  const emulator = useQuery(emulatorConnectionQuery(origin));
  const [state, dispatch] = useReducer(connectionReducer, pageSignIn, initialConnectionState);
  const { zoho } = state;
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
          onAuthError: (code) => dispatch({ type: 'auth-problem', code: code ?? 'INVALID_TOKEN' }),
        });
        dispatch({ type: 'connected', session: { connection: zc.connection, org: zc.org, dc: zc.dc, token, transport, method, clientId } });
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
      dispatch({ type: 'connected', session });
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
      .catch((e: unknown) => dispatch({ type: 'error', message: describeConnectError(e) }))
      .finally(() => dispatch({ type: 'sign-in-ended' }));
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
        dispatch({ type: 'auth-problem', code: 'TOKEN_EXPIRED', keepFirst: true });
      },
      Math.max(0, left) + 50,
    );
    return () => clearTimeout(t);
  }, [zoho, refreshNow]);

  const runPopup: RunPopup = useCallback((dc, clientId, onToken, onError, setBusy) => {
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
  }, []);

  const controls = useConnectionControls({
    state,
    dispatch,
    establish,
    runPopup,
    cancel: () => cancelRef.current(),
    prefs,
    origin,
    expiresAt,
    transportState,
    now,
  });
  const expiry = formatExpiry(expiresAt, now);
  const reauth = useReauthView({ state, dispatch, renew, runPopup, expiry });
  const connection: Connection | null = state.choice === 'emulator' ? (emulator.data ?? null) : (zoho?.connection ?? null);
  return { connection, controls, emulator, reauth, zohoOrgName: zoho?.org.companyName ?? null, expiry };
}
