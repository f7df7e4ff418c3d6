// The Connection part of step 1: the built-in emulator (default) or a real Zoho CRM org, reached by signing in
// with the admin's client-based OAuth client (popup; implicit flow) or with a pasted access token. The panel only
// shows and collects; the app owns the connection and the token (memory only).
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import type { TransportState } from '../../api/transport.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { RadioCards } from '../../components/radio-cards/radio-cards.tsx';
import { SelectField } from '../../components/select-field/select-field.tsx';
import { TextField } from '../../components/text-field/text-field.tsx';
import { DATA_CENTRE_IDS, DATA_CENTRES, type DataCentreId } from '../../domain/connection/data-centres.ts';
import { pastedToken, ZOHO_SCOPES } from '../../domain/connection/oauth.ts';
import { formatExpiry } from '../../domain/connection/expiry.ts';

export type ConnectionChoice = 'emulator' | 'zoho';
export type SignInMethod = 'oauth' | 'token';

/** What the panel shows about a live Zoho session (no token: it never leaves the app's closure). */
export interface ZohoSessionView {
  dc: DataCentreId;
  apiDomain: string;
  uploadHost: string;
  orgName: string | null;
  zgid: string;
  method: SignInMethod;
  expiresAt: number | null;
  transport: TransportState;
}

export interface ConnectionControls {
  choice: ConnectionChoice;
  choose: (c: ConnectionChoice) => void;
  zoho: ZohoSessionView | null;
  /** 'popup': waiting for the Zoho window; 'checking': reading the org with the new token. */
  pending: null | 'popup' | 'checking';
  error: string | null;
  popupBlocked: boolean;
  defaults: { clientId: string; dc: DataCentreId };
  redirectUri: string;
  signIn: (p: { dc: DataCentreId; clientId: string }) => void;
  /** Full-page redirect when the popup was blocked (offered only on this step, where nothing is lost). */
  signInHere: (p: { dc: DataCentreId; clientId: string }) => void;
  useToken: (p: { dc: DataCentreId; token: string }) => void;
  cancel: () => void;
  disconnect: () => void;
  now: number;
}

const CHOICES = [
  { value: 'emulator', title: 'Built-in emulator', text: 'A local Zoho CRM stand-in on this computer. Nothing leaves this machine.' },
  { value: 'zoho', title: 'Zoho CRM', text: 'Your real organisation, through Zoho’s Bulk Write API.' },
];

const METHODS = [
  { value: 'oauth', title: 'Sign in with Zoho', text: 'With your client-based OAuth client id. The token lasts one hour.' },
  { value: 'token', title: 'Paste an access token', text: 'One you generated yourself (e.g. in Zoho’s API console).' },
];

const NO_SPACES = /^\S+$/;
const zohoForm = z
  .object({
    dc: z.enum(DATA_CENTRE_IDS),
    method: z.enum(['oauth', 'token']),
    clientId: z.string().trim(),
    token: z.string().transform(pastedToken),
  })
  .superRefine((v, ctx) => {
    if (v.method === 'oauth' && !NO_SPACES.test(v.clientId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['clientId'],
        message: 'Enter the Client ID of your client-based app (Zoho API console → your app → Client Secret tab), without spaces.',
      });
    }
    if (v.method === 'token' && !NO_SPACES.test(v.token)) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'Paste the access token itself (it usually starts with 1000.), without spaces.' });
    }
  });
type ZohoFormIn = z.input<typeof zohoForm>;
type ZohoFormOut = z.output<typeof zohoForm>;

export function ConnectionPanel({ controls }: { controls: ConnectionControls }) {
  return (
    <section className="connection" aria-labelledby="connection-title">
      <h3 id="connection-title" className="field__label">
        Connection
      </h3>
      <RadioCards label="Send the records to" value={controls.choice} options={CHOICES} onChange={(v) => controls.choose(v as ConnectionChoice)} />
      {controls.choice === 'emulator' ? (
        <p className="subtle">
          <span className="badge badge--success">Connected</span> Runs on this computer and behaves like Zoho’s Bulk Write API — nothing leaves this machine.
        </p>
      ) : controls.zoho ? (
        <ZohoConnected controls={controls} zoho={controls.zoho} />
      ) : (
        <ZohoSignIn controls={controls} />
      )}
    </section>
  );
}

function ZohoConnected({ controls, zoho }: { controls: ConnectionControls; zoho: ZohoSessionView }) {
  const expiry = formatExpiry(zoho.expiresAt, controls.now);
  return (
    <div className="connection__session" data-testid="zoho-connected">
      <p>
        <strong>{zoho.orgName ?? 'Zoho CRM organisation'}</strong> <span className="badge badge--success">Connected</span>
      </p>
      <dl className="conn-facts">
        <dt>Data centre</dt>
        <dd>{DATA_CENTRES[zoho.dc].label}</dd>
        <dt>Organisation id (zgid)</dt>
        <dd>{zoho.zgid}</dd>
        <dt>API domain</dt>
        <dd>{zoho.apiDomain}</dd>
        <dt>Upload host</dt>
        <dd>{zoho.uploadHost}</dd>
        <dt>Signed in with</dt>
        <dd>{zoho.method === 'oauth' ? 'Zoho sign-in (client-based app)' : 'a pasted access token'}</dd>
        <dt>Token</dt>
        <dd>{expiry.text} — held in this tab’s memory only; a reload forgets it.</dd>
        <dt>Route</dt>
        <dd>{zoho.transport.mode === 'direct' ? 'Direct from this browser to Zoho' : 'Through this app’s server (/zoho-proxy)'}</dd>
      </dl>
      {zoho.transport.mode === 'proxy' && zoho.transport.reason ? (
        <Banner tone="info" title="Calls go through this app’s server">
          <p>{zoho.transport.reason}</p>
        </Banner>
      ) : null}
      <button type="button" className="btn btn--small" onClick={controls.disconnect}>
        Sign out of Zoho
      </button>
    </div>
  );
}

function ZohoSignIn({ controls }: { controls: ConnectionControls }) {
  const form = useForm<ZohoFormIn, unknown, ZohoFormOut>({
    resolver: zodResolver(zohoForm),
    defaultValues: { dc: controls.defaults.dc, method: 'oauth', clientId: controls.defaults.clientId, token: '' },
    mode: 'onSubmit',
  });
  const method = useWatch({ control: form.control, name: 'method' });
  const dc = useWatch({ control: form.control, name: 'dc' });
  const errors = form.formState.errors;
  const busy = controls.pending !== null;
  const submit = form.handleSubmit((v) => {
    if (v.method === 'oauth') controls.signIn({ dc: v.dc, clientId: v.clientId });
    else {
      controls.useToken({ dc: v.dc, token: v.token });
      // The token is not kept in the form once handed over.
      form.setValue('token', '');
    }
  });
  return (
    <form
      className="connection__form"
      aria-label="Connect to Zoho CRM"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit(e);
      }}
    >
      <SelectField
        label="Data centre"
        value={dc}
        options={DATA_CENTRE_IDS.map((id) => ({ value: id, label: DATA_CENTRES[id].label }))}
        onChange={(v) => form.setValue('dc', v as DataCentreId)}
        hint="Where your Zoho account lives: the domain you sign in at (zoho.com, zoho.eu, …)."
      />
      <RadioCards label="How to connect" value={method} options={METHODS} onChange={(v) => form.setValue('method', v as SignInMethod)} />
      {method === 'oauth' ? (
        <TextField
          label="Client ID"
          input={form.register('clientId')}
          error={errors.clientId?.message}
          hint={
            <>
              Register a client-based app in the Zoho API console with JavaScript domain <code>{new URL(controls.redirectUri).origin}</code> and redirect URI{' '}
              <code>{controls.redirectUri}</code>.
            </>
          }
        />
      ) : (
        <TextField
          label="Access token"
          input={{ type: 'password', ...form.register('token') }}
          error={errors.token?.message}
          hint={`Needs the scopes ${ZOHO_SCOPES.join(', ')}. It is kept in this tab’s memory only.`}
        />
      )}
      {controls.error ? (
        <Banner tone="error" title="Not connected">
          <p>{controls.error}</p>
        </Banner>
      ) : null}
      {controls.popupBlocked ? (
        <Banner tone="warning" title="The browser blocked the sign-in window">
          <p>Allow pop-ups for this page and press Sign in again, or sign in in this tab instead (you are on step 1, so nothing is lost).</p>
          <button type="button" className="btn btn--small" onClick={() => controls.signInHere({ dc, clientId: form.getValues('clientId').trim() })}>
            Sign in in this tab
          </button>
        </Banner>
      ) : null}
      <div className="connection__actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {method === 'oauth' ? 'Sign in with Zoho' : 'Connect with this token'}
        </button>
        {controls.pending === 'popup' ? (
          <>
            <span role="status">Waiting for the Zoho sign-in window…</span>
            <button type="button" className="btn btn--small" onClick={controls.cancel}>
              Cancel
            </button>
          </>
        ) : controls.pending === 'checking' ? (
          <span role="status">Checking the organisation…</span>
        ) : null}
      </div>
    </form>
  );
}
