// Pre-flight validation of the whole table before anything is uploaded: the same row rules the emulator applies
// (row-rules.ts), in-file uniqueness, find_by and mapping checks — each issue naming row, line, column, rule and fix.
// Built for 250,000 × 20 cells: validators compiled once per column, no allocation for valid cells.
// This module runs the passes and assembles the result; the parts are issues.ts (the Issue model and wording),
// table-checks.ts, row-check.ts and uniqueness.ts.
import { ascendingColumns, cellAt, readColumns } from '../csv/packed-rows.ts';
import { at, EDIT_FIX, rowIssueList, type ColumnCounts, type Issue, type RowIssues } from './issues.ts';
import { bindKeys, cellOf, cellsOf, lineOf, type PreflightState, type Prepared, type TableInput, type TableValidation } from './preflight-state.ts';
import * as rowCheck from './row-check.ts';
import { prepare } from './table-checks.ts';
import { redecideDuplicates, uniquenessPass } from './uniqueness.ts';

// Module-local copies of the per-row calls (see row-check.ts on why).
const { checkRow, notePicklistRow, rowKeys } = rowCheck;

/** The table-wide warnings (pick-list values not in the list, leading zeros lost), then every row's issues in row order with per-column counts and the predicted skips. */
function assemble(input: TableInput, prep: Prepared, state: PreflightState): TableValidation {
  const dupes = state.dupes;
  const countsByColumn: ColumnCounts[] = input.headers.map(() => ({ errors: 0, warnings: 0 }));
  const picklistWarnings = new Map<number, Issue[]>();
  for (const m of prep.resolved) {
    const perField = state.newPicklist.get(m.field.apiName);
    if (perField === undefined) continue;
    for (const [value, rowList] of perField) {
      const row = rowList[0];
      if (row === undefined) continue;
      const count = rowList.length;
      const line = lineOf(state, row);
      const header = m.index === null ? undefined : input.headers[m.index];
      const list = picklistWarnings.get(row) ?? [];
      list.push({
        row,
        line,
        column: m.index,
        apiName: m.field.apiName,
        code: 'NEW_PICKLIST_VALUE',
        severity: 'warning',
        message: `${at(line, header, m.field)}: '${value}' is not one of ${m.field.label}'s values${count > 1 ? ` (${count.toLocaleString('en-US')} rows use it)` : ''}; Zoho will add it to the pick list. Check the spelling if that is not intended.`,
        fix: EDIT_FIX,
      });
      picklistWarnings.set(row, list);
    }
  }
  for (const m of prep.resolved) {
    const rows = state.leadingZeros.get(m.field.apiName);
    const row = rows?.[0];
    if (rows === undefined || row === undefined) continue;
    const cell = (cellOf(state, row, m.index ?? -1) ?? '').trim();
    const stored = cell.replace(/^(-?)0+(?=\d)/, '$1');
    const line = lineOf(state, row);
    const header = m.index === null ? undefined : input.headers[m.index];
    const list = picklistWarnings.get(row) ?? [];
    list.push({
      row,
      line,
      column: m.index,
      apiName: m.field.apiName,
      code: 'LEADING_ZEROS_LOST',
      severity: 'warning',
      message: `${at(line, header, m.field)}: '${cell}'${rows.length > 1 ? ` and ${(rows.length - 1).toLocaleString('en-US')} other value${rows.length === 2 ? '' : 's'}` : ''} start${rows.length > 1 ? '' : 's'} with 0. ${m.field.label} is a number field, so Zoho stores '${stored}' and the leading zeros are lost. If they matter (codes, ZIPs), map the column to a text field.`,
      fix: { kind: 'map', label: 'Map to a text field' },
    });
    picklistWarnings.set(row, list);
  }
  // Rows with issues in ascending order by marking them, not by a Set of every row and a sort (a million rows with
  // an issue each made both); a row's list is copied and sorted only when it has more than one source or issue.
  const n = state.lines.length;
  const marked = new Uint8Array(n);
  for (const r of dupes.keys()) marked[r] = 1;
  for (const r of picklistWarnings.keys()) marked[r] = 1;
  const issues: Issue[] = [];
  const predictedSkips: number[] = [];
  const byColumn = (a: Issue, b: Issue) => (a.column ?? 1e9) - (b.column ?? 1e9);
  /** Adds one issue to the result and its column's count; true for an error. */
  const take = (i: Issue): boolean => {
    issues.push(i);
    if (i.column !== null) {
      const c = countsByColumn[i.column];
      if (c !== undefined) {
        if (i.severity === 'error') c.errors++;
        else c.warnings++;
      }
    }
    return i.severity === 'error';
  };
  for (let row = 0; row < n; row++) {
    const own = state.local[row] ?? undefined;
    if (own === undefined && marked[row] === 0) continue;
    const dup = dupes.get(row);
    const pick = picklistWarnings.get(row);
    let skip = false;
    if (dup === undefined && pick === undefined && own !== undefined && !Array.isArray(own)) skip = take(own);
    else {
      const all = [...(own === undefined ? [] : rowIssueList(own)), ...(dup ?? []), ...(pick ?? [])];
      all.sort(byColumn);
      for (let k = 0; k < all.length; k++) if (take(all[k] as Issue)) skip = true;
    }
    if (skip) predictedSkips.push(row);
  }
  return { issues, tableIssues: prep.tableIssues, predictedSkips, countsByColumn, state };
}

function hasError(issues: RowIssues): boolean {
  if (!Array.isArray(issues)) return issues.severity === 'error';
  for (let k = 0; k < issues.length; k++) if ((issues[k] as Issue).severity === 'error') return true;
  return false;
}

/** Validate every row and the mapping before upload (contract §8 rules + table-level checks). */
export function validateTable(input: TableInput): TableValidation {
  const steps = validateTableSteps(input, Number.MAX_SAFE_INTEGER);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/**
 * validateTable in slices of `chunkRows` rows: yields the number of rows checked so far, returns the validation.
 * A caller that runs it off the main thread can report progress and stop between slices (the result is the same).
 */
export function* validateTableSteps(input: TableInput, chunkRows: number): Generator<number, TableValidation, void> {
  const prep = prepare(input);
  const state: PreflightState = {
    input,
    local: new Array<RowIssues | null>(input.rows.length).fill(null),
    localError: new Uint8Array(input.rows.length),
    uniqueKeys: new Map(prep.uniqueMappings.map((m) => [m.field.apiName, new Array<string | null>(input.rows.length).fill(null)])),
    recordKeys: new Array<string | null>(input.rows.length).fill(null),
    edits: new Map(),
    newPicklist: new Map(),
    leadingZeros: new Map(),
    dupes: new Map(),
    plainColumns: new Uint8Array(input.headers.length),
    lines: Uint32Array.from(input.rows, (r) => r.line),
    heldCells: new Map(),
  };
  bindKeys(prep, state);
  // Only the columns the rows are checked against can be plain; every other column stays 0.
  for (const m of prep.resolved) if (m.index !== null && m.index < state.plainColumns.length) state.plainColumns[m.index] = 1;
  const { rows, excluded } = input;
  // Only the columns the check reads are cut from a packed row; the array is reused row after row (nothing keeps it).
  // The columns it reads: each resolved mapping's (unique ones included) and the find_by column.
  const columns = ascendingColumns([...prep.resolved.map((m) => m.index), ...prep.uniqueMappings.map((m) => m.index), prep.findByIndex]);
  const cells: (string | undefined)[] = [];
  const slice = Math.max(1, chunkRows);
  for (let from = 0; from < rows.length; from += slice) {
    const to = Math.min(rows.length, from + slice);
    for (let row = from; row < to; row++) {
      const r = rows[row];
      if (r === undefined || excluded?.has(row) === true) continue;
      readColumns(r, columns, cells);
      const issues = checkRow(input, prep, state, row, r.line, cells as readonly string[]);
      if (issues !== null) {
        state.local[row] = issues;
        if (hasError(issues)) state.localError[row] = 1;
      }
      if (prep.uniqueMappings.length > 0 || input.operation !== 'insert') rowKeys(input, prep, state, row, cells as readonly string[]);
    }
    if (to < rows.length) yield to;
  }
  state.dupes = uniquenessPass(input, prep, state);
  return assemble(input, prep, state);
}

/**
 * Re-check one edited row (inline edit), or one row included or excluded (`excluded` given: the row's new state).
 * Cell rules run for that row only; in-file uniqueness is updated incrementally: only rows sharing a unique value with
 * the row (before or after the change) are re-decided, and a row whose written/skipped status flips passes that on to
 * the later rows sharing its values. An excluded row is not checked and holds no unique value, as in a full pass.
 * `previous.state` is updated in place (do not share it); the excluded rows become the state's own copy. `before`:
 * the row's cells before this change, needed once the state let its rows go (detachRows).
 */
export function revalidateRow(
  previous: TableValidation,
  row: number,
  cells: readonly string[],
  excluded?: boolean,
  before?: readonly string[],
): TableValidation {
  const state = previous.state;
  const line = lineOf(state, row);
  if (line === null) return previous;
  // A state that let its rows go (detachRows) learns a row's cells before the change from the caller.
  if (!state.edits.has(row) && state.input.rows[row] === undefined) {
    if (before === undefined) throw new Error(`Row ${row + 1} cannot be re-checked: the check no longer holds its cells. Check the table in full.`);
    state.edits.set(row, before);
  }
  const wasExcluded = state.input.excluded?.has(row) === true;
  if (excluded !== undefined && excluded !== wasExcluded) {
    const set = new Set(state.input.excluded ?? []);
    if (excluded) set.add(row);
    else set.delete(row);
    state.input = { ...state.input, excluded: set };
  }
  const input = state.input;
  const prep = prepare(input);
  bindKeys(prep, state);
  notePicklistRow(input, prep, state, row, cellsOf(state, row), -1);
  state.edits.set(row, cells);
  // An excluded row that stays excluded: nothing about it is checked or held.
  if (wasExcluded && input.excluded?.has(row) === true) return assemble(input, prep, state);
  const oldKeys = prep.uniqueKeyArrays.map((k) => k[row] ?? null);
  if (input.excluded?.has(row) === true) {
    // Just excluded: its issues and the values it held go (the pass never looked at it).
    state.local[row] = null;
    state.localError[row] = 0;
    for (const k of prep.uniqueKeyArrays) k[row] = null;
    if (input.operation !== 'insert') state.recordKeys[row] = null;
  } else {
    const issues = checkRow(input, prep, state, row, line, cells);
    state.local[row] = issues;
    state.localError[row] = issues !== null && hasError(issues) ? 1 : 0;
    rowKeys(input, prep, state, row, cells);
  }
  redecideDuplicates(input, prep, state, row, oldKeys);
  return assemble(input, prep, state);
}

/**
 * A copy of `text` that shares no memory with the string it came from. V8 keeps a substring of 13 or more characters
 * as a view into its parent, so one kept cell keeps its whole batch of rows alive; slicing a concatenation copies its
 * characters first, so the result views only its own copy. Same text either way: this is about memory only.
 */
export function ownText(text: string): string {
  return (text + '\u0000').slice(0, -1);
}

/** `keys` (in place) as slices of one string of their own: a million keys copied as one join, not one by one. */
function ownKeys(keys: (string | null)[]): void {
  const parts: string[] = [];
  for (const k of keys) if (k !== null && k !== undefined) parts.push(k);
  if (parts.length === 0) return;
  const all = parts.join('\u0000');
  let at = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === null || k === undefined) continue;
    keys[i] = all.slice(at, at + k.length);
    at += k.length + 1;
  }
}

/**
 * Lets `v` go of the rows it was made from (decision 152): its state keeps each row's line, copies of the keys and
 * values it holds (they were views into the rows' text, which would keep every row alive), and the cells its
 * messages read again; a later `revalidateRow` needs, for a row not edited before, its cells in `state.edits`.
 * Afterwards the rows can be dropped: re-checks give the same results as before.
 */
export function detachRows(v: TableValidation): void {
  const state = v.state;
  const input = state.input;
  for (const keys of state.uniqueKeys.values()) ownKeys(keys);
  ownKeys(state.recordKeys);
  for (const [apiName, perField] of state.newPicklist) {
    const copy = new Map<string, number[]>();
    for (const [value, rows] of perField) copy.set(ownText(value), rows);
    state.newPicklist.set(apiName, copy);
  }
  // The cells the leading-zero warnings quote: any row of the list may become its first after a re-check.
  for (const m of prepare(input).resolved) {
    const rows = state.leadingZeros.get(m.field.apiName);
    if (rows === undefined || m.index === null) continue;
    for (const row of rows) {
      if (state.edits.has(row)) continue;
      const source = input.rows[row];
      if (source === undefined) continue;
      const cell = cellAt(source, m.index);
      let held = state.heldCells.get(row);
      if (held === undefined) state.heldCells.set(row, (held = new Map<number, string>()));
      held.set(m.index, ownText(cell));
    }
  }
  // The warnings quote values from the rows.
  for (let k = 0; k < v.issues.length; k++) {
    const i = v.issues[k] as Issue;
    if (i.code === 'NEW_PICKLIST_VALUE' || i.code === 'LEADING_ZEROS_LOST') v.issues[k] = { ...i, message: ownText(i.message) };
  }
  state.input = { ...input, rows: [] };
}
