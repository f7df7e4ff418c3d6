// What this tab still holds about a run it started: the sent rows' provenance and echo (for reconciling results),
// the source rows (to show skipped rows whole) and labels. Memory only — gone on reload, never persisted (S9).
import type { SourceRow } from '../domain/csv/types.ts';
import type { JobPart } from '../domain/jobs/types.ts';

export interface RunMemory {
  /** Header of the sent CSV (field API names). */
  sentHeader: string[];
  /** Parts without their zip bytes once uploaded (provenance and echo stay). */
  parts: Omit<JobPart, 'zip'>[];
  /** Source headers and rows (edits applied) so skipped rows can be shown and retried whole. */
  sourceHeaders: string[];
  sourceRows: readonly SourceRow[];
  fieldLabels: ReadonlyMap<string, string>;
  /** Source column index → mapped field API name, for highlighting a skipped row's failing cells. */
  columnFields: ReadonlyMap<number, string>;
  /** Mapped unique fields (API names), for choosing upsert when retrying rows of a failed job. */
  uniqueFields: readonly string[];
}

const runs = new Map<string, RunMemory>();

export const runMemory = {
  set: (runId: string, m: RunMemory) => {
    runs.set(runId, m);
  },
  get: (runId: string): RunMemory | undefined => runs.get(runId),
};
