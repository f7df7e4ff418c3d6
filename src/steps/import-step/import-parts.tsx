// The presentational pieces of Import: the plan (module, operation, rows, jobs, zipped size, credits), the upload
// progress with any retry wait, and the banner of a send that stopped (with Retry).
import { Banner } from '../../components/banner/banner.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import type { SplitResult } from '../../domain/jobs/types.ts';
import type { Destination } from '../../domain/wizard/wizard-state.ts';
import { formatBytes, formatInt, operationLabel, plural } from '../../lib/format.ts';
import type { Send } from './use-send-parts.ts';

export const CREDITS_PER_JOB = 500;

export function zippedBytes(plan: SplitResult): number {
  return plan.jobs.reduce((a, j) => a + j.zipBytes, 0);
}

export function PlanFacts(props: { plan: SplitResult; destination: Destination }) {
  const { plan, destination } = props;
  return (
    <>
      <dl className="facts" aria-label="Import plan">
        <div className="fact">
          <dt>Module</dt>
          <dd>{destination.moduleLabel}</dd>
        </div>
        <div className="fact">
          <dt>Operation</dt>
          <dd>
            {operationLabel(destination.operation)}
            {destination.findBy ? <span className="subtle">by {destination.findBy}</span> : null}
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
          <dd>{formatBytes(zippedBytes(plan))}</dd>
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
  );
}

export function UploadProgress(props: { plan: SplitResult; send: Send }) {
  const { plan, send } = props;
  const totalZip = zippedBytes(plan);
  // Parts before the one going up are sent in full; once nothing is running, the bar shows the whole size.
  const uploadedBytes = send.kind === 'running' ? plan.jobs.filter((j) => j.job < send.part).reduce((a, j) => a + j.zipBytes, 0) + send.loaded : totalZip;
  return (
    <div style={{ minHeight: 60 }}>
      <ProgressBar
        label={send.kind === 'running' ? `${send.phase === 'upload' ? 'Uploading' : 'Creating'} job ${send.part + 1} of ${plan.jobs.length}` : 'Upload'}
        value={uploadedBytes}
        max={totalZip}
        valueText={`${formatBytes(uploadedBytes)} of ${formatBytes(totalZip)}`}
      />
      {send.kind === 'running' && send.wait ? (
        <p className="subtle" role="status">
          {send.wait.reason === 'rate-limit'
            ? `Waiting for rate limit (${Math.ceil(send.wait.delayMs / 1000)} s)…`
            : `Connection problem; retrying in ${Math.ceil(send.wait.delayMs / 1000)} s (attempt ${send.wait.attempt + 1})…`}
        </p>
      ) : null}
    </div>
  );
}

export function SendFailed(props: { send: Extract<Send, { kind: 'failed' }>; onRetry: () => void }) {
  const { send, onRetry } = props;
  return (
    <Banner tone="error" title={send.nothingImported ? 'Upload failed, nothing was imported' : 'The import stopped before every job was created'}>
      <p>{send.message}</p>
      {!send.nothingImported ? (
        <p>Jobs already created keep running and are tracked below; Retry continues with the rest and never creates a job twice.</p>
      ) : null}
      <div className="row" style={{ marginTop: 8 }}>
        <button type="button" className="btn btn--small" onClick={onRetry}>
          Retry
        </button>
      </div>
    </Banner>
  );
}
