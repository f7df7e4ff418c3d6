// Step 5 — Import: the files are prepared (split and zipped in the worker) and the plan shown (jobs × rows,
// zipped size, credits). "Start import" uploads each ZIP with progress and creates its job; every job id is saved
// to history the moment it exists, so a retry or a reload never creates a duplicate job. Then tracking begins.
import { useEffect, useState, type ReactNode } from 'react';
import type { Connection } from '../../api/connection.ts';
import type { CreateJobRequestInput } from '../../api/contract/create-job.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { OutcomeLine } from '../../components/outcome-line/outcome-line.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import type { SplitResult } from '../../domain/jobs/types.ts';
import type { Destination } from '../../domain/wizard/wizard-state.ts';
import { historyStore, useRun } from '../../lib/history-store.ts';
import { newRunEntry } from '../../lib/send-run.ts';
import { BackupDownload } from './backup-download.tsx';
import { PlanFacts, SendFailed, UploadProgress } from './import-parts.tsx';
import { usePreparePlan, type PrepareHooks } from './use-prepare-plan.ts';
import { useSendParts } from './use-send-parts.ts';

export function ImportStep(props: {
  connection: Connection;
  destination: Destination;
  fileName: string;
  runId: string | undefined;
  newRunId: () => string;
  /** Splits and zips in the worker. */
  prepare: (hooks: PrepareHooks) => Promise<SplitResult>;
  /** The create-job body for one uploaded part. */
  requestFor: (fileId: string) => CreateJobRequestInput;
  /** Called once the plan exists and the import starts, with the run id and the parts (for reconcile later). */
  onStarted: (runId: string, plan: SplitResult) => void;
  /** Every job created: tracking carries on in the tracker. */
  tracker: (runId: string) => ReactNode;
  onBack: (() => void) | undefined;
  onFinished: (runId: string) => void;
  /** Will add / update / skip as Review predicted it, and whether the org was checked (else: the file only). */
  predicted: { outcome: { add: number; update: number; skip: number; unchecked: number }; fromOrg: boolean } | null;
}) {
  const { connection, destination, onFinished } = props;
  const prep = usePreparePlan(props.prepare, props.runId);
  const { send, sendAll } = useSendParts(connection, props.requestFor);
  const [runId, setRunId] = useState<string | undefined>(props.runId);
  const run = useRun(runId);
  const plan = prep.kind === 'ready' ? prep.plan : null;
  // A run resumed after a reload has no plan here: its parts are already in history, each with its job.
  const parts = plan?.jobs ?? [];

  const start = () => {
    if (plan === null || runId !== undefined) return;
    const id = props.newRunId();
    historyStore.put(
      newRunEntry({
        runId: id,
        now: new Date(),
        connectionKind: connection.kind,
        apiDomain: connection.apiDomain,
        module: destination.module,
        moduleLabel: destination.moduleLabel,
        operation: destination.operation,
        findBy: destination.findBy,
        fileName: props.fileName,
        totalRows: plan.totalRows,
        parts: plan.jobs,
        retryOf: null,
      }),
    );
    setRunId(id);
    props.onStarted(id, plan);
    void sendAll(id, plan.jobs);
  };

  const allCreated = !!run && run.jobs.length > 0 && run.jobs.every((j) => j.jobId !== null);
  const allDone = !!run && allCreated && run.jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED');
  useEffect(() => {
    if (allDone && runId !== undefined) onFinished(runId);
  }, [allDone, runId, onFinished]);

  return (
    <StepFrame
      title={runId === undefined ? 'Ready to import' : allCreated ? 'Importing' : 'Sending the file'}
      lead={
        runId === undefined
          ? 'Check the plan, then start. Each job costs Zoho API credits.'
          : 'Keep this tab open while the files upload. Tracking continues after a reload.'
      }
      onBack={runId === undefined ? props.onBack : undefined}
      primary={
        runId === undefined ? (
          <button type="button" className="btn btn--primary" disabled={prep.kind !== 'ready'} onClick={start}>
            Start import
          </button>
        ) : undefined
      }
    >
      {prep.kind === 'preparing' && runId === undefined ? (
        <ProgressBar
          label={prep.progress ? `Preparing files: ${prep.progress.phase}` : 'Preparing files'}
          value={prep.progress?.done ?? 0}
          max={prep.progress?.total ?? 0}
          indeterminate={!prep.progress || prep.progress.total <= 0}
        />
      ) : null}
      {prep.kind === 'failed' ? (
        <Banner tone="error" title="The files could not be prepared">
          <p>{prep.message}</p>
        </Banner>
      ) : null}

      {plan ? <PlanFacts plan={plan} destination={destination} /> : null}
      {runId === undefined && props.predicted ? <PredictedOutcomeLine predicted={props.predicted} /> : null}
      {plan && runId === undefined ? <BackupDownload connection={connection} destination={destination} plan={plan} /> : null}
      {runId !== undefined && plan && !allCreated ? <UploadProgress plan={plan} send={send} /> : null}
      {send.kind === 'failed' ? <SendFailed send={send} onRetry={() => runId !== undefined && void sendAll(runId, parts)} /> : null}

      {runId !== undefined && run && run.jobs.some((j) => j.jobId !== null) ? props.tracker(runId) : null}
    </StepFrame>
  );
}

/** "Will add N · will update M · will skip K" before Start, saying what the figure rests on. */
function PredictedOutcomeLine(props: { predicted: NonNullable<Parameters<typeof ImportStep>[0]['predicted']> }) {
  const { outcome, fromOrg } = props.predicted;
  const note = !fromOrg
    ? 'Predicted from the file alone: the org was not checked, so duplicates of existing records and updates that match nothing are not counted.'
    : outcome.unchecked > 0
      ? `Checked against the org, except ${outcome.unchecked} ${outcome.unchecked === 1 ? 'row' : 'rows'} edited after the check (counted from the file alone).`
      : 'Checked against the org before anything is written.';
  return <OutcomeLine add={outcome.add} update={outcome.update} skip={outcome.skip} note={note} />;
}
