// Live tracking of every job of a run: react-query polling (1 s, backing off, stopping at COMPLETED/FAILED) plus
// the emulator's SSE relay when present. Each answer is written to history so a reload resumes where it was.
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { memo, useEffect, useState } from 'react';
import { connectionKey, type Connection } from '../../api/connection.ts';
import type { JobDetails } from '../../api/contract/job-details.ts';
import { AuthError, RateLimitError, describeApiError } from '../../api/errors.ts';
import { jobQuery } from '../../api/get-job.ts';
import { subscribeJobEvents } from '../../api/job-events.ts';
import { bulkWriteKeys } from '../../api/query-keys.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { formatInt } from '../../lib/format.ts';
import { historyStore } from '../../lib/history-store.ts';
import type { HistoryJob, HistoryRun } from '../../lib/history.ts';

/** How often row progress told by the emulator's events is shown (four times a second reads as smooth). */
const PROGRESS_SHOW_MS = 250;

const STATUS_WORDS: Record<HistoryJob['status'], string> = {
  NOT_CREATED: 'Not created yet',
  ADDED: 'Queued',
  INPROGRESS: 'In progress',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
};

/** The history job as the latest job details describe it. */
export function jobFromDetails(j: HistoryJob, d: JobDetails): HistoryJob {
  const file = d.resource[0]?.file;
  return {
    ...j,
    status: d.status,
    added: file?.added_count ?? j.added,
    updated: file?.updated_count ?? j.updated,
    skipped: file?.skipped_count ?? j.skipped,
    total: file?.total_count && file.total_count > 0 ? file.total_count : j.total,
    downloadUrl: d.result?.download_url ?? j.downloadUrl,
  };
}

/** What the tracker shows and history keeps of a job: two answers with the same key change nothing. */
function jobViewKey(j: HistoryJob): string {
  return `${j.status}:${j.added}:${j.updated}:${j.skipped}:${j.total}:${j.downloadUrl ?? ''}`;
}

/**
 * `run` with the jobs' latest details applied (status, counts, download link; the run is done once every job is
 * terminal), or null when they change nothing — a poll that finds a job as it was writes nothing.
 */
export function withJobAnswers(run: HistoryRun, byJobId: ReadonlyMap<string, JobDetails>): HistoryRun | null {
  let changed = false;
  const jobs = run.jobs.map((j) => {
    const d = j.jobId ? byJobId.get(j.jobId) : undefined;
    if (!d) return j;
    const next = jobFromDetails(j, d);
    if (jobViewKey(next) === jobViewKey(j)) return j;
    changed = true;
    return next;
  });
  const done = jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED');
  const phase = done && run.phase !== 'uploading' ? 'done' : run.phase;
  return changed || phase !== run.phase ? { ...run, jobs, phase } : null;
}

export function JobTracker(props: { connection: Connection; run: HistoryRun }) {
  const { connection, run } = props;
  const created = run.jobs.filter((j): j is HistoryJob & { jobId: string } => j.jobId !== null);
  const queries = useQueries({ queries: created.map((j) => jobQuery(connection, j.jobId)) });
  const queryClient = useQueryClient();
  const [live, setLive] = useState<Record<string, { processed: number; total: number }>>({});

  // Persist every answer that changes a job (status, counts, download link) to history. A poll that finds a job as
  // it was changes nothing: neither history (a localStorage write and a render of the step) nor this table
  // (its answer keeps the same `data`, and `dataUpdatedAt` is not read, so the query does not re-render it).
  const signature = queries.map((q, i) => (q.data && created[i] ? jobViewKey(jobFromDetails(created[i], q.data)) : '')).join('|');
  useEffect(() => {
    const byId = new Map<string, JobDetails>();
    queries.forEach((q, i) => {
      const j = created[i];
      if (j && q.data) byId.set(j.jobId, q.data);
    });
    if (byId.size === 0) return;
    const before = historyStore.find(run.runId);
    const after = before ? withJobAnswers(before, byId) : null;
    if (after) historyStore.put(after);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `signature` captures every change of the answers
  }, [signature, run.runId]);

  // SSE: refetch a job as soon as the emulator says something happened to it, and show row progress. The emulator
  // tells progress per chunk it writes (up to ~100 times a second while a million rows run); shown as it came, each
  // re-rendered this table and its 41 bars, every frame for the whole run (decision 157). Progress is gathered and
  // shown at most every PROGRESS_SHOW_MS; any other event (a status) is shown at once.
  const ids = created.map((j) => j.jobId).join(',');
  useEffect(() => {
    const mine = new Set(ids.split(',').filter(Boolean));
    let pending: Record<string, { processed: number; total: number }> | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const show = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const next = pending;
      pending = null;
      if (next) setLive((l) => ({ ...l, ...next }));
    };
    const stop = subscribeJobEvents(connection, (e) => {
      if (!mine.has(e.job_id)) return;
      (pending ??= {})[e.job_id] = { processed: e.processed, total: e.total };
      if (e.type !== 'progress' || e.processed === e.total) {
        show();
        void queryClient.invalidateQueries({ queryKey: bulkWriteKeys.job(connectionKey(connection), e.job_id) });
      } else timer ??= setTimeout(show, PROGRESS_SHOW_MS);
    });
    return () => {
      stop();
      if (timer !== null) clearTimeout(timer);
    };
  }, [connection, ids, queryClient]);

  const progressOf = (j: HistoryJob) => {
    if (j.status === 'COMPLETED' || j.status === 'FAILED') return j.total;
    const counted = j.added + j.updated + j.skipped;
    return Math.max(counted, j.jobId ? (live[j.jobId]?.processed ?? 0) : 0);
  };
  const totalRows = run.jobs.reduce((a, j) => a + j.total, 0);
  const doneRows = run.jobs.reduce((a, j) => a + progressOf(j), 0);
  const errors = queries.map((q) => q.error).filter((e): e is Error => e !== null);
  const rateLimited = errors.some((e) => e instanceof RateLimitError);
  const authFailed = errors.find((e) => e instanceof AuthError);

  return (
    <section className="stack" aria-labelledby={`tracking-title-${run.runId}`}>
      <h3 className="section-title" id={`tracking-title-${run.runId}`}>
        Job progress
      </h3>
      <ProgressBar label="All jobs" value={doneRows} max={totalRows} valueText={`${formatInt(doneRows)} of ${formatInt(totalRows)} rows`} />
      {rateLimited ? (
        <p className="subtle" role="status">
          Waiting for rate limit…
        </p>
      ) : null}
      {authFailed ? (
        <Banner tone="error" title="The connection's sign-in expired">
          <p>{describeApiError(authFailed)}</p>
        </Banner>
      ) : errors.length > 0 && !rateLimited ? (
        <Banner tone="warning" title="Could not read a job's status">
          <p>{describeApiError(errors[0])}</p>
          <button
            type="button"
            className="btn btn--small"
            onClick={() => void queryClient.invalidateQueries({ queryKey: bulkWriteKeys.jobs(connectionKey(connection)) })}
          >
            Retry
          </button>
        </Banner>
      ) : null}
      <div className="table-wrap" tabIndex={0}>
        <table className="table">
          <caption className="visually-hidden">Jobs of this import</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Job id</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Rows
              </th>
              <th scope="col" style={{ width: '35%' }}>
                Progress
              </th>
            </tr>
          </thead>
          <tbody>
            {run.jobs.map((j) => (
              <JobRow key={j.index} index={j.index} count={run.jobs.length} jobId={j.jobId} status={j.status} total={j.total} done={progressOf(j)} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * One job's line. Memoised on what it shows: a progress tick or a poll answer for one job re-renders that line
 * only, not all 40 with their React Aria bars (which were most of the page's script while a million rows ran).
 */
const JobRow = memo(function JobRow(props: { index: number; count: number; jobId: string | null; status: HistoryJob['status']; total: number; done: number }) {
  const { index, status } = props;
  return (
    <tr>
      <td>
        {index + 1} of {props.count}
      </td>
      <td className="mono">{props.jobId ?? '—'}</td>
      <td>
        <span className={`badge${status === 'COMPLETED' ? ' badge--success' : status === 'FAILED' ? ' badge--error' : ''}`}>{STATUS_WORDS[status]}</span>
      </td>
      <td className="num">{formatInt(props.total)}</td>
      <td>
        <ProgressBar
          label={`Job ${index + 1}`}
          value={props.done}
          max={props.total}
          tone={status === 'FAILED' ? 'error' : status === 'COMPLETED' ? 'success' : 'accent'}
        />
      </td>
    </tr>
  );
});
