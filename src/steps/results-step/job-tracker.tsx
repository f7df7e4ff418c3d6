// Live tracking of every job of a run: react-query polling (1 s, backing off, stopping at COMPLETED/FAILED) plus
// the emulator's SSE relay when present. Each answer is written to history so a reload resumes where it was.
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
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

export function JobTracker(props: { connection: Connection; run: HistoryRun }) {
  const { connection, run } = props;
  const created = run.jobs.filter((j): j is HistoryJob & { jobId: string } => j.jobId !== null);
  const queries = useQueries({ queries: created.map((j) => jobQuery(connection, j.jobId)) });
  const queryClient = useQueryClient();
  const [live, setLive] = useState<Record<string, { processed: number; total: number }>>({});

  // Persist every new answer (status, counts, download link) to history.
  const signature = queries.map((q) => `${q.data?.status ?? ''}:${q.dataUpdatedAt}`).join('|');
  useEffect(() => {
    const byId = new Map<string, JobDetails>();
    queries.forEach((q, i) => {
      const j = created[i];
      if (j && q.data) byId.set(j.jobId, q.data);
    });
    if (byId.size === 0) return;
    historyStore.update(run.runId, (r) => {
      const jobs = r.jobs.map((j) => {
        const d = j.jobId ? byId.get(j.jobId) : undefined;
        return d ? jobFromDetails(j, d) : j;
      });
      const done = jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED');
      return { ...r, jobs, phase: done && r.phase !== 'uploading' ? 'done' : r.phase };
    });
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
              <tr key={j.index}>
                <td>
                  {j.index + 1} of {run.jobs.length}
                </td>
                <td className="mono">{j.jobId ?? '—'}</td>
                <td>
                  <span className={`badge${j.status === 'COMPLETED' ? ' badge--success' : j.status === 'FAILED' ? ' badge--error' : ''}`}>
                    {STATUS_WORDS[j.status]}
                  </span>
                </td>
                <td className="num">{formatInt(j.total)}</td>
                <td>
                  <ProgressBar
                    label={`Job ${j.index + 1}`}
                    value={progressOf(j)}
                    max={j.total}
                    tone={j.status === 'FAILED' ? 'error' : j.status === 'COMPLETED' ? 'success' : 'accent'}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
