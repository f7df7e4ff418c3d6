// Step 6 — Results: live tracking until every job ends, then per-job and merged counts (chart + "Added N" text),
// the Zoho result ZIP, a merged Excel-safe CSV, and the skipped rows joined back to their full source rows with
// plain-language reasons — editable, and sent again with "Retry skipped rows". A result that does not reconcile
// shows a "could not reconcile" banner and never a success claim.
import type { Connection } from '../../api/connection.ts';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import { useEffect, useState } from 'react';
import { describeApiError } from '../../api/errors.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { historyStore, useRun } from '../../lib/history-store.ts';
import { operationLabel } from '../../lib/format.ts';
import { runMemory } from '../../lib/run-memory.ts';
import { resumePendingCreates } from '../../lib/send-run.ts';
import type { RetryApi } from './retry-plan.ts';
import { RunOutcome } from './run-outcome.tsx';
import { UndoPanel } from './undo-panel.tsx';
import { useRunResults } from './use-run-results.ts';

export function ResultsStep(props: { connection: Connection; runId: string; retry: RetryApi | null; newRunId: () => string; onNewImport: () => void }) {
  const run = useRun(props.runId);
  const done = !!run && run.jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED');
  const [resume, setResume] = useState<{ lost: number; unknown: number; error: string | null } | null>(null);
  const { connection, runId } = props;
  // Read once here for the outcome and the undo panel: each reading them reconciled every row twice (a million
  // rows: twice the work, and the undo read the result files again while the reconcile ran).
  const results = useRunResults(connection, done ? run : undefined, runMemory.get(runId));
  // After a reload this tab no longer sends anything itself: finish creates that were in flight (same key).
  useEffect(() => {
    if (runMemory.get(runId)) return;
    const r = historyStore.find(runId);
    if (!r || r.jobs.every((j) => j.jobId !== null)) return;
    resumePendingCreates(connection, runId)
      .then((o) => setResume({ lost: o.lost, unknown: o.unknown, error: null }))
      .catch((e: unknown) => setResume({ lost: 0, unknown: 0, error: describeApiError(e) }));
  }, [connection, runId]);
  return (
    <StepFrame
      title={done ? 'Import results' : 'Import in progress'}
      lead={run ? `${run.moduleLabel} · ${operationLabel(run.operation)}${run.findBy ? ` by ${run.findBy}` : ''} · ${run.fileName}` : undefined}
      primary={
        <button type="button" className="btn" onClick={props.onNewImport}>
          New import
        </button>
      }
    >
      {resume && (resume.lost > 0 || resume.unknown > 0 || resume.error) ? (
        <Banner tone="error" title="Part of this import was not sent">
          {resume.lost > 0 ? (
            <p>
              {resume.lost} job(s) never finished uploading before the page was closed or reloaded: none of their rows were imported. Start a new import for
              those rows.
            </p>
          ) : null}
          {resume.unknown > 0 ? (
            <p>
              {resume.unknown} job(s) were being created when the page closed; Zoho may or may not have created them. Check the Bulk Write jobs in Zoho CRM
              before importing those rows again.
            </p>
          ) : null}
          {resume.error ? <p>{resume.error}</p> : null}
        </Banner>
      ) : null}
      {run ? (
        <RunOutcome connection={props.connection} runId={props.runId} retry={props.retry} newRunId={props.newRunId} depth={0} results={results} />
      ) : (
        <p className="empty">This import is not in this browser’s history.</p>
      )}
      {run && done ? <UndoPanel connection={props.connection} run={run} results={results} /> : null}
    </StepFrame>
  );
}
