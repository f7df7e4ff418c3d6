// `GET {api-domain}/crm/bulk/v8/write/{job_id}` (contract §5), polled until COMPLETED or FAILED with a
// backing-off interval (1 s, growing to 5 s) so a long job doesn't hammer the server.
import { queryOptions } from '@tanstack/react-query';
import { TERMINAL_JOB_STATUSES, jobDetails, type JobDetails } from './contract/job-details.ts';
import { apiRequest } from './client.ts';
import { connectionKey, type Connection } from './connection.ts';
import { RateLimitError } from './errors.ts';
import { bulkWriteKeys } from './query-keys.ts';

export function fetchJob(conn: Connection, jobId: string, signal?: AbortSignal): Promise<JobDetails> {
  if (!/^\d+$/.test(jobId)) throw new Error(`Job id "${jobId}" is not a Zoho id (digits only).`);
  return apiRequest(conn, {
    path: `/crm/bulk/v8/write/${jobId}`,
    schema: jobDetails,
    action: `read the status of job ${jobId}`,
    ...(signal ? { signal } : {}),
  });
}

export function isTerminal(job: JobDetails | undefined): boolean {
  return !!job && TERMINAL_JOB_STATUSES.includes(job.status);
}

/**
 * Poll delay after `n` successful reads of a job: 1 s for the first 10, then ×1.25 each time up to 5 s. A job still
 * queued (ADDED) after its first three reads is read every 5 s: a run of 40 jobs waits mostly in the queue, and
 * reading each of them every second was 40 status calls a second (API calls a real org counts, and on the page a
 * fetch, a parse and a check each) for jobs that had not started (decision 160).
 */
export function pollDelay(n: number, status?: JobDetails['status']): number {
  if (status === 'ADDED' && n >= 3) return QUEUED_POLL_MS;
  if (n < 10) return 1000;
  return Math.min(5000, Math.round(1000 * 1.25 ** (n - 10)));
}

/** How often a job that is still queued is read once it has been read three times. */
export const QUEUED_POLL_MS = 5000;

export const jobQuery = (conn: Connection, jobId: string) =>
  queryOptions({
    queryKey: bulkWriteKeys.job(connectionKey(conn), jobId),
    queryFn: ({ signal }) => fetchJob(conn, jobId, signal),
    refetchInterval: (q) => {
      if (isTerminal(q.state.data)) return false;
      const err = q.state.error;
      if (err instanceof RateLimitError) return Math.max(1000, err.retryAfterMs);
      return pollDelay(q.state.dataUpdateCount, q.state.data?.status);
    },
    refetchIntervalInBackground: true,
    retry: (count, err) => count < 3 && !(err instanceof RateLimitError),
    staleTime: 0,
  });
