// "Undo this import" on Results: the exact confirmation ("Delete the N records this import added; put back the old
// values of the M records it updated"), the records changed since the import with the choice to leave them alone,
// progress, the per-record report and Retry undo. Updated records need the backup file made before the import.
import { useEffect, useMemo, useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { FileDrop } from '../../components/file-drop/file-drop.tsx';
import { ModalDialog } from '../../components/modal-dialog/modal-dialog.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { readBackupCsv } from '../../domain/undo/backup-csv.ts';
import { confirmationText, type UndoBackup } from '../../domain/undo/plan.ts';
import type { UndoReport } from '../../domain/undo/progress.ts';
import { formatInt } from '../../lib/format.ts';
import type { HistoryRun } from '../../lib/history.ts';
import { Cancelled } from '../../lib/time-slices.ts';
import { undoStore } from '../../lib/undo-store.ts';
import { undoResults, useUndo, type UndoSource } from './use-undo.ts';
import type { RunResults } from './use-run-results.ts';

export function UndoPanel(props: { connection: Connection; run: HistoryRun; results: RunResults }) {
  const { run, results } = props;
  // The line for "changed since the import": the first time this browser saw the import finished.
  const importEnd = useMemo(() => undoStore().markImportEnd(run.runId, new Date().toISOString()), [run.runId]);
  // While this tab reconciles the rows it sent, the undo waits for that result rather than reading every result file
  // a second time (at a million rows a multi-second task) only to be built again from the reconciled rows. Without
  // them (after a reload) the files are read strictly, one file per task (decisions 141, 153).
  const fromFilesNeeded = results.ready && !results.reconciling && !results.merged;
  const [fromFiles, setFromFiles] = useState<{ files: RunResults['files']; source: UndoSource; problems: readonly string[] } | null>(null);
  useEffect(() => {
    if (!fromFilesNeeded) return;
    const ctrl = new AbortController();
    const files = results.files;
    undoResults(files, ctrl.signal).then(
      (into) => setFromFiles({ files, source: { results: into.results }, problems: into.problems }),
      (e: unknown) => {
        if (!(e instanceof Cancelled)) throw e;
      },
    );
    return () => ctrl.abort();
  }, [fromFilesNeeded, results.files]);
  const merged = results.ready && !results.reconciling ? results.merged : null;
  const fromMerged = useMemo(() => (merged ? { source: { merged }, problems: [] } : null), [merged]);
  const read: { source: UndoSource; problems: readonly string[] } | null =
    fromMerged ?? (fromFilesNeeded && fromFiles && fromFiles.files === results.files ? fromFiles : null);
  if (!read) return null;
  return (
    <UndoControls connection={props.connection} undoId={run.runId} module={run.module} importEnd={importEnd} source={read.source} problems={read.problems} />
  );
}

/** The undo itself, whatever the result rows came from (this run's results, or files dropped after a reload). */
export function UndoControls(props: {
  connection: Connection;
  undoId: string;
  module: string;
  importEnd: string | null;
  source: UndoSource;
  problems: readonly string[];
}) {
  const [backup, setBackup] = useState<UndoBackup | null>(null);
  const [backupError, setBackupError] = useState<string | null>(null);
  const undo = useUndo({
    connection: props.connection,
    undoId: props.undoId,
    module: props.module,
    importEnd: props.importEnd,
    source: props.source,
    backup,
  });
  const { phase, plan } = undo;
  const touched = plan ? plan.deleteCount + plan.restores.length : 0;
  const needsBackup = plan?.cannot.some((c) => c.reason === 'no-backup') ?? false;

  return (
    <section className="section" aria-labelledby={`undo-title-${props.undoId}`}>
      <h2 id={`undo-title-${props.undoId}`} className="section-title">
        Undo this import
      </h2>
      {props.problems.map((m) => (
        <Banner key={m} tone="error" title="A result file cannot be used for an undo">
          <p>{m}</p>
        </Banner>
      ))}
      {needsBackup ? (
        <div>
          <p>
            To put back the old values of the {formatInt(plan?.cannot.filter((c) => c.reason === 'no-backup').length ?? 0)} updated record(s), add the backup
            file downloaded before the import.
          </p>
          <FileDrop
            label="Backup CSV"
            hint="The file from Download backup (id plus the fields this import wrote)."
            onFile={(file) => {
              void file.text().then((text) => {
                const read = readBackupCsv(text, props.module);
                if (read.ok) {
                  setBackup(read.backup);
                  setBackupError(null);
                } else setBackupError(read.message);
              });
            }}
          />
          {backupError ? (
            <Banner tone="error" title="This backup file cannot be used">
              <p>{backupError}</p>
            </Banner>
          ) : null}
        </div>
      ) : null}
      {props.importEnd === null ? (
        <p className="subtle">The import's end time is not known from files alone, so records changed since the import cannot be detected.</p>
      ) : null}
      {phase.kind === 'idle' || phase.kind === 'checking' ? (
        <p>
          <button type="button" className="btn" disabled={!plan || touched === 0 || phase.kind === 'checking'} onClick={() => void undo.start()}>
            {phase.kind === 'checking' ? 'Checking the records…' : undo.storedReport && !undo.storedReport.finished ? 'Resume undo' : 'Undo this import'}
          </button>{' '}
          {!plan ? <span className="subtle">Reading which records this import added or updated…</span> : null}
          {plan && touched === 0 ? (
            <span className="subtle">
              {needsBackup
                ? 'Add the backup file above: the records this import updated can be put back only from it.'
                : 'This import added or updated no record that can be undone.'}
            </span>
          ) : null}
        </p>
      ) : null}
      {phase.kind === 'running' ? (
        <div>
          <ProgressBar
            label="Undoing the import"
            value={phase.done}
            max={phase.total}
            valueText={`${formatInt(phase.done)} of ${formatInt(phase.total)} records`}
          />
          {phase.waiting ? <p className="subtle">{phase.waiting}</p> : null}
        </div>
      ) : null}
      {phase.kind === 'error' ? (
        <Banner tone="error" title="The undo stopped">
          <p>{phase.message}</p>
          <p>
            <button type="button" className="btn" onClick={undo.retry}>
              Retry undo
            </button>
          </p>
        </Banner>
      ) : null}
      {phase.kind === 'finished' ? <UndoReportView report={phase.report} onRetry={undo.retry} /> : null}
      <ModalDialog title="Undo this import?" isOpen={phase.kind === 'confirm'} onClose={undo.cancel}>
        {phase.kind === 'confirm' ? (
          <UndoConfirmBody text={confirmationText(phase.plan)} changed={phase.changed} what="import" onConfirm={undo.confirm} onCancel={undo.cancel} />
        ) : null}
      </ModalDialog>
    </section>
  );
}

/** The undo confirmation: what will be deleted or restored, records changed since, and the choice to leave them alone. */
export function UndoConfirmBody(props: {
  /** What will be undone, in words (confirmationText / groupConfirmationText). */
  text: string;
  changed: ReadonlySet<string>;
  /** What was written: "import" or "run". */
  what: string;
  onConfirm: (leaveChangedAlone: boolean) => void;
  onCancel: () => void;
}) {
  const [leave, setLeave] = useState(true);
  const n = props.changed.size;
  return (
    <div>
      <p data-testid="undo-confirmation">{props.text}</p>
      {n > 0 ? (
        <Banner tone="warning" title={`${formatInt(n)} record${n === 1 ? ' was' : 's were'} changed after the ${props.what}`} live={false}>
          <p>Someone (or something) edited {n === 1 ? 'it' : 'them'} since. Undoing would delete or overwrite those later changes too.</p>
          <label>
            <input type="checkbox" checked={leave} onChange={(e) => setLeave(e.target.checked)} /> Leave the records changed since the {props.what} alone
          </label>
        </Banner>
      ) : null}
      <p className="subtle">Deleted records go to the CRM's recycle bin, where Zoho keeps them for 60 days.</p>
      <div className="step-actions">
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn--primary" onClick={() => props.onConfirm(leave)}>
          Undo
        </button>
      </div>
    </div>
  );
}

function UndoReportView(props: { report: UndoReport; onRetry: () => void }) {
  const { counts, rows } = props.report;
  const failed = counts.failed + counts.pending;
  return (
    <div>
      <Banner tone={failed > 0 ? 'warning' : 'success'} title={failed > 0 ? `Undo finished with ${formatInt(failed)} record(s) not undone` : 'Undo finished'}>
        <p>
          {formatInt(counts.undone)} undone · {formatInt(counts.failed)} failed · {formatInt(counts['left-alone'])} left alone · {formatInt(counts.cannot)}{' '}
          cannot be undone
        </p>
        {failed > 0 ? (
          <p>
            <button type="button" className="btn" onClick={props.onRetry}>
              Retry undo
            </button>
          </p>
        ) : null}
      </Banner>
      <div className="table-wrap" tabIndex={0}>
        <table className="table" aria-label="Undo, per record">
          <thead>
            <tr>
              <th scope="col">Record id</th>
              <th scope="col">Action</th>
              <th scope="col">Outcome</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.action}:${r.id}:${r.line ?? ''}`}>
                <td>{r.id || '—'}</td>
                <td>{r.action === 'delete' ? 'delete' : 'put back old values'}</td>
                <td>{r.state}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
