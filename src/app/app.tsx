// The app: connects to the built-in emulator (the token stays in memory), then shows the import wizard or the
// history of past imports. Resumes tracking of unfinished jobs after a reload.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Connection } from '../api/connection.ts';
import { describeApiError } from '../api/errors.ts';
import { emulatorConnectionQuery } from '../api/get-emulator-session.ts';
import { Banner } from '../components/banner/banner.tsx';
import { HistoryView } from '../steps/history-step/history-step.tsx';
import { Wizard } from './wizard.tsx';

type View = { kind: 'wizard' } | { kind: 'history' };

export function App() {
  const session = useQuery(emulatorConnectionQuery(window.location.origin));
  const [view, setView] = useState<View>({ kind: 'wizard' });
  const [wizardKey, setWizardKey] = useState(0);
  const [openRun, setOpenRun] = useState<string | undefined>(undefined);
  const connection: Connection | undefined = session.data;

  return (
    <>
      <header className="app-header">
        <div className="app-header__inner">
          <span className="app-header__title">Zoho CRM Bulk Import</span>
          <nav className="app-nav" aria-label="Main">
            <button type="button" className={`btn btn--small${view.kind === 'wizard' ? ' btn--primary' : ''}`} aria-current={view.kind === 'wizard' ? 'page' : undefined} onClick={() => setView({ kind: 'wizard' })}>
              Import
            </button>
            <button type="button" className={`btn btn--small${view.kind === 'history' ? ' btn--primary' : ''}`} aria-current={view.kind === 'history' ? 'page' : undefined} onClick={() => setView({ kind: 'history' })}>
              History
            </button>
          </nav>
          <p className="app-header__conn">
            <span className={`dot${connection ? '' : ' dot--off'}`} aria-hidden="true" />
            {connection ? (connection.kind === 'emulator' ? 'Built-in emulator' : connection.apiDomain) : session.isPending ? 'Connecting…' : 'Not connected'}
            {/* Re-authenticate without losing wizard state (bad-inputs #43): a fresh session, same steps. */}
            <button type="button" className="btn btn--small" onClick={() => void session.refetch()} disabled={session.isFetching}>
              Reconnect
            </button>
          </p>
        </div>
      </header>
      <main className="app-main" id="main">
        <h1 className="visually-hidden">Zoho CRM Bulk Import</h1>
        {session.isError ? (
          <Banner tone="error" title="Could not connect to the built-in emulator">
            <p>{describeApiError(session.error)}</p>
            <button type="button" className="btn btn--small" onClick={() => void session.refetch()}>
              Retry
            </button>
          </Banner>
        ) : null}
        {connection ? (
          <>
            {/* The wizard stays mounted while History is shown, so switching views keeps what was entered. */}
            <div className="app-wizard" hidden={view.kind !== 'wizard'}>
              <Wizard key={wizardKey} connection={connection} openRun={openRun} resumeUnfinished={wizardKey === 0} onRestart={() => {
                  setOpenRun(undefined);
                  setWizardKey((k) => k + 1);
                }} />
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
          </>
        ) : session.isPending ? (
          <p className="empty">Connecting to the built-in emulator…</p>
        ) : null}
      </main>
    </>
  );
}
