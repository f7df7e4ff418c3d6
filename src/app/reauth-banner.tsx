// The "sign in again" prompt for a Zoho session whose token is ending, has ended or was refused. It sits above
// the wizard, so the wizard (file, mapping, fixes, running jobs) stays exactly where it is while the admin
// signs in again in a popup or pastes a fresh token.
import { useState } from 'react';
import { Banner } from '../components/banner/banner.tsx';
import type { ReauthView } from './use-connection-manager.ts';

export function ReauthBanner({ reauth }: { reauth: ReauthView }) {
  const [token, setToken] = useState('');
  const title =
    reauth.reason === 'soon'
      ? `Your Zoho sign-in ${reauth.expiryText}`
      : reauth.reason === 'expired'
        ? 'Your Zoho sign-in has ended'
        : `Zoho refused the token (${reauth.code ?? 'unauthorised'})`;
  const text =
    reauth.reason === 'soon'
      ? 'Sign in again now so uploads and job tracking are not interrupted.'
      : 'Calls to Zoho stop until you sign in again. Your file, mapping, fixes and any running jobs are kept; after signing in, whatever failed is retried.';
  return (
    <Banner tone={reauth.reason === 'soon' ? 'warning' : 'error'} title={title}>
      <p>{text}</p>
      <div className="reauth__actions">
        {reauth.method === 'oauth' ? (
          <button type="button" className="btn btn--small btn--primary" onClick={reauth.signInAgain} disabled={reauth.pending}>
            Sign in again
          </button>
        ) : null}
        <form
          className="reauth__token"
          aria-label="Use a new access token"
          onSubmit={(e) => {
            e.preventDefault();
            if (!token.trim()) return;
            reauth.useNewToken(token);
            setToken('');
          }}
        >
          <label className="field__label" htmlFor="reauth-token">
            {reauth.method === 'oauth' ? 'or paste a new access token' : 'Paste a new access token'}
          </label>
          <input
            id="reauth-token"
            className="input input--small"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
          />
          <button type="submit" className="btn btn--small" disabled={reauth.pending || !token.trim()}>
            Use this token
          </button>
        </form>
      </div>
      {reauth.pending ? <p role="status">Waiting for the new sign-in…</p> : null}
      {reauth.error ? (
        <p className="field__error" role="alert">
          {reauth.error}
        </p>
      ) : null}
    </Banner>
  );
}
