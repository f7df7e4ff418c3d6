// Step 6 — Results: live tracking until every job ends, then per-job and merged counts (chart + "Added N" text),
// the Zoho result ZIP, a merged Excel-safe CSV, and the skipped rows joined back to their full source rows with
// plain-language reasons — editable, and sent again with "Retry skipped rows". A result that does not reconcile
// shows a "could not reconcile" banner and never a success claim.
import type { Connection } from '../../api/connection.ts';
import type { CreateJobRequestInput } from '../../api/contract/create-job.ts';
import type { Operation } from '../../domain/fields/field-meta.ts';
import type { SplitResult } from '../../domain/jobs/types.ts';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import { useRun } from '../../lib/history-store.ts';
import { RunOutcome } from './run-outcome.tsx';

export interface RetryApi {
  /** Splits and zips only these rows (edits applied) in the worker. */
  prepare: (rows: { rowIndexes: number[]; edits: { rowIndex: number; cells: string[] }[] }) => Promise<SplitResult>;
  requestFor: (fileId: string, operation: Operation, findBy: string | null) => CreateJobRequestInput;
}

export function ResultsStep(props: { connection: Connection; runId: string; retry: RetryApi | null; newRunId: () => string; onNewImport: () => void }) {
  const run = useRun(props.runId);
  const done = !!run && run.jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED');
  return (
    <StepFrame
      title={done ? 'Import results' : 'Import in progress'}
      lead={run ? `${run.moduleLabel} · ${run.operation}${run.findBy ? ` by ${run.findBy}` : ''} · ${run.fileName}` : undefined}
      primary={
        <button type="button" className="btn" onClick={props.onNewImport}>
          New import
        </button>
      }
    >
      {run ? <RunOutcome connection={props.connection} runId={props.runId} retry={props.retry} newRunId={props.newRunId} depth={0} /> : <p className="empty">This import is not in this browser’s history.</p>}
    </StepFrame>
  );
}
