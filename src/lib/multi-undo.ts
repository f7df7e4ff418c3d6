// Runs the undo of a whole multi-module run: each entry's plan through the single-import undo (src/lib/undo-run.ts,
// progress stored per entry id, so a reload or Retry resumes without deleting anything twice), last written first.
// A module whose undo leaves records behind stops the run there: its parents stay until their children are gone
// (Retry undo goes on from where it stopped). Decision 120.
import type { GroupUndo } from '../domain/undo/group-plan.ts';
import { withoutRecords } from '../domain/undo/plan.ts';
import { emptyProgress, undoReport, type UndoReport } from '../domain/undo/progress.ts';
import { recordsChangedSince, runUndo, type UndoDeps } from './undo-run.ts';

export interface EntryUndoReport {
  id: string;
  module: string;
  report: UndoReport;
}

export interface GroupUndoOutcome {
  reports: EntryUndoReport[];
  /** The module the run stopped before, with why; null when every entry was undone as far as it can be. */
  stoppedBefore: { module: string; because: string } | null;
}

/** The records of every entry changed after the run ended (read through the records API, as a single undo does). */
export async function groupChangedSince(g: GroupUndo, endIso: string, deps: Pick<UndoDeps, 'conn' | 'signal' | 'onEvent'>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const e of g.entries) for (const id of await recordsChangedSince(e.plan, endIso, deps)) out.add(id);
  return out;
}

export async function runGroupUndo(
  g: GroupUndo,
  leave: ReadonlySet<string>,
  deps: UndoDeps & { onEntry?: (index: number, module: string) => void },
): Promise<GroupUndoOutcome> {
  const reports: EntryUndoReport[] = [];
  for (const [i, e] of g.entries.entries()) {
    const previous = reports[reports.length - 1];
    if (previous && previous.module !== e.module) {
      const left = previous.report.counts.failed + previous.report.counts.pending;
      if (left > 0)
        return {
          reports,
          stoppedBefore: {
            module: e.module,
            because: `${left} record(s) of ${previous.module} could not be undone; ${e.module} is left as it is until they are (Retry undo).`,
          },
        };
    }
    deps.onEntry?.(i, e.module);
    const mine = new Set([...e.plan.deletes, ...e.plan.restores.map((r) => r.id)].filter((id) => leave.has(id)));
    if (mine.size > 0) {
      const base = deps.store.load(e.id)?.progress ?? emptyProgress();
      deps.store.save(e.id, e.module, { ...base, leftAlone: [...new Set([...base.leftAlone, ...mine])] }, deps.now());
    }
    const stillLeft = new Set(deps.store.load(e.id)?.progress.leftAlone ?? []);
    const progress = await runUndo(e.id, withoutRecords(e.plan, stillLeft), deps);
    reports.push({ id: e.id, module: e.module, report: undoReport(e.plan, progress) });
  }
  return { reports, stoppedBefore: null };
}
