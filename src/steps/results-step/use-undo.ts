// State of "Undo this import": build the plan from the import's result files (reconciled outcomes when this tab
// still holds the run, else the result files read strictly) and the backup, check which records changed since
// the import, confirm, run (src/lib/undo-run.ts) with progress, and offer Retry / resume from stored progress.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import { readResultCsv, type JobResultFile } from '../../api/download-result.ts';
import { describeApiError } from '../../api/errors.ts';
import { parseResultCsv } from '../../domain/jobs/reconcile.ts';
import type { ReconcileResult, RowOutcome } from '../../domain/jobs/types.ts';
import {
  deleteStringsSteps,
  resultRowsForUndo,
  UndoPlanBuilder,
  withoutRecords,
  type UndoBackup,
  type UndoJobResult,
  type UndoPlan,
} from '../../domain/undo/plan.ts';
import { undoReport, type UndoProgress, type UndoReport } from '../../domain/undo/progress.ts';
import { Cancelled, runInSlices } from '../../lib/time-slices.ts';
import { recordsChangedSince, runUndo } from '../../lib/undo-run.ts';
import { undoStore } from '../../lib/undo-store.ts';

export type UndoPhase =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'confirm'; plan: UndoPlan; changed: ReadonlySet<string> }
  | { kind: 'running'; plan: UndoPlan; done: number; total: number; waiting: string | null }
  | { kind: 'finished'; plan: UndoPlan; report: UndoReport }
  | { kind: 'error'; message: string; plan: UndoPlan | null };

/**
 * The result rows of an import read strictly from its result files, for an undo when this tab does not hold the
 * reconciled rows (after a reload, or a multi-module run's entries). With the reconciled rows, the plan reads them
 * instead (`UndoSource`).
 */
export async function undoResults(
  files: readonly (JobResultFile | undefined)[],
  signal?: AbortSignal,
): Promise<{ results: UndoJobResult[]; problems: string[] }> {
  const out = { results: [] as UndoJobResult[], problems: [] as string[] };
  // One file a task: each CSV is read again from its ZIP (decision 153), and reading a Blob always ends the task, so
  // each file is parsed in a task of its own (decision 141).
  for (const [job, file] of files.entries()) {
    if (file === undefined) continue;
    const csv = await readResultCsv(file);
    if (signal?.aborted) throw new Cancelled();
    const read = resultRowsForUndo(job, parseResultCsv(csv), `The result file of job ${job + 1}`);
    if (read.ok) out.results.push(read.job);
    else out.problems.push(read.message);
  }
  return out;
}

/** What an undo plan is built from: the reconciled outcomes this tab holds, or result rows read from the files. */
export type UndoSource = { merged: ReconcileResult } | { results: readonly UndoJobResult[] };

/** Result rows fed to the plan per step of a slice (a few ms). */
const PLAN_STEP_ROWS = 5_000;

/**
 * The undo plan of `source`, its rows read in slices of the main thread (a million reconciled rows read in one
 * task held it for seconds, decision 141); null until they are read. A new backup only rebuilds the plan's end.
 */
function useUndoPlan(module: string, source: UndoSource, backup: UndoBackup | null): UndoPlan | null {
  const [read, setRead] = useState<{ source: UndoSource; builder: UndoPlanBuilder } | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    const builder = new UndoPlanBuilder();
    let step: () => boolean;
    if ('merged' in source) {
      const { outcomes, reconciled } = source.merged;
      let i = 0;
      step = () => {
        for (const end = Math.min(outcomes.length, i + PLAN_STEP_ROWS); i < end; i++) {
          const o = outcomes.at(i) as RowOutcome;
          // An outcome is a result row already (status, record id, line); a line of -1 means not known.
          builder.add(o.line >= 0 ? o : { status: o.status, recordId: o.recordId, line: null }, reconciled);
        }
        return i >= outcomes.length;
      };
    } else {
      let job = 0;
      let row = 0;
      step = () => {
        for (let n = 0; n < PLAN_STEP_ROWS && job < source.results.length; n++) {
          const r = source.results[job] as UndoJobResult;
          if (row < r.rows.length) builder.add(r.rows[row++] as UndoJobResult['rows'][number], r.reconciled);
          else {
            job++;
            row = 0;
          }
        }
        return job >= source.results.length;
      };
    }
    runInSlices(step, { signal: ctrl.signal }).then(
      () => setRead({ source, builder }),
      (e: unknown) => {
        if (!(e instanceof Cancelled)) throw e;
      },
    );
    return () => ctrl.abort();
  }, [source]);
  return useMemo(() => (read && read.source === source ? read.builder.plan(module, backup) : null), [read, source, module, backup]);
}

export function useUndo(p: {
  connection: Connection;
  undoId: string;
  module: string;
  importEnd: string | null;
  source: UndoSource;
  backup: UndoBackup | null;
}) {
  const [phase, setPhase] = useState<UndoPhase>({ kind: 'idle' });
  const store = useMemo(() => undoStore(), []);
  const plan = useUndoPlan(p.module, p.source, p.backup);
  const stored = store.load(p.undoId);
  // The plan's ids are made into strings a slice at a time before anything reads them (decision 159): here for the
  // report of a stored undo, in `start` and `retry` for a run.
  const [stringsOf, setStringsOf] = useState<UndoPlan | null>(null);
  const hasStored = stored !== undefined;
  useEffect(() => {
    if (!plan || !hasStored) return;
    const ctrl = new AbortController();
    runInSlices(deleteStringsSteps(plan), { signal: ctrl.signal }).then(
      () => setStringsOf(plan),
      (e: unknown) => {
        if (!(e instanceof Cancelled)) throw e;
      },
    );
    return () => ctrl.abort();
  }, [plan, hasStored]);

  const run = useCallback(
    async (target: UndoPlan, fullPlan: UndoPlan) => {
      setPhase({ kind: 'running', plan: fullPlan, done: 0, total: target.deleteCount + target.restores.length, waiting: null });
      try {
        const progress: UndoProgress = await runUndo(p.undoId, target, {
          conn: p.connection,
          store,
          now: () => new Date(),
          onEvent: (e) =>
            setPhase((ph) =>
              ph.kind !== 'running'
                ? ph
                : e.kind === 'wait'
                  ? {
                      ...ph,
                      waiting:
                        e.wait.reason === 'rate-limit'
                          ? `Waiting ${Math.ceil(e.wait.delayMs / 1000)} s for Zoho's rate limit…`
                          : `Retrying in ${Math.ceil(e.wait.delayMs / 1000)} s…`,
                    }
                  : { ...ph, waiting: null, done: e.progress.deleted.length + e.progress.restored.length },
            ),
        });
        setPhase({ kind: 'finished', plan: fullPlan, report: undoReport(fullPlan, progress) });
      } catch (err) {
        setPhase({ kind: 'error', message: describeApiError(err), plan: fullPlan });
      }
    },
    [p.connection, p.undoId, store],
  );

  /** Undo this import: check Modified_Time first, then ask. */
  const start = useCallback(async () => {
    if (!plan) return;
    setPhase({ kind: 'checking' });
    try {
      await runInSlices(deleteStringsSteps(plan));
      const changed = p.importEnd === null ? new Set<string>() : await recordsChangedSince(plan, p.importEnd, { conn: p.connection });
      setPhase({ kind: 'confirm', plan, changed });
    } catch (err) {
      setPhase({ kind: 'error', message: describeApiError(err), plan: null });
    }
  }, [plan, p.importEnd, p.connection]);

  const confirm = useCallback(
    (leaveChangedAlone: boolean) => {
      if (phase.kind !== 'confirm') return;
      const target = leaveChangedAlone ? withoutRecords(phase.plan, phase.changed) : phase.plan;
      if (leaveChangedAlone && phase.changed.size > 0) {
        const entry = store.load(p.undoId);
        const base = entry?.progress ?? { deleted: [], alreadyGone: [], deleteFailed: {}, restored: [], restoreFailed: {}, leftAlone: [], restoreJobs: [] };
        store.save(p.undoId, p.module, { ...base, leftAlone: [...new Set([...base.leftAlone, ...phase.changed])] }, new Date());
      }
      void run(target, phase.plan);
    },
    [phase, run, store, p.undoId, p.module],
  );

  /** Retry undo / resume: the stored progress decides what is left; left-alone records stay alone. */
  const retry = useCallback(() => {
    if (!plan) return;
    void runInSlices(deleteStringsSteps(plan)).then(() => {
      const left = new Set(store.load(p.undoId)?.progress.leftAlone ?? []);
      return run(withoutRecords(plan, left), plan);
    });
  }, [plan, run, store, p.undoId]);

  const cancel = useCallback(() => setPhase({ kind: 'idle' }), []);
  const storedReport = stored && plan && stringsOf === plan ? undoReport(plan, stored.progress) : null;
  return { phase, plan, start, confirm, retry, cancel, storedReport };
}
