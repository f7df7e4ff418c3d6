// Downloads each finished job's result ZIP and, when this tab still holds what it sent, reconciles the result
// rows back to the source rows (by position, echoed columns checked). Without that memory (after a reload) the
// job details' counts are shown and the ZIPs stay downloadable.
import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Connection } from '../../api/connection.ts';
import { downloadResultZip } from '../../api/download-result.ts';
import { bulkWriteKeys } from '../../api/query-keys.ts';
import { extractResultCsv, mergeResults, reconcileJob } from '../../domain/jobs/reconcile.ts';
import type { ReconcileResult } from '../../domain/jobs/types.ts';
import type { HistoryRun } from '../../lib/history.ts';
import type { RunMemory } from '../../lib/run-memory.ts';

export interface JobResultFile {
  zip: Uint8Array;
  csv: string;
}

export interface RunResults {
  /** Every terminal job's result file is in. */
  ready: boolean;
  files: (JobResultFile | undefined)[];
  error: Error | null;
  /** Null when this tab does not hold the sent rows (reconcile impossible). */
  merged: ReconcileResult | null;
  refetch: () => void;
}

export function useRunResults(connection: Connection, run: HistoryRun | undefined, memory: RunMemory | undefined): RunResults {
  const jobs = run?.jobs ?? [];
  const queries = useQueries({
    queries: jobs.map((j) => ({
      queryKey: bulkWriteKeys.result(run?.runId ?? '', j.jobId ?? `none-${j.index}`),
      enabled: j.jobId !== null && j.downloadUrl !== null && j.status === 'COMPLETED',
      staleTime: Infinity,
      queryFn: async ({ signal }: { signal: AbortSignal }): Promise<JobResultFile> => {
        const zip = await downloadResultZip(connection, j.downloadUrl ?? '', j.jobId ?? '', signal);
        return { zip, csv: await extractResultCsv(zip) };
      },
    })),
  });
  const files = queries.map((q) => q.data);
  const key = queries.map((q) => q.dataUpdatedAt).join(',');
  const ready = jobs.length > 0 && jobs.every((j, i) => j.status === 'FAILED' || (j.status === 'COMPLETED' && files[i] !== undefined));
  const error = queries.find((q) => q.error)?.error ?? null;

  const merged = useMemo(() => {
    if (!ready || !memory || !run) return null;
    const parts = run.jobs.map((j, i) => {
      const part = memory.parts[j.index];
      const file = files[i];
      if (!part) return null;
      return reconcileJob({
        job: part,
        sentHeader: memory.sentHeader,
        // A FAILED job may have no result file: every row then counts as UNPROCESSED via an empty result.
        resultCsv: file?.csv ?? '',
        fileCounts: { added_count: j.added, updated_count: j.updated, skipped_count: j.skipped, total_count: j.total },
        fieldLabels: memory.fieldLabels,
      });
    });
    if (parts.some((p) => p === null)) return null;
    return mergeResults(parts as ReconcileResult[]);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` changes whenever a result file arrives
  }, [ready, memory, run, key]);

  return {
    ready,
    files,
    error,
    merged,
    refetch: () => {
      for (const q of queries) if (q.error) void q.refetch();
    },
  };
}
