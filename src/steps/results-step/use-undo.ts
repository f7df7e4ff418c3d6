// State of "Undo this import": build the plan from the import's result files (reconciled outcomes when this tab
// still holds the run, else the result files read strictly) and the backup, check which records changed since
// the import, confirm, run (src/lib/undo-run.ts) with progress, and offer Retry / resume from stored progress.
import { useCallback, useMemo, useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import { describeApiError } from '../../api/errors.ts';
import { parseResultCsv } from '../../domain/jobs/reconcile.ts';
import type { ReconcileResult } from '../../domain/jobs/types.ts';
import { buildUndoPlan, resultRowsForUndo, withoutRecords, type UndoBackup, type UndoJobResult, type UndoPlan } from '../../domain/undo/plan.ts';
import { undoReport, type UndoProgress, type UndoReport } from '../../domain/undo/progress.ts';
import { recordsChangedSince, runUndo } from '../../lib/undo-run.ts';
import { undoStore } from '../../lib/undo-store.ts';

export type UndoPhase =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'confirm'; plan: UndoPlan; changed: ReadonlySet<string> }
  | { kind: 'running'; plan: UndoPlan; done: number; total: number; waiting: string | null }
  | { kind: 'finished'; plan: UndoPlan; report: UndoReport }
  | { kind: 'error'; message: string; plan: UndoPlan | null };

/** The result rows the undo trusts: reconciled outcomes when this tab holds the run, else the files read strictly. */
export function undoResults(merged: ReconcileResult | null, csvs: readonly (string | undefined)[]): { results: UndoJobResult[]; problems: string[] } {
  if (merged) {
    const jobs = new Map<number, UndoJobResult['rows'][number][]>();
    for (const o of merged.outcomes) {
      const rows = jobs.get(o.job) ?? [];
      rows.push({ status: o.status, recordId: o.recordId, line: o.line >= 0 ? o.line : null });
      jobs.set(o.job, rows);
    }
    return { results: [...jobs].map(([job, rows]) => ({ job, reconciled: merged.reconciled, rows })), problems: [] };
  }
  const results: UndoJobResult[] = [];
  const problems: string[] = [];
  csvs.forEach((csv, job) => {
    if (csv === undefined) return;
    const read = resultRowsForUndo(job, parseResultCsv(csv), `The result file of job ${job + 1}`);
    if (read.ok) results.push(read.job);
    else problems.push(read.message);
  });
  return { results, problems };
}

export function useUndo(p: {
  connection: Connection;
  undoId: string;
  module: string;
  importEnd: string | null;
  results: UndoJobResult[];
  backup: UndoBackup | null;
}) {
  const [phase, setPhase] = useState<UndoPhase>({ kind: 'idle' });
  const store = useMemo(() => undoStore(), []);
  const plan = useMemo(() => buildUndoPlan(p.module, p.results, p.backup), [p.module, p.results, p.backup]);
  const stored = store.load(p.undoId);

  const run = useCallback(
    async (target: UndoPlan, fullPlan: UndoPlan) => {
      setPhase({ kind: 'running', plan: fullPlan, done: 0, total: target.deletes.length + target.restores.length, waiting: null });
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
    setPhase({ kind: 'checking' });
    try {
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
    const left = new Set(store.load(p.undoId)?.progress.leftAlone ?? []);
    void run(withoutRecords(plan, left), plan);
  }, [plan, run, store, p.undoId]);

  const cancel = useCallback(() => setPhase({ kind: 'idle' }), []);
  const storedReport = stored ? undoReport(plan, stored.progress) : null;
  return { phase, plan, start, confirm, retry, cancel, storedReport };
}
