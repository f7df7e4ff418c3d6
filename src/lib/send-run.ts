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
export function newRunEntry(p: Omit<HistoryRun, 'jobs' | 'phase' | 'createdAt'> & { parts: readonly Pick<JobPart, 'job' | 'rowCount'>[]; now: Date }): HistoryRun {
  const { parts, now, ...rest } = p;
  return {
    ...rest,
    createdAt: now.toISOString(),
    phase: 'uploading',
    jobs: parts.map((j) => ({ index: j.job, rows: j.rowCount, fileId: null, jobId: null, status: 'NOT_CREATED', added: 0, updated: 0, skipped: 0, total: j.rowCount, downloadUrl: null })),
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
    const created = await createJob(connection, requestFor(fileId), {
      idempotencyKey: `${runId}-job-${part.job}`,
      onWait: (w) => onProgress({ part: part.job, phase: 'create', loaded: part.zipBytes, total: part.zipBytes, wait: w }),
    });
    historyStore.update(runId, (r) => patchJob(r, part.job, { jobId: created.jobId, status: 'ADDED' }));
  }
  historyStore.update(runId, (r) => ({ ...r, phase: r.jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED') ? 'done' : 'tracking' }));
}
