// What the connection manager shows and decides on, as one state and a pure reducer: which connection is chosen,
// the Zoho session (if any), a first sign-in in flight and its error, a refused or expired token, and a re-sign-in in
// flight and its error. The session's token holder and transport are carried as they are; the reducer never reads
// or changes them, so the token stays in its closure.
import type { Connection, TokenHolder } from '../api/connection.ts';
import type { Transport } from '../api/transport.ts';
import type { ZohoOrgInfo } from '../api/zoho-connection.ts';
import type { DataCentreId } from '../domain/connection/data-centres.ts';
import type { ConnectionChoice, SignInMethod } from '../steps/destination-step/connection-panel.tsx';

export interface ZohoSession {
  connection: Connection;
  org: ZohoOrgInfo;
  dc: DataCentreId;
  token: TokenHolder;
  transport: Transport;
  method: SignInMethod;
  clientId: string | null;
}

export interface ConnectionState {
  choice: ConnectionChoice;
  zoho: ZohoSession | null;
  /** A first sign-in: the pop-up is open, or the token is being checked against the org. */
  pending: null | 'popup' | 'checking';
  error: string | null;
  popupBlocked: boolean;
  /** Why the session's token no longer works (an auth error code, or TOKEN_EXPIRED when its expiry passed). */
  authProblem: string | null;
  reauthPending: boolean;
  reauthError: string | null;
}

export type ConnectionAction =
  | { type: 'choose'; choice: ConnectionChoice }
  | { type: 'sign-in-started'; pending: 'popup' | 'checking'; popupBlocked?: boolean }
  | { type: 'sign-in-ended' }
  | { type: 'popup-blocked'; blocked: boolean }
  | { type: 'error'; message: string | null }
  /** A first sign-in worked, or a re-sign-in put a fresh token into the same session. */
  | { type: 'connected'; session: ZohoSession }
  | { type: 'auth-problem'; code: string; keepFirst?: boolean }
  | { type: 'disconnected' }
  | { type: 'reauth-started' }
  | { type: 'reauth-ended' }
  | { type: 'reauth-error'; message: string | null };

export function initialConnectionState(pageSignIn: { answer: { kind: 'token' } | { kind: 'error'; message: string } } | null): ConnectionState {
  return {
    choice: pageSignIn ? 'zoho' : 'emulator',
    zoho: null,
    pending: pageSignIn?.answer.kind === 'token' ? 'checking' : null,
    error: pageSignIn?.answer.kind === 'error' ? pageSignIn.answer.message : null,
    popupBlocked: false,
    authProblem: null,
    reauthPending: false,
    reauthError: null,
  };
}

export function connectionReducer(s: ConnectionState, a: ConnectionAction): ConnectionState {
  switch (a.type) {
    case 'choose':
      return { ...s, choice: a.choice, error: null, popupBlocked: false };
    case 'sign-in-started':
      return { ...s, pending: a.pending, error: null, popupBlocked: a.popupBlocked ?? s.popupBlocked };
    case 'sign-in-ended':
      return { ...s, pending: null };
    case 'popup-blocked':
      return { ...s, popupBlocked: a.blocked };
    case 'error':
      return { ...s, error: a.message };
    case 'connected':
      // A new session object re-arms the expiry timer and shows the expiry again; a working token clears the problem.
      return { ...s, zoho: { ...a.session }, authProblem: null, choice: 'zoho' };
    case 'auth-problem':
      return { ...s, authProblem: a.keepFirst === true && s.authProblem !== null ? s.authProblem : a.code };
    case 'disconnected':
      return { ...s, zoho: null, authProblem: null, error: null };
    case 'reauth-started':
      return { ...s, reauthPending: true, reauthError: null };
    case 'reauth-ended':
      return { ...s, reauthPending: false };
    case 'reauth-error':
      return { ...s, reauthError: a.message };
  }
}
