// Runs a multi-module plan (src/domain/multi) against a connection: each source in parents-first order, each of
// its link groups as its own job(s) through the same sendRun as a single-module import (so every job id is in
// History the moment it exists), then the results read back, reconciled, and turned into the states its children
// are resolved against. A self-lookup's second pass is an update by record id. Decision 115.
import type { Connection } from '../api/connection.ts';
import { downloadResultBlob, readZipCsv } from '../api/download-result.ts';
import { fetchJob, isTerminal, pollDelay } from '../api/get-job.ts';
import { pause, withRetry } from '../api/retry.ts';
import type { SourceRow } from '../domain/csv/types.ts';
import { splitIntoJobs } from '../domain/jobs/split.ts';
import { mergeResults, reconcileJob } from '../domain/jobs/reconcile.ts';
import { RowOutcomes } from '../domain/jobs/outcomes.ts';
import type { JobPart, ReconcileResult } from '../domain/jobs/types.ts';
import { emptyColumnMapping, RECORD_ID, type Mapping } from '../domain/mapping/mapping.ts';
import { buildCreateJobRequest, projectForUpload } from '../domain/mapping/project-for-upload.ts';
import {
  groupMapping,
  groupRows,
  heldStates,
  resolveSource,
  selfLinkUpdates,
  statesFromOutcomes,
  type HeldRow,
  type RowState,
  type RunStates,
  type SelfLinkRow,
} from '../domain/multi/linking.ts';
import type { RunLink, RunSource, RunStep } from '../domain/multi/run-plan.ts';
import type { UserIdColumn } from '../domain/org-check/types.ts';
import { rowsWithUserIds } from '../domain/org-check/users.ts';
import { historyStore } from './history-store.ts';
import { multiHistoryStore } from './multi-history-store.ts';
import { runMemory } from './run-memory.ts';
import { newRunEntry, sendRun } from './send-run.ts';

export interface MultiRunInput {
  source: RunSource;
  rows: readonly SourceRow[];
  /** The rows to send (0-based, in order): Review's exclusions already taken out. Default all. */
  rowIndexes?: readonly number[];
  /** Owner / user-lookup columns: each value that names an active user → that user's id (as a single import sends). */
  userIds?: readonly UserIdColumn[];
}

export interface SourceOutcome {
  sourceId: string;
  /** Every job of this source's write step (one result per link group), merged: the source's Results section. */
  result: ReconcileResult;
  /** Rows held back (never sent), with why: the parent row they link to was not written. */
  held: HeldRow[];
  /** The self-lookup pass, when the module looks itself up. */
  selfLink: { result: ReconcileResult; held: HeldRow[] } | null;
  /** The history run ids of this source's jobs (one per link group, plus the self-link pass). */
  runIds: string[];
}

export interface MultiRunDeps {
  conn: Connection;
  /** The run's id: each group's history entry is `<runId>.<source id>.<n>`. */
  runId: string;
  now: () => Date;
  signal?: AbortSignal;
  /**
   * What earlier runs of the same sources wrote (e.g. the first run, when its held rows are sent again once their
   * parent is fixed): the rows not sent now are linked to the record ids they got then.
   */
  known?: RunStates;
  /** Called as each step starts (for progress), with how many rows it sends. */
  onStep?: (step: RunStep, rows: number) => void;
}

/** Sends the parts as one history run, waits for every job, and reconciles each against what was sent. */
async function sendAndReconcile(
  deps: MultiRunDeps,
  p: {
    runId: string;
    source: RunSource;
    header: string[];
    parts: JobPart[];
    totalRows: number;
    operation: RunSource['operation'];
    findBy: string | null;
    request: (fileId: string) => ReturnType<typeof buildCreateJobRequest>;
    /** The plan step this entry belongs to (History groups the run's entries by it; decision 120). */
    step: number;
    /** The file's rows (the provenance's row indexes point into them): the merged result is joined back to them. */
    sourceRows: readonly SourceRow[];
  },
): Promise<ReconcileResult> {
  // A run resumed with the same id keeps its saved entry: sendRun skips the jobs it holds, so none is created twice.
  // The split is deterministic (decision 022), so the same inputs give the same parts; other inputs are refused.
  const saved = historyStore.find(p.runId);
  if (saved !== undefined && (saved.jobs.length !== p.parts.length || saved.jobs.some((j, i) => j.rows !== p.parts[i]?.rowCount))) {
    throw new Error(
      `Run ${p.runId} was started with other rows for ${p.source.module} (${saved.jobs.length} job(s) saved, ${p.parts.length} now); it cannot be resumed with these. Start a new run.`,
    );
  }
  const labelsByField = new Map(p.source.fields.map((f) => [f.apiName, f.label]));
  const columnFields = new Map<number, string>();
  for (const c of p.source.mapping.columns) if (c.apiName !== null) columnFields.set(c.column, c.apiName);
  // What this tab holds of the entry (memory only, S9): Results and History join its result back to the file's rows.
  runMemory.set(p.runId, {
    sentHeader: p.header,
    parts: p.parts.map(({ zip: _zip, ...rest }) => rest),
    sourceHeaders: [...p.source.headers],
    sourceRows: p.sourceRows,
    fieldLabels: labelsByField,
    columnFields,
    uniqueFields: [],
  });
  if (saved === undefined)
    historyStore.put(
      newRunEntry({
        multiRun: { id: deps.runId, order: historyStore.get().filter((r) => r.multiRun?.id === deps.runId).length, step: p.step },
        runId: p.runId,
        now: deps.now(),
        connectionKind: deps.conn.kind,
        apiDomain: deps.conn.apiDomain,
        module: p.source.module,
        moduleLabel: p.source.module,
        operation: p.operation,
        findBy: p.findBy,
        fileName: p.source.name,
        totalRows: p.totalRows,
        parts: p.parts,
        retryOf: null,
      }),
    );
  await sendRun(deps.conn, p.runId, p.parts, p.request, () => undefined);
  const labels = labelsByField;
  const results: ReconcileResult[] = [];
  for (const part of p.parts) {
    const jobId = historyStore.find(p.runId)?.jobs[part.job]?.jobId ?? '';
    let details = await withRetry(() => fetchJob(deps.conn, jobId, deps.signal), deps.signal ? { signal: deps.signal } : {});
    for (let n = 0; !isTerminal(details); n++) {
      // Cut short when the run is cancelled: the next request, on the same signal, then fails as cancelled.
      await pause(pollDelay(n), deps.signal);
      details = await withRetry(() => fetchJob(deps.conn, jobId, deps.signal), deps.signal ? { signal: deps.signal } : {});
    }
    const url = details.result?.download_url ?? (deps.conn.kind === 'emulator' ? `/crm/bulk/v8/write/${jobId}/result` : null);
    const file = details.resource[0]?.file ?? null;
    historyStore.update(p.runId, (r) => ({
      ...r,
      jobs: r.jobs.map((j) =>
        j.index === part.job
          ? {
              ...j,
              status: details.status === 'FAILED' ? 'FAILED' : 'COMPLETED',
              added: file?.added_count ?? 0,
              updated: file?.updated_count ?? 0,
              skipped: file?.skipped_count ?? 0,
              downloadUrl: details.result?.download_url ?? null,
            }
          : j,
      ),
    }));
    if (url === null) {
      results.push({
        reconciled: false,
        problems: [{ job: part.job, message: `Job ${jobId} ended ${details.status} without a result file.` }],
        outcomes: RowOutcomes.EMPTY,
        counts: { added: 0, updated: 0, skipped: 0, unprocessed: 0, total: 0 },
      });
      continue;
    }
    const csv = await readZipCsv(await withRetry(() => downloadResultBlob(deps.conn, url, jobId, deps.signal), deps.signal ? { signal: deps.signal } : {}));
    results.push(reconcileJob({ job: part, sentHeader: p.header, resultCsv: csv, fileCounts: file, fieldLabels: labels }));
  }
  historyStore.update(p.runId, (r) => ({ ...r, phase: 'done' }));
  return mergeResults(results);
}

/** The write step of one source: each link group as its own jobs, parents' ids in the linked cells. */
async function writeSource(
  deps: MultiRunDeps,
  input: MultiRunInput,
  links: readonly RunLink[],
  rowsOf: (id: string) => readonly SourceRow[],
  states: Map<string, Map<number, RowState>>,
  step: number,
): Promise<{ result: ReconcileResult; held: HeldRow[]; selfLinks: SelfLinkRow[]; runIds: string[] }> {
  const { source } = input;
  const resolution = resolveSource({
    sourceId: source.id,
    rows: input.rows,
    ...(input.rowIndexes ? { rowIndexes: input.rowIndexes } : {}),
    links,
    rowsOf,
    states,
    unknown: 'not-yet',
  });
  const results: ReconcileResult[] = [];
  const runIds: string[] = [];
  multiHistoryStore.patchStep(deps.runId, step, { state: 'started', entries: resolution.groups.length });
  let jobOffset = 0;
  for (const [g, group] of resolution.groups.entries()) {
    const mapping = groupMapping(source.mapping, group);
    const grouped = groupRows(input.rows, group);
    // User columns go out as user ids (the same conversion the worker makes for a single import).
    const sent = { rows: rowsWithUserIds(grouped.rows, input.userIds, grouped.rowIndexes), rowIndexes: grouped.rowIndexes };
    const plan = projectForUpload(source.headers, sent.rows, mapping, source.fields, input.userIds ?? []);
    const split = await splitIntoJobs({
      header: plan.header,
      columnSource: plan.columnSource,
      rows: sent.rows,
      rowIndexes: sent.rowIndexes,
      module: source.module,
    });
    const runId = `${deps.runId}.${source.id}.${g}`;
    runIds.push(runId);
    deps.onStep?.({ kind: 'write', sourceId: source.id, module: source.module }, sent.rowIndexes.length);
    const result = await sendAndReconcile(deps, {
      runId,
      source,
      header: split.header,
      parts: split.jobs,
      totalRows: split.totalRows,
      operation: source.operation,
      findBy: null,
      step,
      sourceRows: input.rows,
      request: (fileId) =>
        buildCreateJobRequest({
          operation: source.operation,
          module: source.module,
          fileId,
          fieldMappings: plan.fieldMappings,
          findBy: null,
          ignoreEmpty: false,
        }),
    });
    // Job numbers run on across groups so the merged result keeps every row's place.
    results.push({ ...result, outcomes: result.outcomes.withJobOffset(jobOffset) });
    jobOffset += split.jobs.length;
  }
  return { result: mergeResults(results), held: resolution.held, selfLinks: resolution.selfLinks, runIds };
}

/** The second pass of a self-lookup: an update by record id of the lookup, for rows whose two records exist. */
async function selfLinkPass(
  deps: MultiRunDeps,
  input: MultiRunInput,
  link: RunLink,
  selfLinks: readonly SelfLinkRow[],
  own: ReadonlyMap<number, RowState>,
  step: number,
): Promise<{ result: ReconcileResult; held: HeldRow[]; runId: string | null }> {
  const { source } = input;
  const { updates, held } = selfLinkUpdates(
    selfLinks.filter((s) => s.link.column === link.column),
    input.rows,
    own,
  );
  const empty: ReconcileResult = {
    reconciled: true,
    problems: [],
    outcomes: RowOutcomes.EMPTY,
    counts: { added: 0, updated: 0, skipped: 0, unprocessed: 0, total: 0 },
  };
  multiHistoryStore.patchStep(deps.runId, step, { state: 'started', entries: updates.length === 0 ? 0 : 1 });
  if (updates.length === 0) return { result: empty, held, runId: null };
  // Rows of a two-column table (id, the lookup), at the file's row indexes so provenance names the file's lines.
  const rows: SourceRow[] = input.rows.map((r) => ({ line: r.line, cells: [] }));
  for (const u of updates) rows[u.rowIndex] = { line: input.rows[u.rowIndex]?.line ?? u.rowIndex + 1, cells: [u.recordId, u.parentRecordId] };
  const mapping: Mapping = {
    columns: [
      { ...emptyColumnMapping(0), apiName: RECORD_ID },
      { ...emptyColumnMapping(1), apiName: link.apiName, findBy: RECORD_ID },
    ],
    defaults: [],
  };
  const headers = ['id', link.apiName];
  const plan = projectForUpload(headers, rows, mapping, source.fields);
  const split = await splitIntoJobs({
    header: plan.header,
    columnSource: plan.columnSource,
    rows,
    rowIndexes: updates.map((u) => u.rowIndex),
    module: source.module,
  });
  const runId = `${deps.runId}.${source.id}.self-${link.column}`;
  deps.onStep?.({ kind: 'self-link', sourceId: source.id, module: source.module, link }, updates.length);
  const result = await sendAndReconcile(deps, {
    runId,
    source,
    header: split.header,
    parts: split.jobs,
    totalRows: split.totalRows,
    operation: 'update',
    findBy: RECORD_ID,
    step,
    sourceRows: input.rows,
    request: (fileId) =>
      buildCreateJobRequest({ operation: 'update', module: source.module, fileId, fieldMappings: plan.fieldMappings, findBy: RECORD_ID, ignoreEmpty: true }),
  });
  return { result, held, runId };
}

/** Runs every step of the plan in order. Each source's held rows hold their own children in later steps. */
export async function runMultiModule(
  steps: readonly RunStep[],
  links: readonly RunLink[],
  inputs: readonly MultiRunInput[],
  deps: MultiRunDeps,
): Promise<Map<string, SourceOutcome>> {
  const byId = new Map(inputs.map((i) => [i.source.id, i]));
  const rowsOf = (id: string): readonly SourceRow[] => byId.get(id)?.rows ?? [];
  const states = new Map<string, Map<number, RowState>>([...(deps.known ?? [])].map(([id, m]) => [id, new Map<number, RowState>(m)]));
  const out = new Map<string, SourceOutcome>();
  const selfLinksOf = new Map<string, SelfLinkRow[]>();
  for (const step of steps) if (!byId.has(step.sourceId)) throw new Error(`The plan names a source (${step.sourceId}) the run was not given.`);
  // The plan goes to History before anything is sent, so a reload at any point can say which steps were never sent.
  // A run sent again under the same id (after a failure) keeps its record: steps done stay done.
  if (multiHistoryStore.find(deps.runId) === undefined)
    multiHistoryStore.put({
      id: deps.runId,
      createdAt: deps.now().toISOString(),
      connectionKind: deps.conn.kind,
      apiDomain: deps.conn.apiDomain,
      steps: steps.map((st) => ({
        sourceId: st.sourceId,
        module: st.module,
        name: byId.get(st.sourceId)?.source.name ?? st.sourceId,
        kind: st.kind,
        state: 'waiting',
        entries: null,
      })),
    });
  multiHistoryStore.setActive(deps.runId, true);
  try {
    await runSteps(steps, links, byId, rowsOf, states, out, selfLinksOf, deps);
  } finally {
    multiHistoryStore.setActive(deps.runId, false);
  }
  return out;
}

async function runSteps(
  steps: readonly RunStep[],
  links: readonly RunLink[],
  byId: ReadonlyMap<string, MultiRunInput>,
  rowsOf: (id: string) => readonly SourceRow[],
  states: Map<string, Map<number, RowState>>,
  out: Map<string, SourceOutcome>,
  selfLinksOf: Map<string, SelfLinkRow[]>,
  deps: MultiRunDeps,
): Promise<void> {
  for (const [i, step] of steps.entries()) {
    const input = byId.get(step.sourceId);
    if (input === undefined) continue;
    if (step.kind === 'write') {
      const w = await writeSource(deps, input, links, rowsOf, states, i);
      const own = states.get(step.sourceId) ?? new Map<number, RowState>();
      for (const [rowIndex, state] of statesFromOutcomes(w.result.outcomes)) own.set(rowIndex, state);
      // Rows left out of this run (excluded in Review) and not written by an earlier one: their children wait too,
      // and say so, rather than "not written yet".
      if (input.rowIndexes !== undefined) {
        const sent = new Set(input.rowIndexes);
        input.rows.forEach((_, i) => {
          if (!sent.has(i) && !own.has(i)) own.set(i, { kind: 'not-written', predicted: false, reason: 'it is left out of this run' });
        });
      }
      for (const [rowIndex, state] of heldStates({ groups: [], held: w.held, selfLinks: [] }, false)) own.set(rowIndex, state);
      states.set(step.sourceId, own);
      selfLinksOf.set(step.sourceId, w.selfLinks);
      out.set(step.sourceId, { sourceId: step.sourceId, result: w.result, held: w.held, selfLink: null, runIds: w.runIds });
    } else {
      const s = await selfLinkPass(deps, input, step.link, selfLinksOf.get(step.sourceId) ?? [], states.get(step.sourceId) ?? new Map(), i);
      const prev = out.get(step.sourceId);
      if (prev)
        out.set(step.sourceId, { ...prev, selfLink: { result: s.result, held: s.held }, runIds: s.runId === null ? prev.runIds : [...prev.runIds, s.runId] });
    }
    multiHistoryStore.patchStep(deps.runId, i, { state: 'done' });
  }
}
