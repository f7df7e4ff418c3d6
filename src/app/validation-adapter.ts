// Bridges pre-flight validation in the import worker to the Review step's view: per-cell issues with plain
// messages, table-level blocks, the rows predicted to be skipped, and the column clean-up suggestions. The whole
// table is checked in the worker (progress, cancellable); an inline edit of one row asks the worker to re-check
// that row and applies only the rows whose issues changed, so nothing runs over the whole table on the main thread.
import type { ParsedTable, SourceRow } from '../domain/csv/types.ts';
import type { Operation } from '../domain/fields/field-meta.ts';
import type { FieldModel } from '../domain/fields/field-model.ts';
import type { Mapping } from '../domain/mapping/mapping.ts';
import type { OrgUser } from '../domain/org-check/types.ts';
import { nextTask } from '../lib/next-task.ts';
import { editsAgainst } from '../lib/pack-edits.ts';
import { IssueIndex, type ValidationView } from '../steps/review-step/review-model.ts';
import type { PackedFix } from '../worker/column-fixes.ts';
import { forEachIssue, type UnpackedIssue } from '../worker/issue-pack.ts';
import type { CallHandlers, ImportClient } from '../worker/import-client.ts';
import type { RevalidateInput, WorkerFixes, WorkerValidation } from '../worker/protocol.ts';

export interface ReviewContext {
  /** The parsed table under review (the worker validates its own copy of it). */
  table: ParsedTable;
  mapping: Mapping;
  fields: readonly FieldModel[];
  operation: Operation;
  findBy: string | null;
  excluded: ReadonlySet<number>;
  /** The org's users when owner or user-lookup columns are mapped and they have been read (TableInput.users). */
  users?: readonly OrgUser[] | null;
}

export interface ValidateHooks {
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /**
   * A view whose `fixesPending` is true (after a one-row re-check) is followed by this call with the same view and
   * the clean-ups brought up to date, unless the signal aborts or a newer result comes first.
   */
  onFixes?: (view: ValidationView) => void;
}

/** Validates the rows as they stand (the parsed rows with Review's edits applied: effectiveRows). */
export type ReviewValidator = (ctx: ReviewContext, rows: readonly SourceRow[], hooks?: ValidateHooks) => Promise<ValidationView>;

interface Kept {
  ctx: ReviewContext;
  rows: readonly SourceRow[];
  /** The worker state these issues describe; a row re-check names it. */
  base: number;
  index: IssueIndex;
  /** Clean-up suggestions per column. */
  fixes: Map<number, PackedFix[]>;
  view: ValidationView;
}

function viewOf(index: IssueIndex, fixes: ReadonlyMap<number, PackedFix[]>, r: WorkerValidation): ValidationView {
  return {
    byRow: index,
    countsByColumn: index.countsByColumn,
    tableBlocks: r.tableIssues.filter((i) => i.severity === 'error').map((i) => i.message),
    predictedSkips: r.predictedSkips,
    fixes: fixList(fixes),
    fixesPending: r.fixesPending,
  };
}

const fixList = (fixes: ReadonlyMap<number, PackedFix[]>): PackedFix[] => [...fixes].sort((a, b) => a[0] - b[0]).flatMap(([, f]) => f);

/** A result's suggestions replace those of the columns it names (all of them after a full check). */
function mergeFixes(previous: ReadonlyMap<number, PackedFix[]> | null, r: WorkerValidation | WorkerFixes): Map<number, PackedFix[]> {
  const out = new Map(('changedRows' in r && r.changedRows === null) || previous === null ? [] : previous);
  for (const col of r.fixColumns)
    out.set(
      col,
      r.fixes.filter((f) => f.column === col),
    );
  return out;
}

const YIELD_AFTER_ISSUES = 100_000;

/**
 * Applies a worker result: a full check becomes a new index over its packed issues (nothing per issue is built on
 * the main thread); a re-check replaces the changed rows' issues in the previous index.
 */
function apply(columns: number, previous: IssueIndex | null, r: WorkerValidation): IssueIndex {
  if (r.changedRows === null || previous === null) return IssueIndex.fromPacked(columns, r.issues);
  for (const row of r.changedRows) previous.clearRow(row);
  forEachIssue(r.issues, (i: UnpackedIssue) => previous.add(i.row, i.column ?? -1, { severity: i.severity, message: i.message }));
  return previous;
}

/**
 * The one row whose exclusion differs between two contexts that are otherwise the same (same table, mapping, fields,
 * operation, find_by and users), or null.
 */
function toggledRow(before: ReviewContext, after: ReviewContext): number | null {
  if (before.table !== after.table || before.mapping !== after.mapping || before.fields !== after.fields) return null;
  if (before.operation !== after.operation || before.findBy !== after.findBy || (before.users ?? null) !== (after.users ?? null)) return null;
  const [small, large] = before.excluded.size < after.excluded.size ? [before.excluded, after.excluded] : [after.excluded, before.excluded];
  if (large.size !== small.size + 1) return null;
  for (const r of small) if (!large.has(r)) return null;
  for (const r of large) if (!small.has(r)) return r;
  return null;
}

/**
 * A validator that remembers its last result, so a one-cell edit, or one row included or excluded, re-checks one row
 * (one per Review visit).
 */
export function createReviewValidator(client: ImportClient): ReviewValidator {
  let kept: Kept | null = null;
  // `previous`: the result `r` updates (a re-check's changed rows and clean-ups go over it); none after a full check.
  const remember = (ctx: ReviewContext, rows: readonly SourceRow[], r: WorkerValidation, previous: Kept | null): ValidationView => {
    const index = apply(ctx.table.headers.length, previous?.index ?? null, r);
    const fixes = mergeFixes(previous?.fixes ?? null, r);
    const view = viewOf(index, fixes, r);
    kept = { ctx, rows, base: r.base, index, fixes, view };
    return view;
  };
  // After the row's issues are shown, the clean-ups of the columns it changed (read over whole columns in the worker).
  const refresh = (base: number, columns: readonly number[], hooks: ValidateHooks): void => {
    client.refreshFixes(base, {}, columns).then(
      (f) => {
        const now = kept;
        if (f === null || now === null || now.base !== f.base) return;
        const fixes = mergeFixes(now.fixes, f);
        const view: ValidationView = { ...now.view, fixes: fixList(fixes), fixesPending: false };
        kept = { ...now, fixes, view };
        if (hooks.signal?.aborted !== true) hooks.onFixes?.(view);
      },
      // A failed refresh leaves the clean-ups as they were; the next check works them out again.
      () => undefined,
    );
  };
  /**
   * One row re-checked against the last result, which it updates (`last`; null: the worker no longer holds that
   * result, or a newer one came first — the caller checks in full). The row's clean-ups follow when pending.
   */
  const recheck = async (
    ctx: ReviewContext,
    rows: readonly SourceRow[],
    last: Kept,
    input: Omit<RevalidateInput, 'base' | 'cells'>,
    hooks: ValidateHooks,
    handlers: CallHandlers,
  ): Promise<ValidationView | null> => {
    // `before`: the row as that check saw it (a worker that let its rows go no longer has it; decision 152).
    const r = await client.revalidate(
      { ...input, base: last.base, cells: [...(rows[input.rowIndex]?.cells ?? [])], before: [...(last.rows[input.rowIndex]?.cells ?? [])] },
      handlers,
    );
    if (r === null || kept !== last) return null;
    const view = remember(ctx, rows, r, last);
    if (r.fixesPending) refresh(r.base, r.staleColumns, hooks);
    return view;
  };

  return async (ctx, rows, hooks = {}) => {
    const handlers = {
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.onProgress ? { onProgress: (p: { done: number; total: number }) => hooks.onProgress?.(p.done, p.total) } : {}),
    };
    const last = kept;
    // One row included or excluded, nothing else changed: that row is re-checked (a full check at a million rows was
    // 5–8 s of the worker before the counts moved).
    const toggled = last && last.ctx !== ctx && last.rows === rows ? toggledRow(last.ctx, ctx) : null;
    if (last && toggled !== null) {
      const view = await recheck(ctx, rows, last, { rowIndex: toggled, excluded: ctx.excluded.has(toggled) }, hooks, handlers);
      if (view !== null) return view;
    }
    if (last && last.ctx === ctx && last.rows.length === rows.length) {
      // Rows keep their identity unless edited, so a reference check finds the changed rows.
      const changed: number[] = [];
      for (let i = 0; i < rows.length && changed.length < 2; i++) if (rows[i] !== last.rows[i]) changed.push(i);
      if (changed.length === 0) return last.view;
      const row = changed[0];
      if (changed.length === 1 && row !== undefined) {
        const view = await recheck(ctx, rows, last, { rowIndex: row }, hooks, handlers);
        if (view !== null) return view;
      }
    }
    // Only the changed cells cross to the worker, packed in slices of this thread as the plan's are (decision 142):
    // after a clean-up of a million rows every row is edited, and sending each row whole cut 20 million cells here
    // and cloned them in one task.
    const edits = await editsAgainst(ctx.table.rows, rows, hooks.signal);
    const r = await client.validate(
      {
        mapping: ctx.mapping,
        fields: ctx.fields,
        operation: ctx.operation,
        findBy: ctx.findBy,
        ignoreEmpty: false,
        excluded: [...ctx.excluded],
        ...(ctx.users ? { users: ctx.users } : {}),
        edits,
        withFixes: true,
      },
      handlers,
      ctx.table,
    );
    // A large result arrives in one message task (its structured clone is ~100 ms at a million issues): index it in
    // the next task, so the two are not one long main-thread task.
    if (r.issues.rows.length >= YIELD_AFTER_ISSUES) await nextTask();
    return remember(ctx, rows, r, null);
  };
}
