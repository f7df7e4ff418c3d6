// Step 5 — Import: the files are prepared (split and zipped in the worker) and the plan shown (jobs × rows,
// zipped size, credits). "Start import" uploads each ZIP with progress and creates its job; every job id is saved
// to history the moment it exists, so a retry or a reload never creates a duplicate job. Then tracking begins.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Connection } from '../../api/connection.ts';
import type { CreateJobRequestInput } from '../../api/contract/create-job.ts';
import { AuthError, describeApiError } from '../../api/errors.ts';
import type { RetryWait } from '../../api/retry.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import type { JobPart, SplitResult } from '../../domain/jobs/types.ts';
import type { Destination } from '../../domain/wizard/wizard-state.ts';
import { formatBytes, formatInt, operationLabel, plural } from '../../lib/format.ts';
import { historyStore, useRun } from '../../lib/history-store.ts';
import { newRunEntry, sendRun } from '../../lib/send-run.ts';

export const CREDITS_PER_JOB = 500;

export interface PrepareHooks {
  onProgress: (p: { phase: string; done: number; total: number }) => void;
  signal: AbortSignal;
}

type Prep = { kind: 'preparing'; progress: { phase: string; done: number; total: number } | null } | { kind: 'ready'; plan: SplitResult } | { kind: 'failed'; message: string };

type Send =
  | { kind: 'idle' }
  | { kind: 'running'; part: number; phase: 'upload' | 'create'; loaded: number; total: number; wait: RetryWait | null }
  | { kind: 'failed'; message: string; auth: boolean; nothingImported: boolean }
  | { kind: 'done' };

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
}) {
  const [prep, setPrep] = useState<Prep>({ kind: 'preparing', progress: null });
  const [send, setSend] = useState<Send>({ kind: 'idle' });
  const [runId, setRunId] = useState<string | undefined>(props.runId);
  const run = useRun(runId);
  const parts = useRef<JobPart[]>([]);
  const sending = useRef(false);
  const { prepare } = props;

  useEffect(() => {
    if (props.runId !== undefined) return;
    const ctrl = new AbortController();
    prepare({ onProgress: (p) => setPrep({ kind: 'preparing', progress: p }), signal: ctrl.signal })
      .then((plan) => {
        parts.current = plan.jobs;
        setPrep({ kind: 'ready', plan });
      })
      .catch((e: unknown) => {
        if (!ctrl.signal.aborted) setPrep({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
      });
    return () => ctrl.abort();
  }, [prepare, props.runId]);

  // Warn before leaving while ZIPs are still going up (bad-inputs #47).
  useEffect(() => {
    if (send.kind !== 'running') return;
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [send.kind]);

  const sendAll = async (id: string) => {
    if (sending.current) return;
    sending.current = true;
    try {
      await sendRun(props.connection, id, parts.current, props.requestFor, (p) => setSend({ kind: 'running', ...p }));
      setSend({ kind: 'done' });
    } catch (e) {
      const r = historyStore.find(id);
      const anyJob = !!r && r.jobs.some((j) => j.jobId !== null);
      setSend({ kind: 'failed', message: describeApiError(e), auth: e instanceof AuthError, nothingImported: !anyJob });
    } finally {
      sending.current = false;
    }
  };

  const start = () => {
    if (prep.kind !== 'ready' || runId !== undefined) return;
    const id = props.newRunId();
    const entry = newRunEntry({
      runId: id,
      now: new Date(),
      connectionKind: props.connection.kind,
      apiDomain: props.connection.apiDomain,
      module: props.destination.module,
      moduleLabel: props.destination.moduleLabel,
      operation: props.destination.operation,
      findBy: props.destination.findBy,
      fileName: props.fileName,
      totalRows: prep.plan.totalRows,
      parts: prep.plan.jobs,
      retryOf: null,
    });
    historyStore.put(entry);
    setRunId(id);
    props.onStarted(id, prep.plan);
    void sendAll(id);
  };

  const allCreated = !!run && run.jobs.length > 0 && run.jobs.every((j) => j.jobId !== null);
  const allDone = !!run && allCreated && run.jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED');
  const { onFinished } = props;
  useEffect(() => {
    if (allDone && runId !== undefined) onFinished(runId);
  }, [allDone, runId, onFinished]);

  const plan = prep.kind === 'ready' ? prep.plan : null;
  const totalZip = plan ? plan.jobs.reduce((a, j) => a + j.zipBytes, 0) : 0;
  const uploadedBytes = plan && send.kind === 'running' ? plan.jobs.filter((j) => j.job < send.part).reduce((a, j) => a + j.zipBytes, 0) + send.loaded : totalZip;

  return (
    <StepFrame
      title={runId === undefined ? 'Ready to import' : allCreated ? 'Importing' : 'Sending the file'}
      lead={runId === undefined ? 'Check the plan, then start. Each job costs Zoho API credits.' : 'Keep this tab open while the files upload. Tracking continues after a reload.'}
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

      {plan ? (
        <>
          <dl className="facts" aria-label="Import plan">
            <div className="fact">
              <dt>Module</dt>
              <dd>{props.destination.moduleLabel}</dd>
            </div>
            <div className="fact">
              <dt>Operation</dt>
              <dd>
                {operationLabel(props.destination.operation)}
                {props.destination.findBy ? <span className="subtle">by {props.destination.findBy}</span> : null}
              </dd>
            </div>
            <div className="fact">
              <dt>Rows to send</dt>
              <dd>{formatInt(plan.totalRows)}</dd>
            </div>
            <div className="fact">
              <dt>Jobs</dt>
              <dd>{formatInt(plan.jobs.length)}</dd>
            </div>
            <div className="fact">
              <dt>Zipped size</dt>
              <dd>{formatBytes(totalZip)}</dd>
            </div>
            <div className="fact">
              <dt>Credits</dt>
              <dd>{formatInt(plan.jobs.length * CREDITS_PER_JOB)}</dd>
            </div>
          </dl>
          {plan.jobs.length > 1 ? (
            <p className="subtle">
              Zoho takes at most 25,000 rows and 25 MB per job, so this import is split into {plural(plan.jobs.length, 'job')}:{' '}
              {plan.jobs.map((j) => `${formatInt(j.rowCount)} rows (${formatBytes(j.zipBytes)})`).join(', ')}.
            </p>
          ) : null}
        </>
      ) : null}

      {runId !== undefined && plan && !allCreated ? (
        <div style={{ minHeight: 60 }}>
          <ProgressBar
            label={send.kind === 'running' ? `${send.phase === 'upload' ? 'Uploading' : 'Creating'} job ${send.part + 1} of ${plan.jobs.length}` : 'Upload'}
            value={uploadedBytes}
            max={totalZip}
            valueText={`${formatBytes(uploadedBytes)} of ${formatBytes(totalZip)}`}
          />
          {send.kind === 'running' && send.wait ? (
            <p className="subtle" role="status">
              {send.wait.reason === 'rate-limit' ? `Waiting for rate limit (${Math.ceil(send.wait.delayMs / 1000)} s)…` : `Connection problem; retrying in ${Math.ceil(send.wait.delayMs / 1000)} s (attempt ${send.wait.attempt + 1})…`}
            </p>
          ) : null}
        </div>
      ) : null}

      {send.kind === 'failed' ? (
        <Banner tone="error" title={send.nothingImported ? 'Upload failed, nothing was imported' : 'The import stopped before every job was created'}>
          <p>{send.message}</p>
          {!send.nothingImported ? <p>Jobs already created keep running and are tracked below; Retry continues with the rest and never creates a job twice.</p> : null}
          <div className="row" style={{ marginTop: 8 }}>
            <button type="button" className="btn btn--small" onClick={() => runId !== undefined && void sendAll(runId)}>
              Retry
            </button>
          </div>
        </Banner>
      ) : null}

      {runId !== undefined && run && run.jobs.some((j) => j.jobId !== null) ? props.tracker(runId) : null}
    </StepFrame>
  );
}
