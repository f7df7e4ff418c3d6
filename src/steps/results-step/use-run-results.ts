// Downloads each finished job's result ZIP and, when this tab still holds what it sent, reconciles the result
// rows back to the source rows (by position, echoed columns checked). Without that memory (after a reload) the
// job details' counts are shown and the ZIPs stay downloadable.
import { useQueries } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import { readResultCsv, resultQuery, resultUrlOf, type JobResultFile } from '../../api/download-result.ts';
import { JobReconciler, mergeResults } from '../../domain/jobs/reconcile.ts';
import { RowOutcomes } from '../../domain/jobs/outcomes.ts';
import type { JobPart, ReconcileResult } from '../../domain/jobs/types.ts';
import type { HistoryRun } from '../../lib/history.ts';
import type { RunMemory } from '../../lib/run-memory.ts';
import { Cancelled, runInSlices } from '../../lib/time-slices.ts';

/** Result rows read and joined per step of a slice (a few ms). */
const RECONCILE_STEP_ROWS = 2_500;

export interface RunResults {
  /** Every terminal job's result file is in. */
  ready: boolean;
  files: (JobResultFile | undefined)[];
  error: Error | null;
  /** Null when this tab does not hold the sent rows (reconcile impossible), or while it is reconciling them. */
  merged: ReconcileResult | null;
  /** The files are in and this tab holds the sent rows, but their reconcile (one job per task) is not finished. */
  reconciling: boolean;
  refetch: () => void;
}

export function useRunResults(connection: Connection, run: HistoryRun | undefined, memory: RunMemory | undefined): RunResults {
  const jobs = run?.jobs ?? [];
  const queries = useQueries({ queries: jobs.map((j) => resultQuery(connection, run?.runId ?? '', j)) });
  const key = queries.map((q) => `${q.dataUpdatedAt}:${q.errorUpdatedAt}`).join(',');
  // The same array while no file changes: what is read from the files (the undo's plan) is read again only then.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` changes whenever a result file arrives
  const files = useMemo(() => queries.map((q) => q.data), [key]);
  // A FAILED job without a result file (Zoho) is ready once we know there is none.
  const failedWithoutFile = (i: number) => {
    const j = jobs[i];
    return !!j && j.status === 'FAILED' && (resultUrlOf(connection, j) === null || queries[i]?.isError === true);
  };
  const ready = jobs.length > 0 && jobs.every((j, i) => files[i] !== undefined || failedWithoutFile(i));
  // A result file read again for its reconcile that could not be (it was read when downloaded, so rarely).
  const [readError, setReadError] = useState<{ key: string; error: Error } | null>(null);
  const error = queries.find((q, i) => q.error && !failedWithoutFile(i))?.error ?? (readError?.key === key ? readError.error : null);

  // Reconciled in slices of the main thread: a job's result file is read in one step, its rows joined a few
  // thousand a step (all 40 jobs of a million rows in one pass held the thread ~10 s, docs/benchmarks.md §6; one job
  // per task still 70–180 ms each, decision 141). The result shown is the one computed for these files and this
  // memory; while a newer one is being computed (the run entry changed), the last one for the same files stays.
  const [computed, setComputed] = useState<{ runId: string; key: string; memory: RunMemory; merged: ReconcileResult | null } | null>(null);
  useEffect(() => {
    if (!ready || !memory || !run) return;
    const ctrl = new AbortController();
    const reconcileAll = async (): Promise<ReconcileResult | null> => {
      const parts: ReconcileResult[] = [];
      for (const [i, j] of run.jobs.entries()) {
        const part = memory.parts[j.index];
        const file = files[i];
        if (!part) return null;
        if (!file) {
          parts.push(unknownOutcome(part, j.added + j.updated));
          continue;
        }
        // Each job's CSV is read from its ZIP as it is joined and let go after (decision 153); its rows are parsed as
        // they are joined, a step at a time (decision 157).
        const resultCsv = await readResultCsv(file);
        const joining = new JobReconciler({
          job: part,
          sentHeader: memory.sentHeader,
          resultCsv,
          fileCounts: { added_count: j.added, updated_count: j.updated, skipped_count: j.skipped, total_count: j.total },
          fieldLabels: memory.fieldLabels,
        });
        await runInSlices(() => joining.step(RECONCILE_STEP_ROWS), { signal: ctrl.signal });
        parts.push(joining.result());
      }
      return mergeResults(parts);
    };
    reconcileAll().then(
      (merged) => {
        if (!ctrl.signal.aborted) setComputed({ runId: run.runId, key, memory, merged });
      },
      (e: unknown) => {
        if (!(e instanceof Cancelled)) setReadError({ key, error: e instanceof Error ? e : new Error(String(e)) });
      },
    );
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` changes whenever a result file arrives
  }, [ready, memory, run, key]);
  const current = !!ready && !!memory && !!run && !!computed && computed.runId === run.runId && computed.key === key && computed.memory === memory;
  const merged = current ? computed.merged : null;

  return {
    ready,
    files,
    error,
    merged,
    reconciling: ready && !!memory && !!run && !current,
    refetch: () => {
      for (const q of queries) if (q.error) void q.refetch();
    },
  };
}

/**
 * A FAILED job with no result file: which of its rows were written is unknown. Every row is listed as
 * UNPROCESSED for the retry (which then upserts by a unique field when one is mapped), and the result is marked
 * as not reconciled, so nothing claims success.
 */
function unknownOutcome(part: Omit<JobPart, 'zip'>, written: number): ReconcileResult {
  return {
    reconciled: false,
    problems: [
      {
        job: part.job,
        message: `Job ${part.job + 1} failed and no result file was given; the CRM reports ${written} row(s) written but not which. Its ${part.rowCount} row(s) are listed for retry.`,
      },
    ],
    outcomes: RowOutcomes.of(
      Array.from(part.rowIndexes, (rowIndex, i) => ({
        job: part.job,
        rowInJob: i,
        rowIndex,
        line: part.lines[i] as number,
        status: 'UNPROCESSED',
        recordId: null,
        errorsText: '',
        errors: [],
      })),
    ),
    counts: { added: 0, updated: 0, skipped: 0, unprocessed: part.rowCount, total: part.rowCount },
  };
}
