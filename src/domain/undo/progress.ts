// Progress of an undo as plain, JSON-safe data, so it can be persisted after every call and resumed after a
// reload without deleting or restoring anything twice: what is done, what failed (with why), what the admin
// chose to leave alone, and restore jobs already created (resumed by polling, never created again).

import { CANNOT_WORDS, type UndoPlan } from './plan.ts';

/** A restore job that was (or is being) created: its ids and idempotency key are stored BEFORE the create call. */
export interface RestoreJob {
  key: string;
  ids: readonly string[];
  /** The uploaded file, once uploaded: a resumed create sends the same body (and key), so it gets the same job. */
  fileId: string | null;
  /** Null until the create call answered. */
  jobId: string | null;
}

export interface UndoProgress {
  deleted: readonly string[];
  /** Ids whose delete answered "not deleted" but which no longer exist (an earlier, unanswered call took them). */
  alreadyGone: readonly string[];
  deleteFailed: Readonly<Record<string, string>>;
  restored: readonly string[];
  restoreFailed: Readonly<Record<string, string>>;
  leftAlone: readonly string[];
  restoreJobs: readonly RestoreJob[];
}

export const emptyProgress = (): UndoProgress => ({
  deleted: [],
  alreadyGone: [],
  deleteFailed: {},
  restored: [],
  restoreFailed: {},
  leftAlone: [],
  restoreJobs: [],
});

/** Deletes still to send: not deleted, not left alone (failed ones are pending again: that is Retry undo). */
export function pendingDeletes(plan: UndoPlan, p: UndoProgress): string[] {
  const skip = new Set([...p.deleted, ...p.leftAlone]);
  return plan.deletes.filter((id) => !skip.has(id));
}

/** Restores still to send: not restored, not left alone, not in a restore job already created. */
export function pendingRestores(plan: UndoPlan, p: UndoProgress): UndoPlan['restores'] {
  const skip = new Set([...p.restored, ...p.leftAlone, ...p.restoreJobs.flatMap((j) => j.ids)]);
  return plan.restores.filter((r) => !skip.has(r.id));
}

export interface DeleteResult {
  id: string;
  /** deleted = this call deleted it; gone = not deleted by this call but it no longer exists; failed = still there. */
  outcome: 'deleted' | 'gone' | 'failed';
  reason: string;
}

export function recordDeletes(p: UndoProgress, results: readonly DeleteResult[]): UndoProgress {
  const deleted = new Set(p.deleted);
  const gone = new Set(p.alreadyGone);
  const failed: Record<string, string> = { ...p.deleteFailed };
  for (const r of results) {
    if (r.outcome === 'failed') {
      if (!deleted.has(r.id)) failed[r.id] = r.reason;
      continue;
    }
    deleted.add(r.id);
    if (r.outcome === 'gone') gone.add(r.id);
    delete failed[r.id];
  }
  return { ...p, deleted: [...deleted], alreadyGone: [...gone], deleteFailed: failed };
}

/** A restore job is about to be created (store this before calling create, so a reload resumes it). */
export function startRestoreJob(p: UndoProgress, job: RestoreJob): UndoProgress {
  return { ...p, restoreJobs: [...p.restoreJobs.filter((j) => j.key !== job.key), job] };
}

export function patchRestoreJob(p: UndoProgress, key: string, patch: Partial<Pick<RestoreJob, 'fileId' | 'jobId'>>): UndoProgress {
  return { ...p, restoreJobs: p.restoreJobs.map((j) => (j.key === key ? { ...j, ...patch } : j)) };
}

export interface RestoreResult {
  id: string;
  ok: boolean;
  reason: string;
}

/** A restore job finished (or could not be created): its rows' outcomes; the job leaves the in-flight list. */
export function recordRestores(p: UndoProgress, key: string, results: readonly RestoreResult[]): UndoProgress {
  const restored = new Set(p.restored);
  const failed: Record<string, string> = { ...p.restoreFailed };
  for (const r of results) {
    if (r.ok) {
      restored.add(r.id);
      delete failed[r.id];
    } else if (!restored.has(r.id)) failed[r.id] = r.reason;
  }
  return { ...p, restored: [...restored], restoreFailed: failed, restoreJobs: p.restoreJobs.filter((j) => j.key !== key) };
}

export function leaveAlone(p: UndoProgress, ids: Iterable<string>): UndoProgress {
  return { ...p, leftAlone: [...new Set([...p.leftAlone, ...ids])] };
}

export type RecordState = 'undone' | 'failed' | 'left-alone' | 'pending' | 'cannot';

export interface UndoReportRow {
  id: string;
  line: number | null;
  action: 'delete' | 'restore';
  state: RecordState;
  /** Plain words: what happened, or why not. */
  reason: string;
}

export interface UndoReport {
  rows: UndoReportRow[];
  counts: Record<RecordState, number>;
  /** Nothing left to do except what failed, was left alone or cannot be done. */
  finished: boolean;
}

/** Per record: what was undone and what could not be (with why). Pure; the UI lists it and offers Retry undo. */
export function undoReport(plan: UndoPlan, p: UndoProgress): UndoReport {
  const deleted = new Set(p.deleted);
  const gone = new Set(p.alreadyGone);
  const restored = new Set(p.restored);
  const left = new Set(p.leftAlone);
  const rows: UndoReportRow[] = [];
  for (const id of plan.deletes) {
    if (deleted.has(id)) rows.push({ id, line: null, action: 'delete', state: 'undone', reason: gone.has(id) ? 'already deleted' : 'deleted' });
    else if (left.has(id)) rows.push({ id, line: null, action: 'delete', state: 'left-alone', reason: 'changed since the import; left alone as you chose' });
    else if (p.deleteFailed[id] !== undefined) rows.push({ id, line: null, action: 'delete', state: 'failed', reason: p.deleteFailed[id] });
    else rows.push({ id, line: null, action: 'delete', state: 'pending', reason: 'not deleted yet' });
  }
  for (const { id } of plan.restores) {
    if (restored.has(id)) rows.push({ id, line: null, action: 'restore', state: 'undone', reason: 'old values put back' });
    else if (left.has(id)) rows.push({ id, line: null, action: 'restore', state: 'left-alone', reason: 'changed since the import; left alone as you chose' });
    else if (p.restoreFailed[id] !== undefined) rows.push({ id, line: null, action: 'restore', state: 'failed', reason: p.restoreFailed[id] });
    else rows.push({ id, line: null, action: 'restore', state: 'pending', reason: 'not put back yet' });
  }
  for (const c of plan.cannot) rows.push({ id: c.id, line: c.line, action: c.action, state: 'cannot', reason: CANNOT_WORDS[c.reason] });
  const counts: Record<RecordState, number> = { undone: 0, failed: 0, 'left-alone': 0, pending: 0, cannot: 0 };
  for (const r of rows) counts[r.state]++;
  return { rows, counts, finished: counts.pending === 0 && p.restoreJobs.length === 0 };
}
