// Import history kept in localStorage so past runs and unfinished jobs survive reload and tab close.
// Only job metadata is stored — ids, module, counts, times, the file's name — never a token, never row data (S1/S9).
import { z } from 'zod';

export const HISTORY_KEY = 'zoho-bulk-import.history.v1';
const MAX_RUNS = 50;

const jobStatusSchema = z.enum(['NOT_CREATED', 'ADDED', 'INPROGRESS', 'COMPLETED', 'FAILED']);
export type HistoryJobStatus = z.infer<typeof jobStatusSchema>;

const historyJob = z.object({
  index: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  fileId: z.string().nullable(),
  jobId: z.string().nullable(),
  status: jobStatusSchema,
  added: z.number().int().nonnegative().default(0),
  updated: z.number().int().nonnegative().default(0),
  skipped: z.number().int().nonnegative().default(0),
  total: z.number().int().nonnegative().default(0),
  downloadUrl: z.string().nullable().default(null),
  /**
   * The create-job body (field mappings, module, file id — no row data) while the create is in flight, so a
   * reload can replay it with the same Idempotency-Key and get the same job instead of losing or doubling it.
   */
  pendingCreate: z.unknown().optional(),
});
export type HistoryJob = z.infer<typeof historyJob>;

const historyRun = z.object({
  runId: z.string().min(1),
  createdAt: z.string(),
  connectionKind: z.enum(['emulator', 'zoho']),
  apiDomain: z.string(),
  module: z.string(),
  moduleLabel: z.string(),
  operation: z.enum(['insert', 'update', 'upsert']),
  findBy: z.string().nullable(),
  fileName: z.string(),
  totalRows: z.number().int().nonnegative(),
  /** uploading: zips still being sent; tracking: every job created; done: every job terminal. */
  phase: z.enum(['uploading', 'tracking', 'done', 'stopped']),
  jobs: z.array(historyJob),
  retryOf: z.string().nullable().default(null),
  /**
   * The run of several modules this entry belongs to (one entry per module and link group): the group's id, the
   * order the run wrote its entries in, and the plan step (src/lib/multi-history.ts) it sends. Entries written
   * before runs were grouped read as null (decision 120).
   */
  multiRun: z
    .object({ id: z.string().min(1), order: z.number().int().nonnegative(), step: z.number().int().nonnegative() })
    .nullable()
    .default(null),
});
export type HistoryRun = z.infer<typeof historyRun>;

const historyFile = z.object({ runs: z.array(historyRun) });

export function readHistory(storage: Storage | null): HistoryRun[] {
  if (!storage) return [];
  const raw = storage.getItem(HISTORY_KEY);
  if (!raw) return [];
  try {
    const parsed = historyFile.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data.runs : [];
  } catch {
    return [];
  }
}

export function writeHistory(storage: Storage | null, runs: readonly HistoryRun[]): void {
  if (!storage) return;
  // Parsing strips any key outside the schema, so nothing but job metadata can reach storage.
  const kept = [...runs]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, MAX_RUNS)
    .map((r) => historyRun.parse(r));
  try {
    storage.setItem(HISTORY_KEY, JSON.stringify({ runs: kept }));
  } catch {
    // Storage full or disabled: history is a convenience, the import itself goes on.
  }
}

/** Replaces (or adds) one run, returning the new list. */
export function upsertRun(runs: readonly HistoryRun[], run: HistoryRun): HistoryRun[] {
  const i = runs.findIndex((r) => r.runId === run.runId);
  if (i < 0) return [run, ...runs];
  const out = [...runs];
  out[i] = run;
  return out;
}

export function isRunFinished(run: HistoryRun): boolean {
  return run.jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED');
}

/** Runs still going (a created job not finished, or a create that can be replayed): they resume after a reload. */
export function unfinishedRuns(runs: readonly HistoryRun[]): HistoryRun[] {
  return runs.filter(
    (r) =>
      r.phase !== 'stopped' &&
      r.phase !== 'done' &&
      r.jobs.some((j) => (j.jobId !== null && (j.status === 'ADDED' || j.status === 'INPROGRESS')) || (j.jobId === null && j.pendingCreate !== undefined)),
  );
}

export function runCounts(run: HistoryRun): { added: number; updated: number; skipped: number; total: number } {
  return run.jobs.reduce((a, j) => ({ added: a.added + j.added, updated: a.updated + j.updated, skipped: a.skipped + j.skipped, total: a.total + j.total }), {
    added: 0,
    updated: 0,
    skipped: 0,
    total: 0,
  });
}
