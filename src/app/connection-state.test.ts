// The connection manager's reducer: what each event does to what the panel and the re-sign-in prompt show.
import { describe, expect, it } from 'vitest';
import { createTokenHolder } from '../api/connection.ts';
import { createTransport } from '../api/transport.ts';
import { connectionReducer, initialConnectionState, type ConnectionState, type ZohoSession } from './connection-state.ts';

function session(): ZohoSession {
  return {
    connection: { apiDomain: 'https://www.zohoapis.eu', uploadHost: 'https://content.zohoapis.eu' } as ZohoSession['connection'],
    org: { zgid: '123', companyName: 'Zylker' } as ZohoSession['org'],
    dc: 'EU',
    token: createTokenHolder('1000.a', null),
    transport: createTransport({ proxyOrigin: 'http://127.0.0.1:4173' }),
    method: 'oauth',
    clientId: '1000.CLIENT',
  };
}

const run = (s: ConnectionState, ...actions: Parameters<typeof connectionReducer>[1][]) => actions.reduce(connectionReducer, s);

describe('connection state', () => {
  it('starts on the emulator, or on Zoho checking the token a full-page sign-in brought back (or showing its error)', () => {
    expect(initialConnectionState(null)).toMatchObject({ choice: 'emulator', pending: null, error: null });
    expect(initialConnectionState({ answer: { kind: 'token' } })).toMatchObject({ choice: 'zoho', pending: 'checking', error: null });
    expect(initialConnectionState({ answer: { kind: 'error', message: 'access_denied' } })).toMatchObject({
      choice: 'zoho',
      pending: null,
      error: 'access_denied',
    });
  });

  it('a sign-in clears the last error; a blocked pop-up is remembered until another choice', () => {
    const s = run(
      initialConnectionState(null),
      { type: 'choose', choice: 'zoho' },
      { type: 'error', message: 'old' },
      { type: 'error', message: null },
      { type: 'popup-blocked', blocked: true },
    );
    expect(s).toMatchObject({ choice: 'zoho', error: null, popupBlocked: true });
    expect(run(s, { type: 'choose', choice: 'emulator' })).toMatchObject({ choice: 'emulator', popupBlocked: false, error: null });
    const checking = run(s, { type: 'error', message: 'x' }, { type: 'sign-in-started', pending: 'checking' });
    expect(checking).toMatchObject({ pending: 'checking', error: null });
    expect(run(checking, { type: 'sign-in-ended' }).pending).toBeNull();
  });

  it('connecting chooses Zoho and clears a token problem; a re-sign-in gives a new session object with the same token holder', () => {
    const z = session();
    const s = run(initialConnectionState(null), { type: 'connected', session: z }, { type: 'auth-problem', code: 'INVALID_TOKEN' });
    expect(s).toMatchObject({ choice: 'zoho', authProblem: 'INVALID_TOKEN' });
    const renewed = run(s, { type: 'connected', session: s.zoho! });
    expect(renewed.authProblem).toBeNull();
    expect(renewed.zoho).not.toBe(s.zoho);
    expect(renewed.zoho?.token).toBe(z.token);
  });

  it('an expiry does not hide the refusal that came first; a disconnect forgets the session and its problems', () => {
    const s = run(initialConnectionState(null), { type: 'connected', session: session() }, { type: 'auth-problem', code: 'OAUTH_SCOPE_MISMATCH' });
    expect(run(s, { type: 'auth-problem', code: 'TOKEN_EXPIRED', keepFirst: true }).authProblem).toBe('OAUTH_SCOPE_MISMATCH');
    expect(run(s, { type: 'auth-problem', code: 'INVALID_TOKEN' }).authProblem).toBe('INVALID_TOKEN');
    const fresh = run(
      initialConnectionState(null),
      { type: 'connected', session: session() },
      { type: 'auth-problem', code: 'TOKEN_EXPIRED', keepFirst: true },
    );
    expect(fresh.authProblem).toBe('TOKEN_EXPIRED');
    expect(run(s, { type: 'error', message: 'e' }, { type: 'disconnected' })).toMatchObject({ zoho: null, authProblem: null, error: null });
  });

  it('a re-sign-in in flight clears its last error; its end keeps a new error', () => {
    const s = run(initialConnectionState(null), { type: 'reauth-error', message: 'blocked' }, { type: 'reauth-started' });
    expect(s).toMatchObject({ reauthPending: true, reauthError: null });
    expect(run(s, { type: 'reauth-error', message: 'other org' }, { type: 'reauth-ended' })).toMatchObject({ reauthPending: false, reauthError: 'other org' });
  });
});
