// What the check against the org found, as the Review step shows it: per-row outcome and reason, changed cells
// (old → new), and the counts "will add · will update · will skip" merged with the file-only prediction. Plain
// data and pure functions (unit-tested); the app adapts the org-check run's result into OrgCheckView.
import type { SourceRow } from '../../domain/csv/types.ts';
import type { PackedFix } from '../../worker/column-fixes.ts';
import type { CellIssueView, ReviewModel, RowIssues } from './review-model.ts';

export type OrgOutcome = 'add' | 'update' | 'skip';

/** Row indexes, ascending: the check's packed lists as they come (a million-row check copies none of them). */
export type RowList = ArrayLike<number> & Iterable<number>;

/** One row as the org check predicts it. */
export interface OrgRowView {
  outcome: OrgOutcome;
  /** The existing record the row updates, or the one it duplicates / matches ambiguously; null for a new record. */
  recordId: string | null;
  /** Short plain words for the grid: "Updates record 4150…: 2 fields change.", "Adds a new record.", "Skipped: …". */
  reason: string;
  /** The full explanation for the findings list: the value, what Zoho does and what to do about it. */
  detail: string;
  /** CSV column the reason is about (highlighted in the grid), or null for the row as a whole. */
  column: number | null;
  /** error: the row will be skipped; warning: it goes through but needs a look (e.g. a shared match value). */
  severity: 'error' | 'warning' | null;
}

/** One cell whose value differs from the org's. */
export interface OrgChangeView {
  column: number;
  apiName: string;
  before: string;
  after: string;
}

/**
 * A finished check, read lazily: the run keeps its per-row results packed (an org of 200,000 records and a file
 * of 100,000 rows must not become 100,000 objects on the main thread), so rows are asked for by index.
 */
export interface OrgCheckView {
  /** The outcome of row i as the check saw it; null when the check did not see the row. */
  outcome(i: number): OrgOutcome | null;
  /** Row i in full (reason, record id, the column it is about), built when asked for. */
  row(i: number): OrgRowView | null;
  /** row(i)'s column and severity alone (null when it has none), without its words: what the counts need. */
  finding(i: number): { column: number | null; severity: 'error' | 'warning' } | null;
  /** Rows with something to say (skipped, or a warning), ascending. */
  flagged: RowList;
  /** Zoho's codes and fields row i is predicted to be skipped with (empty when it goes through or was not seen). */
  errors(i: number): readonly { code: string; apiName: string }[];
  /** Per-cell issues of row i for the grid (column null = the row as a whole). */
  issues(i: number): readonly { column: number | null; severity: 'error' | 'warning'; message: string; code?: string }[];
  /** Changed cells of a matched row i (empty when it changes nothing or matched no record). */
  changes(i: number): readonly OrgChangeView[];
  /** Matched rows that change at least one value, ascending. */
  changedRows: RowList;
  /** Matched rows that change nothing, ascending. */
  unchangedRows: RowList;
  /** Will add / update / skip over the rows the check saw (its excluded rows are none of them). */
  counts: { add: number; update: number; skip: number };
  /** Changed cells per field over every row the check saw. */
  perField: readonly { column: number; apiName: string; rows: number }[];
  /** Near-match clean-ups (case, spaces) in the same shape as the column clean-ups, applied only on confirmation. */
  fixes: readonly PackedFix[];
  /** One line a person reads when the check has finished: "Checked against the org: 1,204 contacts, 12 users." */
  summary: string;
}

/** What the check will read, known before it starts (shown with its cost). */
export interface OrgCheckPlanView {
  reads: { module: string; fields: readonly string[]; jobs: number }[];
  readsUsers: boolean;
  creditsPerJob: number;
}

/** What a finished check read: for which destination, which fields of which modules, and whether the users. */
export interface OrgRead {
  destination: string | null;
  reads: readonly { module: string; fields: readonly string[] }[];
  readsUsers: boolean;
}

/** Whether a read holds all a plan needs: every field of every module it reads, and the users when it reads them. */
export function readCovers(read: OrgRead, plan: Pick<OrgRead, 'reads' | 'readsUsers'>): boolean {
  if (plan.readsUsers && !read.readsUsers) return false;
  return plan.reads.every((p) => {
    const held = read.reads.find((r) => r.module === p.module);
    return held !== undefined && p.fields.every((f) => held.fields.includes(f));
  });
}

export interface OrgCheckProgress {
  /** Plain words: "Waiting for Zoho to prepare Contacts", "Reading Contacts", "Comparing rows". */
  phase: string;
  done: number;
  /** null while the amount is not known (a Bulk Read job being prepared). */
  total: number | null;
}

/** The check as Review drives it; the app builds it from the org-check run (connection, module, mapping). */
export interface OrgCheckApi {
  plan: OrgCheckPlanView;
  /** Reads the org and predicts every row as it stands; rejects with a message a person can act on; stops on abort. */
  run(
    rows: readonly SourceRow[],
    excluded: ReadonlySet<number>,
    hooks: { onProgress: (p: OrgCheckProgress) => void; signal: AbortSignal },
  ): Promise<OrgCheckView>;
  /**
   * Predicts every row again against the org as the last check read it (nothing is read from the org), after edits
   * or a change of the excluded rows; null when that read is no longer held (run the check again). Stops on abort.
   */
  repredict(rows: readonly SourceRow[], excluded: ReadonlySet<number>, signal: AbortSignal): Promise<OrgCheckView | null>;
}

/** A finished check and the row objects it saw (rows edited since are no longer described by it). */
export interface HeldOrgCheck {
  view: OrgCheckView;
  rows: readonly SourceRow[];
  /** The rows left out when it predicted (they write nothing, so later rows may depend on it); absent = none. */
  excluded?: ReadonlySet<number>;
  /**
   * Set when the rows changed and the org could not be predicted again (its read is no longer held): the view
   * describes rows that are gone, so nothing of it is shown — only this message and Check again.
   */
  stale?: string;
}

/**
 * Whether an earlier check's result is on screen — what a run that does not finish leaves shown (the panel then
 * says so rather than that only the file-only prediction stands). A stale check shows nothing of its result.
 */
export function earlierResultShown(held: HeldOrgCheck | null): boolean {
  return held !== null && held.stale === undefined;
}

/** Whether two sets of row indexes hold the same rows. */
export function sameRows(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const i of a) if (!b.has(i)) return false;
  return true;
}

const NONE: ReadonlySet<number> = new Set();

/** Whether the held check was predicted for exactly these rows and exclusions (else a re-prediction is due). */
export function describesRows(held: HeldOrgCheck, rows: readonly SourceRow[], excluded: ReadonlySet<number>): boolean {
  if (held.rows !== rows) {
    if (held.rows.length !== rows.length) return false;
    for (let i = 0; i < rows.length; i++) if (held.rows[i] !== rows[i]) return false;
  }
  return sameRows(held.excluded ?? NONE, excluded);
}

export interface PredictedOutcome {
  add: number;
  update: number;
  skip: number;
  /** Included rows the check did not see as they stand now (edited after it ran): counted by the file-only prediction. */
  unchecked: number;
}

/** Whether row i still holds exactly what the check saw (edits replace the row object; see effectiveRows). */
export function isFresh(checkedRows: readonly SourceRow[], rows: readonly SourceRow[], i: number): boolean {
  return checkedRows[i] === rows[i];
}

/**
 * Will add / update / skip over the included rows. A row the file-only check predicts to be skipped is a skip
 * whatever the org says (Zoho refuses it before looking at the org); a row edited since the check falls back to
 * the file-only prediction (a skip, else what the operation does to a row without the org) and is counted as
 * unchecked, so the number never claims more than was checked.
 */
export function predictedOutcome(p: {
  rows: readonly SourceRow[];
  excluded: ReadonlySet<number>;
  /** Rows the file-only check predicts Zoho skips (any order). */
  fileSkips: ArrayLike<number>;
  check: HeldOrgCheck | null;
  /** What a row the org check did not see does: insert → add; update → update; upsert → add or update (unknown). */
  operation: 'insert' | 'update' | 'upsert';
}): PredictedOutcome {
  if (p.check === null) return fileOnlyOutcome(p.rows.length, p.excluded, p.fileSkips, p.operation);
  // A byte per row, not a Set: with every row of a million-row file predicted to be skipped, building a Set of them
  // was the largest part of this pass on the main thread.
  const skips = new Uint8Array(p.rows.length);
  const fileSkips = p.fileSkips;
  for (let k = 0; k < fileSkips.length; k++) {
    const i = fileSkips[k] as number;
    if (i >= 0 && i < skips.length) skips[i] = 1;
  }
  const anyExcluded = p.excluded.size > 0;
  // Plain counters, not out[outcome] += 1 (a store by a computed key per row): this pass was ~10 ms of the task that
  // showed a check's answer on a 100,000-row file.
  const { rows } = p;
  const { view, rows: checkedRows } = p.check;
  const uncheckedWrites = p.operation === 'update' ? 'update' : 'add';
  let add = 0;
  let update = 0;
  let skip = 0;
  let unchecked = 0;
  // The rows the check saw, unedited (as when its answer arrives): no row to compare.
  const allFresh = checkedRows === rows;
  const c = view.counts;
  const sameExcluded = p.check.excluded === p.excluded || (p.excluded.size === 0 && (p.check.excluded?.size ?? 0) === 0);
  if (sameExcluded && checkedRows.length === rows.length && c.add + c.update + c.skip === rows.length - p.excluded.size) {
    // The exclusions the check predicted with: its own counts, with the file-only skips moved over (a pass over
    // those, not over a million rows, after every answer).
    ({ add, update, skip } = c);
    for (let k = 0; k < fileSkips.length; k++) {
      const i = fileSkips[k] as number;
      if (skips[i] !== 1 || (anyExcluded && p.excluded.has(i))) continue;
      skips[i] = 2; // counted (the list may repeat a row)
      const org = view.outcome(i);
      if (org === 'add') add -= 1;
      else if (org === 'update') update -= 1;
      if (org !== 'skip') skip += 1;
    }
    if (!allFresh) {
      // Rows edited since the check: their org outcome is taken back and they count as unchecked (a file-only
      // skip stays a skip). Finding them is a comparison of references per row; looking up every row's outcome,
      // as the pass below does, was ~30 ms of Review's task after one edit of a million-row file.
      for (let i = 0; i < rows.length; i++) {
        if (checkedRows[i] === rows[i] || skips[i] !== 0 || (anyExcluded && p.excluded.has(i))) continue;
        const org = view.outcome(i);
        if (org === 'add') add -= 1;
        else if (org === 'update') update -= 1;
        else if (org === 'skip') skip -= 1;
        unchecked += 1;
        if (uncheckedWrites === 'update') update += 1;
        else add += 1;
      }
    }
    return { add, update, skip, unchecked };
  }
  for (let i = 0; i < rows.length; i++) {
    if (anyExcluded && p.excluded.has(i)) continue;
    if (skips[i] === 1) {
      skip += 1;
      continue;
    }
    const org = allFresh || checkedRows[i] === rows[i] ? view.outcome(i) : null;
    if (org === null) {
      unchecked += 1;
      if (uncheckedWrites === 'update') update += 1;
      else add += 1;
    } else if (org === 'add') add += 1;
    else if (org === 'update') update += 1;
    else skip += 1;
  }
  return { add, update, skip, unchecked };
}

/**
 * predictedOutcome without an org check, counted from the skips and the exclusions alone: Review renders it after
 * every edit, and a pass over a million rows (a Set lookup each) was ~100 ms of that render's task.
 */
function fileOnlyOutcome(
  rows: number,
  excluded: ReadonlySet<number>,
  fileSkips: ArrayLike<number>,
  operation: 'insert' | 'update' | 'upsert',
): PredictedOutcome {
  let included = rows;
  for (const i of excluded) if (i >= 0 && i < rows) included -= 1;
  // Each skipped row counted once (the list may repeat a row).
  const counted = new Uint8Array(rows);
  let skip = 0;
  for (let k = 0; k < fileSkips.length; k++) {
    const i = fileSkips[k] as number;
    if (i < 0 || i >= rows || counted[i] === 1 || excluded.has(i)) continue;
    counted[i] = 1;
    skip += 1;
  }
  const written = included - skip;
  return { add: operation === 'update' ? 0 : written, update: operation === 'update' ? written : 0, skip, unchecked: 0 };
}

/**
 * The rows of `list` still included and as the check saw them: `list` itself when every row is (the answer as it
 * arrives), else a typed copy. A plain array grown by push was ~85 ms of Review's task after one edit of a
 * million-row file (480,000 changing rows; 44 ms in Node against 4–9 ms into a Uint32Array).
 */
function freshIncluded(list: RowList, checkedRows: readonly SourceRow[], rows: readonly SourceRow[], excluded: ReadonlySet<number>): RowList {
  const anyExcluded = excluded.size > 0;
  const allFresh = checkedRows === rows;
  if (allFresh && !anyExcluded) return list;
  const out = new Uint32Array(list.length);
  let n = 0;
  for (let k = 0; k < list.length; k++) {
    const i = list[k]!;
    if ((allFresh || checkedRows[i] === rows[i]) && !(anyExcluded && excluded.has(i))) out[n++] = i;
  }
  return out.subarray(0, n);
}

/** Matched rows, still included and unedited, that change nothing (one click excludes them). */
export function unchangedMatchedRows(
  view: OrgCheckView,
  checkedRows: readonly SourceRow[],
  rows: readonly SourceRow[],
  excluded: ReadonlySet<number>,
): RowList {
  return freshIncluded(view.unchangedRows, checkedRows, rows, excluded);
}

/** Matched rows, still included and unedited, that change something (for "Show only rows that change"). */
export function changingRows(view: OrgCheckView, checkedRows: readonly SourceRow[], rows: readonly SourceRow[], excluded: ReadonlySet<number>): RowList {
  return freshIncluded(view.changedRows, checkedRows, rows, excluded);
}

/**
 * Matched rows, rows among them that change something, and changes per field — over the included, unedited rows.
 * The per-field figures start from the whole check and take off only the rows left out, so an exclusion costs
 * the excluded rows, not a pass over every change. `changing` and `unchanged` are changingRows and
 * unchangedMatchedRows of the same arguments, when the caller has them already.
 */
export function changeCounts(
  view: OrgCheckView,
  checkedRows: readonly SourceRow[],
  rows: readonly SourceRow[],
  excluded: ReadonlySet<number>,
  changing: RowList = changingRows(view, checkedRows, rows, excluded),
  unchanged: RowList = unchangedMatchedRows(view, checkedRows, rows, excluded),
): { matched: number; changing: number; perField: { column: number; apiName: string; rows: number }[] } {
  const per = new Map(view.perField.map((f) => [f.column, { ...f }]));
  const all = view.changedRows;
  if (changing.length !== all.length) {
    // `changing` is `all` without the rows left out, both ascending: one walk finds those rows. (A Set of the
    // 48,000 kept ones was ~8 ms of a 52 ms task after a one-cell edit of a 100,000-row file.)
    let k = 0;
    for (let a = 0; a < all.length; a++) {
      const i = all[a]!;
      if (k < changing.length && changing[k] === i) {
        k++;
        continue;
      }
      for (const c of view.changes(i)) {
        const f = per.get(c.column);
        if (f) f.rows -= 1;
      }
    }
  }
  return {
    matched: changing.length + unchanged.length,
    changing: changing.length,
    perField: [...per.values()].filter((f) => f.rows > 0).sort((a, b) => a.column - b.column),
  };
}

/**
 * The text of a changed cell: `old → new`, with empties named so a cleared value is visible, and spaces a grid cell
 * would not show (around the value, two or more in a row, tabs, line breaks) shown as `·` inside quotes: "Chemist "
 * → "Chemist" read as "Chemist → Chemist" before.
 */
export function changeText(c: Pick<OrgChangeView, 'before' | 'after'>): string {
  const show = (v: string) => (v === '' ? '(empty)' : HIDDEN_SPACE.test(v) ? `“${v.replace(/\s/g, '·')}”` : v);
  return `${show(c.before)} → ${show(c.after)}`;
}

/** Whitespace a rendered cell hides: at either end, two in a row, or any but a plain space. */
const HIDDEN_SPACE = /^\s|\s$|\s\s|[^\S ]/;

/** Whether the file-only check already says exactly this about that cell (the same words, the same severity). */
function saidAlready(own: ReadonlyMap<number, readonly CellIssueView[]> | undefined, x: { column: number | null; severity: string; message: string }): boolean {
  return own?.get(x.column ?? -1)?.some((y) => y.severity === x.severity && y.message.endsWith(x.message)) === true;
}

/**
 * The org check's findings on row i for the grid: its cell issues, or a skip without one on the row as a whole —
 * unless the file-only check already flags that cell (`own`): a row skipped for a rule of the file is the same finding,
 * not a second one.
 */
function orgFindings(
  view: OrgCheckView,
  i: number,
  own: ReadonlyMap<number, readonly CellIssueView[]> | undefined,
): { column: number; severity: 'error' | 'warning'; message: string }[] {
  const issues = view.issues(i);
  if (issues.length > 0) return issues.filter((x) => !saidAlready(own, x)).map((x) => ({ column: x.column ?? -1, severity: x.severity, message: x.message }));
  const r = view.row(i);
  if (!r?.severity || own?.has(r.column ?? -1)) return [];
  return [{ column: r.column ?? -1, severity: r.severity, message: r.reason }];
}

/**
 * The review model with the org check's findings added to the rows it flagged (still as they were checked): each
 * issue on the cell it is about, a skip without a cell issue on the row. Neither index is copied: a flagged row's
 * merged issues are built when the grid asks for that row (and kept), so a check that flags 50,000 rows costs one
 * pass for the counts, not a copy of every row's issues on the main thread after each re-prediction.
 */
export function withOrgIssues(model: ReviewModel, held: HeldOrgCheck | null, rows: readonly SourceRow[]): ReviewModel {
  if (!held || held.view.flagged.length === 0) return model;
  const { view } = held;
  const base = model.byRow;
  const countsByColumn = model.countsByColumn.map((c) => ({ ...c }));
  const marked = new Uint8Array(rows.length);
  let added = 0;
  for (let k = 0; k < view.flagged.length; k++) {
    const i = view.flagged[k]!;
    if (i >= rows.length || !isFresh(held.rows, rows, i)) continue;
    // Counted from the findings' columns and severities: their words are built when the grid shows the row.
    const issues = view.issues(i);
    const own = base.get(i);
    // A skip without a cell issue of its own, on a cell the file-only check flags already — or the very words the
    // file-only check gives that cell (a user it names, read on Map): counted once.
    const finding = issues.length > 0 ? null : view.finding(i);
    const found = issues.length > 0 ? issues.filter((x) => !saidAlready(own, x)) : finding !== null && !own?.has(finding.column ?? -1) ? [finding] : [];
    let any = false;
    for (const x of found) {
      any = true;
      const c = countsByColumn[x.column ?? -1];
      if (c) c[x.severity] += 1;
    }
    if (!any) continue;
    marked[i] = 1;
    if (!base.has(i)) added++;
  }
  const merged = new Map<number, ReadonlyMap<number, readonly CellIssueView[]>>();
  const byRow: RowIssues = {
    size: base.size + added,
    has: (i) => marked[i] === 1 || base.has(i),
    get(i) {
      if (marked[i] !== 1) return base.get(i);
      let m = merged.get(i);
      if (m === undefined) {
        const own = new Map<number, CellIssueView[]>([...(base.get(i) ?? [])].map(([c, l]) => [c, [...l]]));
        for (const x of orgFindings(view, i, base.get(i))) {
          const list = own.get(x.column);
          const v = { severity: x.severity, message: x.message };
          if (list) list.push(v);
          else own.set(x.column, [v]);
        }
        merged.set(i, (m = own));
      }
      return m;
    },
  };
  return { byRow, countsByColumn, rowBlocks: model.rowBlocks };
}

/**
 * What the grid's "In the org" column says for row i. `updating`: a re-prediction of the rows as they stand is on
 * its way, so an edited row says it is being checked rather than that the check is out of date.
 */
export function orgCellText(held: HeldOrgCheck, rows: readonly SourceRow[], excluded: ReadonlySet<number>, i: number, updating: boolean): string {
  if (!isFresh(held.rows, rows, i)) return updating ? 'Edited: checking again…' : 'Edited since the check';
  // An excluded row is predicted as writing nothing (so the rows after it are predicted without it).
  if (excluded.has(i)) return 'Excluded: not sent.';
  return held.view.row(i)?.reason ?? (updating ? 'Checking again…' : 'Not checked');
}
