// Data-grid types and the pure helpers behind them (issue roll-ups, formula markers, cell ids).
// Kept out of the .tsx so they can be unit-tested in Node and reused by the steps that feed the grid.
import { defaultRangeExtractor } from '@tanstack/react-virtual';
import type { Range } from '@tanstack/react-virtual';

export type CellSeverity = 'error' | 'warning';

export interface CellIssue {
  readonly severity: CellSeverity;
  readonly message: string;
}

export interface IssueCounts {
  readonly error: number;
  readonly warning: number;
}

export interface GridColumn {
  /** Stable React key (e.g. the CSV column index or header fingerprint). */
  readonly key: string;
  /** The CSV header exactly as the user's file has it; rendered as text only. */
  readonly header: string;
  /** Secondary line, e.g. the mapped CRM field label. */
  readonly subheader?: string;
  /** Per-column totals over ALL rows (not only the rendered ones); the parent computes them. */
  readonly issueCounts?: IssueCounts;
  /**
   * A column the parent derives (e.g. what the org check predicts, or old → new): shown, never opened for editing, and
   * not marked as formula-like (its text is not sent).
   */
  readonly readOnly?: boolean;
}

export type GridRowId = string | number;

export interface GridRow {
  readonly id: GridRowId;
  /** 1-based source line number in the user's file (header is line 1). */
  readonly line: number;
  readonly cells: readonly string[];
  readonly excluded: boolean;
  /** Issues keyed by data-column index (0-based, same index as `cells`). */
  readonly cellIssues?: ReadonlyMap<number, readonly CellIssue[]>;
}

export const NO_ISSUES: IssueCounts = { error: 0, warning: 0 };

/** The most severe issue wins the cell's highlight; undefined when the cell is clean. */
export function worstSeverity(issues: readonly CellIssue[] | undefined): CellSeverity | undefined {
  if (!issues || issues.length === 0) return undefined;
  return issues.some((issue) => issue.severity === 'error') ? 'error' : 'warning';
}

/** Whether any cell in the row carries an issue (used by "Show only rows with issues" filters). */
export function rowHasIssues(row: Pick<GridRow, 'cellIssues'>): boolean {
  if (!row.cellIssues) return false;
  for (const issues of row.cellIssues.values()) if (issues.length > 0) return true;
  return false;
}

/**
 * Roll flat issues up into per-column counts for the header badges. Issues whose column is outside
 * [0, columnCount) are ignored here (they are row/file-level and shown elsewhere), never thrown away upstream.
 */
export function aggregateIssueCounts(issues: Iterable<{ readonly column: number; readonly severity: CellSeverity }>, columnCount: number): IssueCounts[] {
  const errors = new Array<number>(columnCount).fill(0);
  const warnings = new Array<number>(columnCount).fill(0);
  for (const issue of issues) {
    if (!Number.isInteger(issue.column) || issue.column < 0 || issue.column >= columnCount) continue;
    if (issue.severity === 'error') errors[issue.column] = (errors[issue.column] ?? 0) + 1;
    else warnings[issue.column] = (warnings[issue.column] ?? 0) + 1;
  }
  return errors.map((error, i) => ({ error, warning: warnings[i] ?? 0 }));
}

const FORMULA_LEADERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n']);
const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d+)*|\.\d+)$/;

/**
 * A value a spreadsheet would treat as a formula (bad-inputs #35). It is still sent unchanged; the grid only
 * marks it. Plain signed numbers ("-12.5", "+44") are not marked: they are data, and marking them is noise.
 */
export function isFormulaLeading(value: string): boolean {
  const first = value.charAt(0);
  if (!FORMULA_LEADERS.has(first)) return false;
  return !PLAIN_NUMBER.test(value);
}

/** Human text for a column's header badge, e.g. "2 errors, 1 warning" (empty when clean). */
export function describeIssueCounts(counts: IssueCounts | undefined, format: (n: number) => string): string {
  if (!counts) return '';
  const parts: string[] = [];
  if (counts.error > 0) parts.push(`${format(counts.error)} ${counts.error === 1 ? 'error' : 'errors'}`);
  if (counts.warning > 0) parts.push(`${format(counts.warning)} ${counts.warning === 1 ? 'warning' : 'warnings'}`);
  return parts.join(', ');
}

/** One text for a cell's issues, in order, prefixed by severity so colour is never the only signal. */
export function describeCellIssues(issues: readonly CellIssue[] | undefined): string {
  if (!issues || issues.length === 0) return '';
  return issues.map((issue) => `${issue.severity === 'error' ? 'Error' : 'Warning'}: ${issue.message}`).join(' ');
}

/** Width of every data column: the minimum, or wider so that a few columns fill the available width. */
export function stretchedColumnWidth(minWidth: number, columnCount: number, availableWidth: number): number {
  if (columnCount <= 0 || !Number.isFinite(availableWidth) || availableWidth <= 0) return minWidth;
  return Math.max(minWidth, Math.floor(availableWidth / columnCount));
}

/** Keep the focused row/column rendered even when scrolled away, so the roving tab stop always exists. */
export function withActive(range: Range, active: number): number[] {
  const indexes = defaultRangeExtractor(range);
  if (active < 0 || active >= range.count || indexes.includes(active)) return indexes;
  return [...indexes, active].sort((a, b) => a - b);
}

/**
 * Rows per virtual item. Up to BAND_FROM rows each row is an item; past it the virtualiser gets bands of rows, at most
 * BAND_ITEMS of them: it lays out every item whenever the count changes (an object and a size lookup per item). A
 * million rows as items was a ~100 ms main-thread task when Review opened; 100,000 bands still cost ~30 ms of it.
 */
export function rowsPerBand(rowCount: number): number {
  return rowCount <= BAND_FROM ? 1 : Math.ceil(rowCount / BAND_ITEMS);
}

export const BAND_FROM = 100_000;
export const BAND_ITEMS = 10_000;

/**
 * With bands, which rows are drawn is decided by the scroll position, not by the bands (a band is ~100 rows at a
 * million): the first row drawn moves in steps of `WINDOW_STEP` rows, so scrolling re-renders every few rows, and
 * `WINDOW_STEP` rows more are drawn on each side than the viewport holds, so no frame shows a gap between steps.
 * Four, not eight: a frame that moves far (a fling, a dragged scrollbar) draws a whole new window, and 8 drew ~36
 * rows for the ~12 in view; at a million rows its frames took 43–47 ms (median) with tasks up to 125 ms, with 4
 * 28–34 ms and tasks up to 71 ms (docs/benchmarks.md §6, session 18).
 */
export const WINDOW_STEP = 4;

/** The first row of the drawn window for a scroll position (rows start under the header, `rowHeight` each). */
export function windowStart(scrollTop: number, rowHeight: number): number {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  return first - (first % WINDOW_STEP);
}

/**
 * The rows drawn with bands, each with its offset from the top of the body, in order: those from `start` less a step
 * to a step past the viewport's end, plus `active` (the roving tab stop must exist even when scrolled away).
 */
export function windowRows(start: number, viewportHeight: number, rowCount: number, rowHeight: number, active: number): { index: number; start: number }[] {
  const from = Math.max(0, start - WINDOW_STEP);
  const to = Math.min(rowCount, start + Math.ceil(viewportHeight / rowHeight) + 2 * WINDOW_STEP);
  const out: { index: number; start: number }[] = [];
  if (active >= 0 && active < from && active < rowCount) out.push({ index: active, start: active * rowHeight });
  for (let r = from; r < to; r++) out.push({ index: r, start: r * rowHeight });
  if (active >= to && active < rowCount) out.push({ index: active, start: active * rowHeight });
  return out;
}

/**
 * Where to scroll so row `row` is in view: unchanged when it is, else its bottom at the viewport's bottom or its top
 * just under the sticky header. The body starts below the header inside the scrolled content, which the
 * virtualiser's own scrollToIndex does not know: moving down with the keyboard left the focused row hidden under the
 * viewport's bottom edge by the header's height.
 */
export function scrollOffsetToShow(row: number, rowHeight: number, view: { offset: number; size: number; header: number; max: number }): number {
  const top = view.header + row * rowHeight;
  const bottom = top + rowHeight;
  let to = view.offset;
  if (bottom > view.offset + view.size) to = bottom - view.size;
  else if (top < view.offset + view.header) to = top - view.header;
  return Math.max(0, Math.min(view.max, to));
}

/**
 * The row height that lets every row be scrolled to. Chromium lays out at most 33,554,432 px (2^25, its LayoutUnit):
 * 1,000,000 rows of 36 px (36,000,000 px) left the last ~68,000 rows below the furthest scroll position. Past
 * ~930,000 rows the rows get shorter (33 px at a million, the most a file may have), never under `MIN_ROW_HEIGHT`.
 */
export function fittedRowHeight(requested: number, rowCount: number, header: number): number {
  if (rowCount <= 0) return requested;
  return Math.max(MIN_ROW_HEIGHT, Math.min(requested, Math.floor((MAX_LAYOUT_PX - header) / rowCount)));
}

export const MAX_LAYOUT_PX = 33_554_432 - 1_000;
const MIN_ROW_HEIGHT = 24;
