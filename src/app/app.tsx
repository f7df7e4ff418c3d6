// The app: connects to the built-in emulator (default) or a Zoho CRM org (tokens stay in memory), then shows the
// import wizard or the history of past imports. Resumes tracking of unfinished jobs after a reload.
import { useState } from 'react';
import { describeApiError } from '../api/errors.ts';
import { Banner } from '../components/banner/banner.tsx';
import { HistoryView } from '../steps/history-step/history-step.tsx';
import { UndoFromFiles } from '../steps/results-step/undo-from-files.tsx';
import { ReauthBanner } from './reauth-banner.tsx';
import { useConnectionManager } from './use-connection-manager.ts';
import type { PageSignIn } from '../lib/zoho-sign-in.ts';
import { Wizard } from './wizard.tsx';

type View = { kind: 'wizard' } | { kind: 'history' };

export function App(props: { pageSignIn: PageSignIn | null }) {
  const { connection, controls, emulator: session, reauth, zohoOrgName, expiry } = useConnectionManager(props.pageSignIn);
  const [view, setView] = useState<View>({ kind: 'wizard' });
  const [wizardKey, setWizardKey] = useState(0);
  const [openRun, setOpenRun] = useState<string | undefined>(undefined);

  return (
    <>
      <header className="app-header">
        <div className="app-header__inner">
          <span className="app-header__title">Zoho CRM Bulk Import</span>
          <nav className="app-nav" aria-label="Main">
            <button
              type="button"
              className={`btn btn--small${view.kind === 'wizard' ? ' btn--primary' : ''}`}
              aria-current={view.kind === 'wizard' ? 'page' : undefined}
              onClick={() => setView({ kind: 'wizard' })}
            >
              Import
            </button>
            <button
              type="button"
              className={`btn btn--small${view.kind === 'history' ? ' btn--primary' : ''}`}
              aria-current={view.kind === 'history' ? 'page' : undefined}
              onClick={() => setView({ kind: 'history' })}
            >
              History
            </button>
          </nav>
          <p className="app-header__conn">
            <span className={`dot${connection && !reauth ? '' : ' dot--off'}`} aria-hidden="true" />
            {connection
              ? connection.kind === 'emulator'
                ? 'Built-in emulator'
                : `Zoho CRM · ${zohoOrgName ?? connection.apiDomain} · ${expiry.state === 'unknown' ? 'token expiry unknown' : `token ${expiry.text}`}`
              : controls.choice === 'zoho'
                ? 'Zoho CRM · not signed in'
                : session.isPending
                  ? 'Connecting…'
                  : 'Not connected'}
            {/* Re-authenticate without losing wizard state (bad-inputs #43): a fresh session, same steps. */}
            {controls.choice === 'emulator' ? (
              <button type="button" className="btn btn--small" onClick={() => void session.refetch()} disabled={session.isFetching}>
                Reconnect
              </button>
            ) : null}
          </p>
        </div>
      </header>
      <main className="app-main" id="main">
        <h1 className="visually-hidden">Zoho CRM Bulk Import</h1>
        {reauth ? <ReauthBanner reauth={reauth} /> : null}
        {controls.choice === 'emulator' && session.isError ? (
          <Banner tone="error" title="Could not connect to the built-in emulator">
            <p>{describeApiError(session.error)}</p>
            <button type="button" className="btn btn--small" onClick={() => void session.refetch()}>
              Retry
            </button>
          </Banner>
        ) : null}
        {connection || controls.choice === 'zoho' ? (
          <>
            {/* The wizard stays mounted while History is shown, so switching views keeps what was entered. */}
            <div className="app-wizard" hidden={view.kind !== 'wizard'}>
              <Wizard
                key={wizardKey}
                connection={connection}
                connectionControls={controls}
                openRun={openRun}
                resumeUnfinished={wizardKey === 0}
                onRestart={() => {
                  setOpenRun(undefined);
                  setWizardKey((k) => k + 1);
                }}
              />
            </div>
            {view.kind === 'history' ? (
              <HistoryView
                onOpen={(runId) => {
                  setOpenRun(runId);
                  setWizardKey((k) => k + 1);
                  setView({ kind: 'wizard' });
                }}
                onNewImport={() => {
                  setOpenRun(undefined);
                  setWizardKey((k) => k + 1);
                  setView({ kind: 'wizard' });
                }}
              />
            ) : null}
            {view.kind === 'history' && connection ? <UndoFromFiles connection={connection} /> : null}
          </>
        ) : session.isPending ? (
          <p className="empty">Connecting to the built-in emulator…</p>
        ) : null}
      </main>
    </>
  );
}
