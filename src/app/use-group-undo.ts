// State of "Undo the whole run" for a multi-module run: every entry's result files (the same cached queries Results
// uses), each entry's undo plan as a single import builds it, the run's order (children first), the check of records
// changed since the run ended, confirmation, and the run with progress and Retry (src/lib/multi-undo.ts).
import { useQueries } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Connection } from '../api/connection.ts';
import { resultQuery } from '../api/download-result.ts';
import { describeApiError } from '../api/errors.ts';
import { groupUndoPlan, type GroupUndo } from '../domain/undo/group-plan.ts';
import { buildUndoPlan } from '../domain/undo/plan.ts';
import type { HistoryRun } from '../lib/history.ts';
import { groupChangedSince, runGroupUndo, type GroupUndoOutcome } from '../lib/multi-undo.ts';
import { Cancelled } from '../lib/time-slices.ts';
import { undoStore } from '../lib/undo-store.ts';
import { undoResults } from '../steps/results-step/use-undo.ts';

export type GroupUndoPhase =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'confirm'; changed: ReadonlySet<string> }
  | { kind: 'running'; module: string; done: number; total: number }
  | { kind: 'finished'; outcome: GroupUndoOutcome }
  | { kind: 'error'; message: string };

export function useGroupUndo(p: { connection: Connection; groupId: string; entries: readonly HistoryRun[]; finished: boolean }) {
  // Jobs never created (a step cut short) have no result: nothing of theirs was written.
  const jobs = p.entries.flatMap((e) => e.jobs.filter((j) => j.jobId !== null).map((j) => ({ entry: e, job: j })));
  const queries = useQueries({ queries: jobs.map(({ entry, job }) => resultQuery(p.connection, entry.runId, job)) });
  const ready = p.finished && queries.every((q) => q.data !== undefined || q.isError);
  const key = queries.map((q) => q.dataUpdatedAt).join(',');
  // The plan of the files in hand (read after the last file arrived; each CSV read again from its ZIP, decision 153).
  const [read, setRead] = useState<{ key: string; entries: readonly HistoryRun[]; plan: GroupUndo; problems: string[] } | null>(null);
  useEffect(() => {
    if (!ready) return;
    const ctrl = new AbortController();
    const readAll = async () => {
      const problems: string[] = [];
      const entries = [];
      for (const e of p.entries) {
        // The result files read strictly, the same way whether or not this tab still holds the rows (after a reload too).
        const files = e.jobs.map((j) => queries[jobs.findIndex((x) => x.entry === e && x.job === j)]?.data);
        const read = await undoResults(files, ctrl.signal);
        problems.push(...read.problems.map((m) => `${e.moduleLabel} (${e.fileName}): ${m}`));
        e.jobs.forEach((j, i) => {
          if (files[i] === undefined && j.jobId !== null)
            problems.push(`${e.moduleLabel} (${e.fileName}): the result file of job ${j.jobId} could not be read.`);
        });
        entries.push({ id: e.runId, order: e.multiRun?.order ?? 0, module: e.module, plan: buildUndoPlan(e.module, read.results, null) });
      }
      return { plan: groupUndoPlan(entries), problems };
    };
    readAll().then(
      (r) => {
        if (!ctrl.signal.aborted) setRead({ key, entries: p.entries, ...r });
      },
      (e: unknown) => {
        if (!(e instanceof Cancelled)) throw e;
      },
    );
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` changes whenever a result file arrives
  }, [ready, p.entries, key]);
  const current = ready && read !== null && read.key === key && read.entries === p.entries ? read : null;
  const plan = current?.plan ?? null;
  const problems = current?.problems ?? [];

  const store = useMemo(() => undoStore(), []);
  // The line for "changed since": the first time this browser saw the whole run finished (a self-link pass updates
  // records after their insert, so one entry's end would flag the run's own writes).
  const endedAt = useMemo(() => (p.finished ? store.markImportEnd(p.groupId, new Date().toISOString()) : null), [p.finished, p.groupId, store]);
  const [phase, setPhase] = useState<GroupUndoPhase>({ kind: 'idle' });
  const [leave, setLeave] = useState<ReadonlySet<string>>(new Set());

  const run = useCallback(
    async (g: GroupUndo, left: ReadonlySet<string>) => {
      const total = g.deletes + g.restores;
      let before = 0;
      let current = 0;
      setPhase({ kind: 'running', module: g.entries[0]?.module ?? '', done: 0, total });
      try {
        const outcome = await runGroupUndo(g, left, {
          conn: p.connection,
          store,
          now: () => new Date(),
          onEntry: (i, module) => {
            before = g.entries.slice(0, i).reduce((n, e) => n + e.plan.deleteCount + e.plan.restores.length, 0);
            current = 0;
            setPhase({ kind: 'running', module, done: before, total });
          },
          onEvent: (e) => {
            if (e.kind !== 'progress') return;
            current = e.progress.deleted.length + e.progress.restored.length;
            setPhase((ph) => (ph.kind === 'running' ? { ...ph, done: Math.min(total, before + current) } : ph));
          },
        });
        setPhase({ kind: 'finished', outcome });
      } catch (err) {
        setPhase({ kind: 'error', message: describeApiError(err) });
      }
    },
    [p.connection, store],
  );

  const start = useCallback(async () => {
    if (!plan) return;
    setPhase({ kind: 'checking' });
    try {
      const changed = endedAt === null ? new Set<string>() : await groupChangedSince(plan, endedAt, { conn: p.connection });
      setPhase({ kind: 'confirm', changed });
    } catch (err) {
      setPhase({ kind: 'error', message: describeApiError(err) });
    }
  }, [plan, endedAt, p.connection]);

  const confirm = useCallback(
    (leaveChanged: boolean) => {
      if (phase.kind !== 'confirm' || !plan) return;
      const left = leaveChanged ? phase.changed : new Set<string>();
      setLeave(left);
      void run(plan, left);
    },
    [phase, plan, run],
  );
  const retry = useCallback(() => {
    if (plan) void run(plan, leave);
  }, [plan, leave, run]);
  const cancel = useCallback(() => setPhase({ kind: 'idle' }), []);
  const errors = queries.map((q) => q.error).filter((e): e is Error => e !== null);
  return { ready, plan, problems, phase, start, confirm, retry, cancel, fetchError: errors[0] ?? null };
}
