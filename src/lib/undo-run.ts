// Runs an undo plan (src/domain/undo): deletes what the import added (DELETE ?ids= in calls of ≤ 100, or mass
// delete ≤ 500), then puts back what it updated with a Bulk Write update job (find_by "id", ignore_empty off, so a
// value that was empty before is emptied again). Progress is saved after every call; calling again continues where
// it stopped (Retry undo / resume after a reload) and never deletes or restores anything twice: deleted ids are
// skipped, a restore job is stored before it is created and resumed by its idempotency key or job id.
import { zipSync, strToU8 } from 'fflate';
import type { Connection } from '../api/connection.ts';
import type { CreateJobRequestInput } from '../api/contract/create-job.ts';
import { createJob } from '../api/create-job.ts';
import { deleteByIds, massDelete, recordsByIds, type DeleteAnswer } from '../api/delete-records.ts';
import { downloadResultBlob, readZipCsv } from '../api/download-result.ts';
import { ApiError, AuthError } from '../api/errors.ts';
import { fetchJob, isTerminal, pollDelay } from '../api/get-job.ts';
import { sleep, withRetry, type RetryWait } from '../api/retry.ts';
import { uploadZip } from '../api/upload-file.ts';
import { serialiseCsv } from '../domain/csv/serialise.ts';
import { parseResultCsv } from '../domain/jobs/reconcile.ts';
import { describeRowError, parseRowErrors } from '../domain/validation/row-errors.ts';
import { batches, changedSince, type UndoPlan, type UndoRestore } from '../domain/undo/plan.ts';
import {
  emptyProgress,
  patchRestoreJob,
  pendingDeletes,
  pendingRestores,
  recordDeletes,
  recordRestores,
  startRestoreJob,
  type DeleteResult,
  type RestoreJob,
  type RestoreResult,
  type UndoProgress,
} from '../domain/undo/progress.ts';
import type { UndoStore } from './undo-store.ts';

/** Rows per restore job: Bulk Write's 25,000-row file limit (contract §6). */
const RESTORE_ROWS_PER_JOB = 25_000;

export type UndoEvent =
  { kind: 'progress'; progress: UndoProgress; phase: 'delete' | 'restore'; done: number; total: number } | { kind: 'wait'; wait: RetryWait };

export interface UndoDeps {
  conn: Connection;
  store: UndoStore;
  now: () => Date;
  onEvent?: (e: UndoEvent) => void;
  signal?: AbortSignal;
  /** 'ids' (DELETE ?ids=, ≤ 100, scope ZohoCRM.modules.ALL) is the default; 'mass' uses mass delete (≤ 500). */
  deleteMethod?: 'ids' | 'mass';
}

/** Stops the run for errors no retry fixes by itself: signed out, cancelled. */
function fatal(err: unknown): boolean {
  return err instanceof AuthError || (err instanceof ApiError && err.kind === 'aborted');
}

const reasonOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Reads Modified_Time of every record the plan touches (100 per call) and returns the ids changed after the
 * import's end. Records that no longer exist are not "changed": a delete of them is reported as already done.
 */
export async function recordsChangedSince(plan: UndoPlan, importEndIso: string, deps: Pick<UndoDeps, 'conn' | 'signal' | 'onEvent'>): Promise<Set<string>> {
  const ids = [...plan.deletes, ...plan.restores.map((r) => r.id)];
  const times = new Map<string, string>();
  for (const batch of batches(ids, 100)) {
    const got = await recordsByIds(deps.conn, plan.module, batch, ['Modified_Time'], callOptions(deps));
    for (const [id, rec] of got) times.set(id, typeof rec.Modified_Time === 'string' ? rec.Modified_Time : '');
  }
  return changedSince(times, importEndIso);
}

function callOptions(deps: Pick<UndoDeps, 'signal' | 'onEvent'>) {
  return { ...(deps.signal ? { signal: deps.signal } : {}), onWait: (wait: RetryWait) => deps.onEvent?.({ kind: 'wait', wait }) };
}

/** Runs (or continues) the undo. Returns the progress; `undoReport(plan, progress)` says what happened per record. */
export async function runUndo(undoId: string, plan: UndoPlan, deps: UndoDeps): Promise<UndoProgress> {
  let p = deps.store.load(undoId)?.progress ?? emptyProgress();
  const save = (next: UndoProgress, phase: 'delete' | 'restore'): void => {
    p = next;
    deps.store.save(undoId, plan.module, p, deps.now());
    const total = phase === 'delete' ? plan.deleteCount : plan.restores.length;
    const done = phase === 'delete' ? p.deleted.length : p.restored.length;
    deps.onEvent?.({ kind: 'progress', progress: p, phase, done, total });
  };
  save(p, 'delete');
  await runDeletes(
    plan,
    () => p,
    (n) => save(n, 'delete'),
    deps,
  );
  await runRestores(
    undoId,
    plan,
    () => p,
    (n) => save(n, 'restore'),
    deps,
  );
  return p;
}

async function runDeletes(plan: UndoPlan, get: () => UndoProgress, save: (p: UndoProgress) => void, deps: UndoDeps): Promise<void> {
  const size = deps.deleteMethod === 'mass' ? 500 : 100;
  for (const batch of batches(pendingDeletes(plan, get()), size)) {
    let answers: DeleteAnswer[];
    try {
      answers =
        deps.deleteMethod === 'mass'
          ? await massDelete(deps.conn, plan.module, batch, callOptions(deps))
          : await deleteByIds(deps.conn, plan.module, batch, callOptions(deps));
    } catch (err) {
      if (fatal(err)) throw err;
      // The call's outcome is unknown (it may have deleted some): mark the batch failed; Retry sends it again and
      // an id that is gone by then is checked and counted as already deleted.
      save(
        recordDeletes(
          get(),
          batch.map((id) => ({ id, outcome: 'failed', reason: `the delete call failed: ${reasonOf(err)}` })),
        ),
      );
      continue;
    }
    // "Not deleted" for a record that no longer exists means an earlier call (whose answer was lost) deleted it.
    const notDeleted = answers.filter((a) => !a.deleted && a.code === 'INVALID_DATA').map((a) => a.id);
    const stillThere = new Set<string>();
    for (const b of batches(notDeleted, 100)) {
      for (const id of (await recordsByIds(deps.conn, plan.module, b, ['Modified_Time'], callOptions(deps))).keys()) stillThere.add(id);
    }
    const results: DeleteResult[] = answers.map((a) => {
      if (a.deleted) return { id: a.id, outcome: 'deleted', reason: '' };
      if (a.code === 'INVALID_DATA' && !stillThere.has(a.id)) return { id: a.id, outcome: 'gone', reason: '' };
      return { id: a.id, outcome: 'failed', reason: `${a.code}: ${a.message || 'not deleted'}` };
    });
    save(recordDeletes(get(), results));
  }
}

function restoreRequest(plan: UndoPlan, fileId: string): CreateJobRequestInput {
  return {
    operation: 'update',
    // ignore_empty off: a field that was empty before the import is emptied again.
    ignore_empty: false,
    resource: [
      {
        type: 'data',
        module: { api_name: plan.module },
        file_id: fileId,
        find_by: 'id',
        ignore_empty: false,
        field_mappings: [{ api_name: 'id', index: 0 }, ...plan.fields.map((f, i) => ({ api_name: f, index: i + 1 }))],
      },
    ],
  };
}

function restoreZip(plan: UndoPlan, rows: readonly UndoRestore[]): Uint8Array {
  const csv = serialiseCsv(
    ['id', ...plan.fields],
    rows.map((r) => [r.id, ...r.values]),
  );
  return zipSync({ [`${plan.module}.csv`]: strToU8(csv) });
}

async function runRestores(undoId: string, plan: UndoPlan, get: () => UndoProgress, save: (p: UndoProgress) => void, deps: UndoDeps): Promise<void> {
  const byId = new Map(plan.restores.map((r) => [r.id, r]));
  // First the restore jobs a previous run stored: never created again if they have a job id.
  for (const job of get().restoreJobs) {
    const rows = job.ids.map((id) => byId.get(id)).filter((r): r is UndoRestore => r !== undefined);
    await runRestoreJob(plan, job, rows, get, save, deps);
  }
  for (const chunk of batches(pendingRestores(plan, get()), RESTORE_ROWS_PER_JOB)) {
    // The key names the chunk's first record, so a resumed chunk keeps its key and a new chunk gets a new one.
    const job: RestoreJob = { key: `${undoId}-restore-${chunk[0]!.id}-${chunk.length}`, ids: chunk.map((r) => r.id), fileId: null, jobId: null };
    save(startRestoreJob(get(), job));
    await runRestoreJob(plan, job, chunk, get, save, deps);
  }
}

async function runRestoreJob(
  plan: UndoPlan,
  stored: RestoreJob,
  rows: readonly UndoRestore[],
  get: () => UndoProgress,
  save: (p: UndoProgress) => void,
  deps: UndoDeps,
): Promise<void> {
  const job = { ...stored };
  const failAll = (reason: string): void =>
    save(
      recordRestores(
        get(),
        job.key,
        rows.map((r) => ({ id: r.id, ok: false, reason })),
      ),
    );
  try {
    if (job.jobId === null) {
      if (job.fileId === null) {
        const zip = restoreZip(plan, rows);
        job.fileId = (
          await uploadZip(deps.conn, new Blob([zip as BlobPart], { type: 'application/zip' }), `${plan.module}-undo.zip`, callOptions(deps))
        ).fileId;
        save(patchRestoreJob(get(), job.key, { fileId: job.fileId }));
      }
      job.jobId = (await createJob(deps.conn, restoreRequest(plan, job.fileId), { idempotencyKey: job.key, ...callOptions(deps) })).jobId;
      save(patchRestoreJob(get(), job.key, { jobId: job.jobId }));
    }
    const jobId = job.jobId;
    let details = await withRetry(() => fetchJob(deps.conn, jobId, deps.signal), callOptions(deps));
    for (let n = 0; !isTerminal(details); n++) {
      await sleep(pollDelay(n), deps.signal);
      details = await withRetry(() => fetchJob(deps.conn, jobId, deps.signal), callOptions(deps));
    }
    const url = details.result?.download_url;
    if (!url) return failAll(`the restore job ${jobId} ended ${details.status} without a result file`);
    const table = parseResultCsv(await readZipCsv(await withRetry(() => downloadResultBlob(deps.conn, url, jobId, deps.signal), callOptions(deps))));
    save(recordRestores(get(), job.key, restoreResults(table, rows, jobId)));
  } catch (err) {
    if (fatal(err)) throw err;
    // Kept as in flight when the job exists or may exist (resumed by id or key); otherwise the rows failed.
    if (job.jobId !== null || job.fileId !== null) throw err;
    failAll(`the restore could not be sent: ${reasonOf(err)}`);
  }
}

/** Result rows ↔ restored records by position, checked against the echoed id. */
function restoreResults(table: { header: string[]; rows: string[][] }, rows: readonly UndoRestore[], jobId: string): RestoreResult[] {
  const upper = table.header.map((h) => h.toUpperCase());
  const statusAt = upper.indexOf('STATUS');
  const errorsAt = upper.indexOf('ERRORS');
  return rows.map((r, i) => {
    const row = table.rows[i];
    if (!row || statusAt === -1) return { id: r.id, ok: false, reason: `restore job ${jobId}: the result file has no row for this record` };
    if ((row[0] ?? '').trim() !== r.id)
      return { id: r.id, ok: false, reason: `restore job ${jobId}: result row ${i + 1} names record ${row[0] ?? ''}, not this one` };
    const status = (row[statusAt] ?? '').trim().toUpperCase();
    if (status === 'UPDATED') return { id: r.id, ok: true, reason: '' };
    const errors = parseRowErrors(errorsAt === -1 ? '' : (row[errorsAt] ?? '')).map((e) => describeRowError(e.code, e.apiName, null));
    return { id: r.id, ok: false, reason: `${status || 'not updated'}${errors.length > 0 ? `: ${errors.join('; ')}` : ''}` };
  });
}
