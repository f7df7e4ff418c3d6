// Uploads each prepared ZIP and creates its job, saving the file id and the job id to history the moment each
// exists. Calling it again after a failure continues where it stopped and never creates a job twice
// (a saved job id is skipped; a create is replayed with the same Idempotency-Key).
import type { Connection } from '../api/connection.ts';
import type { CreateJobRequestInput } from '../api/contract/create-job.ts';
import { createJob } from '../api/create-job.ts';
import type { RetryWait } from '../api/retry.ts';
import { uploadZip } from '../api/upload-file.ts';
import type { JobPart } from '../domain/jobs/types.ts';
import type { HistoryJob, HistoryRun } from './history.ts';
import { historyStore } from './history-store.ts';

export type SendProgress = { part: number; phase: 'upload' | 'create'; loaded: number; total: number; wait: RetryWait | null };

export function patchJob(r: HistoryRun, index: number, patch: Partial<HistoryJob>): HistoryRun {
  return { ...r, jobs: r.jobs.map((j) => (j.index === index ? { ...j, ...patch } : j)) };
}

/** A new history entry for a run about to be sent (no job exists yet). */
export function newRunEntry(
  p: Omit<HistoryRun, 'jobs' | 'phase' | 'createdAt' | 'multiRun'> & {
    multiRun?: HistoryRun['multiRun'];
    parts: readonly Pick<JobPart, 'job' | 'rowCount'>[];
    now: Date;
  },
): HistoryRun {
  const { parts, now, multiRun, ...rest } = p;
  return {
    ...rest,
    multiRun: multiRun ?? null,
    createdAt: now.toISOString(),
    phase: 'uploading',
    jobs: parts.map((j) => ({
      index: j.job,
      rows: j.rowCount,
      fileId: null,
      jobId: null,
      status: 'NOT_CREATED',
      added: 0,
      updated: 0,
      skipped: 0,
      total: j.rowCount,
      downloadUrl: null,
    })),
  };
}

export async function sendRun(
  connection: Connection,
  runId: string,
  parts: readonly JobPart[],
  requestFor: (fileId: string) => CreateJobRequestInput,
  onProgress: (p: SendProgress) => void,
): Promise<void> {
  for (const part of parts) {
    const saved = historyStore.find(runId)?.jobs[part.job];
    if (saved?.jobId) continue;
    let fileId = saved?.fileId ?? null;
    let wait: RetryWait | null = null;
    if (fileId === null) {
      onProgress({ part: part.job, phase: 'upload', loaded: 0, total: part.zipBytes, wait });
      const uploaded = await uploadZip(connection, new Blob([part.zip as BlobPart], { type: 'application/zip' }), part.entryName.replace(/\.csv$/i, '.zip'), {
        onProgress: (p) => onProgress({ part: part.job, phase: 'upload', loaded: p.loaded, total: p.total, wait: null }),
        onWait: (w) => {
          wait = w;
          onProgress({ part: part.job, phase: 'upload', loaded: 0, total: part.zipBytes, wait: w });
        },
      });
      fileId = uploaded.fileId;
      const fid = fileId;
      historyStore.update(runId, (r) => patchJob(r, part.job, { fileId: fid }));
    }
    onProgress({ part: part.job, phase: 'create', loaded: part.zipBytes, total: part.zipBytes, wait: null });
    const body = requestFor(fileId);
    historyStore.update(runId, (r) => patchJob(r, part.job, { pendingCreate: body }));
    const created = await createJob(connection, body, {
      idempotencyKey: `${runId}-job-${part.job}`,
      onWait: (w) => onProgress({ part: part.job, phase: 'create', loaded: part.zipBytes, total: part.zipBytes, wait: w }),
    });
    historyStore.update(runId, (r) => patchJob(r, part.job, { jobId: created.jobId, status: 'ADDED', pendingCreate: undefined }));
  }
  historyStore.update(runId, (r) => ({ ...r, phase: r.jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED') ? 'done' : 'tracking' }));
}

/**
 * After a reload: jobs whose create was in flight are replayed with the same Idempotency-Key (the emulator answers
 * with the job the first request made, or makes it now — never two). Against Zoho, which has no such key, the
 * outcome is unknown, so nothing is re-sent and the caller tells the user. Jobs whose ZIP never finished
 * uploading cannot be resumed (the ZIP lived in the closed tab).
 */
export async function resumePendingCreates(connection: Connection, runId: string): Promise<{ replayed: number; lost: number; unknown: number }> {
  const run = historyStore.find(runId);
  const out = { replayed: 0, lost: 0, unknown: 0 };
  if (!run) return out;
  for (const j of run.jobs) {
    if (j.jobId !== null) continue;
    if (j.pendingCreate === undefined || j.fileId === null) {
      out.lost += 1;
      continue;
    }
    if (connection.kind !== 'emulator') {
      out.unknown += 1;
      continue;
    }
    const created = await createJob(connection, j.pendingCreate as CreateJobRequestInput, { idempotencyKey: `${runId}-job-${j.index}` });
    historyStore.update(runId, (r) => patchJob(r, j.index, { jobId: created.jobId, status: 'ADDED', pendingCreate: undefined }));
    out.replayed += 1;
  }
  if (out.lost > 0 || out.unknown > 0) historyStore.update(runId, (r) => ({ ...r, phase: 'stopped' }));
  else historyStore.update(runId, (r) => ({ ...r, phase: r.phase === 'uploading' ? 'tracking' : r.phase }));
  return out;
}
