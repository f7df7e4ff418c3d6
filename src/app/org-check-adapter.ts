// Bridges the org-check run (src/lib/org-check-run.ts: Bulk Read + users, predicted in the import worker) to the
// Review step's view: the read plan before the press, progress in plain words, and the finished result read
// lazily by row (the packed result stays packed; per-row issues are indexed in slices so no main-thread task is long).
import type { OrgUser } from '../domain/org-check/types.ts';
import type { Connection } from '../api/connection.ts';
import type { ParsedTable, SourceRow } from '../domain/csv/types.ts';
import type { Operation } from '../domain/fields/field-meta.ts';
import type { FieldModel } from '../domain/fields/field-model.ts';
import type { Mapping } from '../domain/mapping/mapping.ts';
import { BULK_READ_JOB_CREDITS, BULK_READ_PAGE_ROWS, type OrgReadPlan } from '../domain/org-check/types.ts';
import { planFor, repredictOrg, runOrgCheck, type OrgCheckProgress as RunProgress } from '../lib/org-check-run.ts';
import { nextTask } from '../lib/next-task.ts';
import { editsAgainst } from '../lib/pack-edits.ts';
import { Cancelled, runInSlices } from '../lib/time-slices.ts';
import type { OrgCheckApi, OrgCheckPlanView, OrgCheckView, OrgOutcome, OrgRowView } from '../steps/review-step/org-check-model.ts';
import type { OrgCheckResult } from '../worker/org-result.ts';
import type { ImportClient } from '../worker/import-client.ts';

export interface OrgCheckContext {
  connection: Connection;
  client: ImportClient;
  table: ParsedTable;
  module: string;
  operation: Operation;
  findBy: string | null;
  mapping: Mapping;
  fields: readonly FieldModel[];
  /** See OrgCheckParams.users: the users the import sends user cells by (absent: the check reads them). */
  users?: readonly OrgUser[] | null;
}

const OUTCOMES: readonly (OrgOutcome | null)[] = ['add', 'update', 'skip', null];
/** Room for the What-will-change columns of fields with no column in the file (see viewOfResult). */
const DEFAULT_ONLY_MAX = 1000;
const fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
/**
 * Issues grouped, or findings worked out, per step of the time slices (runInSlices: ~20 ms a task). Fixed counts of
 * 10,000 made tasks of 30–60 ms at a million rows, the longer when each finding parses a skipped row's errors.
 */
const STEP = 500;

/** What Review shows before the press: per module `id` first, then the fields in request order, and the jobs. */
export function planView(plan: OrgReadPlan): OrgCheckPlanView {
  return {
    reads: plan.modules.map((m) => ({
      module: m.module,
      fields: ['id', ...m.fields],
      jobs: Math.max(1, Math.ceil((m.knownRecords ?? 0) / BULK_READ_PAGE_ROWS)),
    })),
    readsUsers: plan.readsUsers,
    creditsPerJob: BULK_READ_JOB_CREDITS,
  };
}

/** One line of progress a person reads. */
function progressText(p: RunProgress): { phase: string; done: number; total: number | null } {
  // Waiting for Zoho to prepare a Bulk Read job has no amount to show: the bar is indeterminate then.
  const known = p.total > 0 && p.phase !== 'wait' && p.phase !== 'create';
  return { phase: p.message, done: p.done, total: known ? p.total : null };
}

/** Whether an update is an ignore_empty job: any mapped column asks for it (the job-level flag stays off). */
function ignoresEmpty(mapping: Mapping): boolean {
  return mapping.columns.some((c) => c.apiName !== null && c.ignoreEmpty === true);
}

/** The finished result as Review reads it. Issues are grouped by row in slices (awaited between). */
export async function viewOfResult(result: OrgCheckResult, mapping: Mapping, fields: readonly FieldModel[]): Promise<OrgCheckView> {
  const byRow = new Map<number, { column: number | null; severity: 'error' | 'warning'; message: string; code: string }[]>();
  const total = result.issueCount;
  // A task of its own: the task that received the answer has already copied it in (~20–30 ms at a million rows).
  await nextTask();
  let from = 0;
  await runInSlices(() => {
    const to = Math.min(total, from + STEP);
    result.forEachIssue(
      (i) => {
        const list = byRow.get(i.row);
        const issue = { column: i.column, severity: i.severity, message: i.message, code: i.code };
        if (list) list.push(issue);
        else byRow.set(i.row, [issue]);
      },
      from,
      to,
    );
    from = to;
    return from >= total;
  });
  // Rows skipped with no cell issue still say why (the row's reason) in the findings list: the worker lists both.
  const outcomes = result.outcomes;

  const columnOf = new Map<string, number>();
  for (const c of mapping.columns) if (c.apiName) columnOf.set(c.apiName, c.column);
  // A field with no column in the file (its default value is what is written) changes matched records too: it gets a
  // column of What will change of its own, numbered below zero and above -1 - DEFAULT_ONLY_MAX in the order the
  // fields first change (the changes are shown by ascending column).
  let defaultOnly = 0;
  for (const f of result.changeCounts) if (!columnOf.has(f.apiName)) columnOf.set(f.apiName, -DEFAULT_ONLY_MAX + defaultOnly++);
  const perField = result.changeCounts.map((f) => ({ column: columnOf.get(f.apiName)!, apiName: f.apiName, rows: f.count }));
  const labels = new Map(fields.map((f) => [f.apiName, f.label]));
  const records = Object.entries(result.orgRecords)
    .map(([m, n]) => `${fmt.format(n)} ${m}`)
    .join(', ');
  const ignored = ignoresEmpty(mapping) ? ' Empty cells of “Ignore empty” columns keep the org’s value.' : '';

  // The column and severity of row i's finding: the first cell issue's, else (a skip) the first error's field.
  const findingOf = (i: number, outcome: OrgOutcome, errors: () => readonly { apiName: string }[]) => {
    const first = byRow.get(i)?.[0];
    const severity = outcome === 'skip' ? 'error' : first ? first.severity : null;
    let column = first?.column ?? null;
    if (column === null && outcome === 'skip') {
      const errorField = errors()[0]?.apiName;
      column = errorField !== undefined ? (columnOf.get(errorField) ?? null) : null;
    }
    return { column, severity };
  };

  const findings = new Map<number, { column: number | null; severity: 'error' | 'warning' } | null>();
  const view: OrgCheckView = {
    outcome: (i) => OUTCOMES[outcomes[i] ?? 3] ?? null,
    row(i): OrgRowView | null {
      const outcome = OUTCOMES[outcomes[i] ?? 3] ?? null;
      if (outcome === null) return null;
      const p = result.row(i);
      const issues = byRow.get(i) ?? [];
      const { column, severity } = findingOf(i, outcome, () => p.errors);
      // The cell issues name the value and what to do; the row's own reason is the short form for the grid — but for a
      // value the org cannot take (a lookup or a user it has not, or has twice) the code's generic words say less than
      // the issue, which is what the grid shows then.
      const detail = issues.length > 0 ? issues.map((x) => x.message).join(' ') : p.reason;
      // The issue on the cell of the first error's field, if the check has one (another field's would mislead).
      const about = outcome === 'skip' && p.errors[0]?.code === 'INVALID_DATA' ? issues.find((x) => x.severity === 'error' && x.column === column) : undefined;
      return { outcome, recordId: p.recordId, reason: about ? `Skipped: ${about.message}` : p.reason, detail, column, severity };
    },
    finding(i) {
      // Kept per row: Review counts every flagged row's finding again after each edit (20,000 at a million rows, an
      // error text parsed for each), and the answer does not change.
      let f = findings.get(i);
      if (f === undefined) {
        const outcome = OUTCOMES[outcomes[i] ?? 3] ?? null;
        const found = outcome === null ? null : findingOf(i, outcome, () => result.errorsOf(i));
        f = found === null || found.severity === null ? null : { column: found.column, severity: found.severity };
        findings.set(i, f);
      }
      return f;
    },
    flagged: result.flaggedRows,
    errors: (i) => (outcomes[i] === 2 ? result.errorsOf(i) : []),
    issues: (i) => byRow.get(i) ?? [],
    changes: (i) =>
      result.changesOf(i).map((c) => ({ column: c.column ?? columnOf.get(c.apiName) ?? -DEFAULT_ONLY_MAX, apiName: c.apiName, before: c.old, after: c.new })),
    counts: { add: result.counts.add, update: result.counts.update, skip: result.counts.skip },
    changedRows: result.changedRows,
    unchangedRows: result.unchangedRows,
    perField,
    fixes: result.fixes,
    summary: `Checked against the org: ${records || 'nothing read'}.${ignored}${perField.length > 0 ? ` Changes in ${perField.map((f) => labels.get(f.apiName) ?? f.apiName).join(', ')}.` : ''}`,
  };
  // Every flagged row's finding worked out here, in slices, rather than inside Review's render of the answer (an
  // error text parsed per skipped row: ~25 ms for the 20,000 of a million-row file).
  const flagged = result.flaggedRows;
  let k = 0;
  await nextTask();
  await runInSlices(() => {
    for (const end = Math.min(flagged.length, k + STEP); k < end; k++) view.finding(flagged[k]!);
    return k >= flagged.length;
  });
  return view;
}

/** Cancelled (packing stopped) as the AbortError the check's callers expect. */
async function abortable<T>(work: Promise<T>, message: string): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof Cancelled) throw new DOMException(message, 'AbortError');
    throw e;
  }
}

// Versions name the rows of each prediction posted to the worker (one counter for every adapter: they share it).
let nextRowsVersion = 1;

/** The Review step's org check for one review context (connection, module, mapping, file). */
export function createOrgCheckApi(ctx: OrgCheckContext): OrgCheckApi {
  const plan = planFor({ module: ctx.module, operation: ctx.operation, findBy: ctx.findBy, mapping: ctx.mapping, fields: ctx.fields });
  // The rows of the last prediction posted to the worker: the worker handles every posted request in order, so
  // these are the rows it holds as the base for the next edits (an answer dropped as outdated still counts).
  let posted: { version: number; rows: readonly SourceRow[] } | null = null;
  // What a prediction of these rows needs, the same for the first check and every re-prediction. Excluded rows are
  // passed because they write nothing: a later row holding the same e-mail as an excluded one is no duplicate of it.
  const predictParams = async (rows: readonly SourceRow[], excluded: ReadonlySet<number>, since: typeof posted, signal: AbortSignal) => {
    const edits = await editsAgainst(since ? since.rows : ctx.table.rows, rows, signal);
    const version = nextRowsVersion++;
    return {
      client: ctx.client,
      module: ctx.module,
      operation: ctx.operation,
      findBy: ctx.findBy,
      ignoreEmpty: false,
      mapping: ctx.mapping,
      fields: ctx.fields,
      excluded: [...excluded].sort((a, b) => a - b),
      edits,
      rowsVersion: version,
      ...(since ? { editsSince: since.version } : {}),
      table: ctx.table,
    };
  };
  return {
    plan: planView(plan),
    async run(rows, excluded, hooks) {
      // The check reads the org anew and drops the worker's rows with it: its edits are against the table. The copy
      // of the org an earlier check left goes now, before anything else, so a run that does not finish — even one
      // cancelled while its edits are packed — always leaves none (what Review then says: EARLIER_RESULT_STANDS).
      posted = null;
      await ctx.client.orgReset();
      const params = await abortable(predictParams(rows, excluded, null, hooks.signal), 'The check was cancelled.');
      const outcome = await runOrgCheck(
        { connection: ctx.connection, ...params, ...(ctx.users !== undefined ? { users: ctx.users } : {}) },
        { signal: hooks.signal, onProgress: (p) => hooks.onProgress(progressText(p)) },
      );
      if (outcome.kind === 'failed') throw new Error(outcome.message);
      if (outcome.kind === 'cancelled') throw new DOMException('The check was cancelled.', 'AbortError');
      posted = { version: params.rowsVersion, rows };
      return viewOfResult(outcome.result, ctx.mapping, ctx.fields);
    },
    async repredict(rows, excluded, signal) {
      const replaced = 'The re-prediction was replaced by a newer one.';
      // Nothing is posted for an aborted request (the client refuses it before posting), so the base stays.
      if (signal.aborted) throw new DOMException(replaced, 'AbortError');
      let since = posted;
      let params = await abortable(predictParams(rows, excluded, since, signal), replaced);
      // Another request posted while these edits were packed: pack them again against its rows.
      while (posted !== since) {
        since = posted;
        params = await abortable(predictParams(rows, excluded, since, signal), replaced);
      }
      if (signal.aborted) throw new DOMException(replaced, 'AbortError');
      // Posted synchronously by the call below: from here on the worker's base is these rows.
      posted = { version: params.rowsVersion, rows };
      const result = await repredictOrg(params, { signal });
      if (result === null) {
        posted = null;
        return null;
      }
      return viewOfResult(result, ctx.mapping, ctx.fields);
    },
  };
}
