// The presentational pieces of a run's outcome: the verdict banner (could not reconcile / a job failed / every row
// written), the per-job counts table, the grouped reasons of the rows not written, and the retry's status.
import { Banner } from '../../components/banner/banner.tsx';
import type { ReconcileResult, RowOutcome } from '../../domain/jobs/types.ts';
import { formatInt, plural } from '../../lib/format.ts';
import type { HistoryRun } from '../../lib/history.ts';
import { groupReasons } from './outcome-model.ts';
import type { RetryState } from './use-retry-run.ts';

export function OutcomeBanner(props: { merged: ReconcileResult | null; anyFailed: boolean; allWritten: boolean; depth: number }) {
  const { merged, anyFailed, allWritten, depth } = props;
  if (merged && !merged.reconciled) {
    return (
      <Banner tone="error" title="Could not reconcile the result with the rows sent">
        <p>
          The result file does not line up with what was uploaded, so these counts cannot be trusted row by row. Both files are offered below; compare them
          before acting.
        </p>
        <ul className="issue-list" tabIndex={0}>
          {merged.problems.slice(0, 20).map((p, i) => (
            <li key={i}>
              Job {p.job + 1}
              {p.line !== undefined ? `, line ${formatInt(p.line)}` : ''}: {p.message}
            </li>
          ))}
        </ul>
      </Banner>
    );
  }
  if (anyFailed) {
    return (
      <Banner tone="error" title="A job failed">
        <p>Rows the failed job never reached are counted as unprocessed; download them or retry them below.</p>
      </Banner>
    );
  }
  if (merged && allWritten)
    return <Banner tone="success" title={depth === 0 ? 'Import finished: every row was written' : 'Retry finished: every row was written'} />;
  return null;
}

export function JobCountsTable(props: { run: HistoryRun }) {
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="table">
        <caption className="visually-hidden">Counts per job</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Job id</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col" className="num">
              Added
            </th>
            <th scope="col" className="num">
              Updated
            </th>
            <th scope="col" className="num">
              Skipped
            </th>
          </tr>
        </thead>
        <tbody>
          {props.run.jobs.map((j) => (
            <tr key={j.index}>
              <td>{j.index + 1}</td>
              <td className="mono">{j.jobId ?? '—'}</td>
              <td>{j.status === 'COMPLETED' ? 'Completed' : j.status === 'FAILED' ? 'Failed' : j.status}</td>
              <td className="num">{formatInt(j.total)}</td>
              <td className="num">{formatInt(j.added)}</td>
              <td className="num">{formatInt(j.updated)}</td>
              <td className="num">{formatInt(j.skipped)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SkippedReasons(props: { outcomes: readonly RowOutcome[] }) {
  return (
    <ul className="issue-list" tabIndex={0}>
      {groupReasons(props.outcomes).map((g) => (
        <li key={g.reason}>
          {g.lines.length === 1 ? 'Line' : 'Lines'} {g.lines.slice(0, 12).map(formatInt).join(', ')}
          {g.lines.length > 12 ? ` and ${formatInt(g.lines.length - 12)} more` : ''}: {g.reason}
        </li>
      ))}
    </ul>
  );
}

export function RetryStatus(props: { state: RetryState; rows: number; onRetry: () => void }) {
  const { state, rows, onRetry } = props;
  if (state.kind === 'sending') {
    return (
      <p className="subtle" role="status">
        {state.progress ? `${state.progress.phase === 'upload' ? 'Uploading' : 'Creating the job for'} ${plural(rows, 'row')}…` : 'Preparing the rows…'}
      </p>
    );
  }
  if (state.kind === 'failed') {
    return (
      <Banner tone="error" title="The retry could not be sent">
        <p>{state.message}</p>
        {state.runId === null ? (
          <button type="button" className="btn btn--small" onClick={onRetry}>
            Retry
          </button>
        ) : null}
      </Banner>
    );
  }
  return null;
}
