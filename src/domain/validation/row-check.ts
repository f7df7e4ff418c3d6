// The row-local part of pre-flight: one row's cells against the row rules the emulator applies (row-rules.ts) —
// mandatory, per-type value checks, the find_by cell — plus what a row contributes to table-wide notes (pick-list
// values not in the list, leading zeros a number field drops) and to the uniqueness pass (its unique and record keys).
import { plainEnds } from '../fields/normalisers.ts';
import type { CompiledValidator, FieldValue } from '../fields/validate-value.ts';
import { addRowIssue, DEFAULT_FIX, EDIT_FIX, FIX_BY_RULE, location, TRIM_FIX, type Issue, type RowIssues } from './issues.ts';
import type { PreflightState, Prepared, TableInput } from './preflight-state.ts';
import * as rules from './row-rules.ts';
import type { ResolvedMapping } from './row-rules.ts';
import { lowerBound } from './uniqueness.ts';
import { resolveUserValue, userResolutionReason, type UserDirectory } from '../org-check/users.ts';

// Module-local copies of the hot imports: some loaders (tsx/CJS interop) turn each imported binding into a getter
// call, which costs more than the rule itself when run 5 million times.
const { CELL_ABSENT, CELL_BLANK, CELL_INVALID, CELL_MANDATORY, CELL_VALUE, cellRaw, classifyCell, isBlank, uniqueKey } = rules;

/** `0` followed by a digit (after an optional `-`): the zero carries no value in a number. */
function hasLeadingZero(s: string): boolean {
  const i = s.charCodeAt(0) === 45 ? 1 : 0;
  const next = s.charCodeAt(i + 1);
  return s.charCodeAt(i) === 48 && next >= 48 && next <= 57;
}

/** A valid checkbox cell the yes/no clean-up would still rewrite ('TRUE', 'yes', '1' → 'true'). */
function notCanonical(m: ResolvedMapping, cell: string): boolean {
  return m.field.dataType === 'boolean' && cell !== 'true' && cell !== 'false';
}

/** Adds `row` to an ascending list without repeats (the full pass only appends; an edit inserts in place). */
function addRow(list: number[], row: number): void {
  const last = list[list.length - 1];
  if (last === undefined || last < row) {
    list.push(row);
    return;
  }
  const i = lowerBound(list, row);
  if (list[i] !== row) list.splice(i, 0, row);
}

function removeRow(list: number[], row: number): void {
  const i = lowerBound(list, row);
  if (list[i] === row) list.splice(i, 1);
}

function noteLeadingZero(state: PreflightState, apiName: string, row: number, delta: 1 | -1): void {
  let rows = state.leadingZeros.get(apiName);
  if (rows === undefined) state.leadingZeros.set(apiName, (rows = []));
  if (delta === 1) addRow(rows, row);
  else removeRow(rows, row);
}

// The kinds of row issue whose message after "Line N, " depends only on the column and the problem (the slots of
// Prepared.rowTails): INVALID_DATA takes four, by whether the value is the default and whether trimming would fix it.
const TAIL_IF_NEW = 0;
const TAIL_REQUIRED_NEW = 1;
const TAIL_REQUIRED_UPDATE = 2;
const TAIL_INVALID = 3;
const TAIL_KINDS = 7;

/**
 * The message's text after "Line N, " for this column, kind and detail (a validator's constant failure message),
 * made once (keepTail) and shared by every row with that problem. A message is then "Line N, " joined to the shared
 * text, and the issue carries that text as `tail` so packing never reads (and so copies) the whole message: at a
 * million rows with an issue each, the copies were ~90 MB of the worker's heap (decision 146).
 */
function sharedTail(prep: Prepared, j: number, kind: number, detail: string): string | undefined {
  return prep.rowTails[j * TAIL_KINDS + kind]?.get(detail);
}

/** Keeps a tail made for sharedTail's slot and returns it. */
function keepTail(prep: Prepared, j: number, kind: number, detail: string, tail: string): string {
  const slot = j * TAIL_KINDS + kind;
  let byDetail = prep.rowTails[slot];
  if (byDetail === undefined) prep.rowTails[slot] = byDetail = new Map<string, string>();
  byDetail.set(detail, tail);
  return tail;
}

/** The shared tail of an empty mandatory cell's issue: TAIL_IF_NEW, TAIL_REQUIRED_NEW or TAIL_REQUIRED_UPDATE. */
function mandatoryTail(prep: Prepared, j: number, m: ResolvedMapping, kind: number): string {
  const kept = sharedTail(prep, j, kind, '');
  if (kept !== undefined) return kept;
  const name = prep.columnNames[j] as string;
  const label = m.field.label;
  return keepTail(
    prep,
    j,
    kind,
    '',
    kind === TAIL_IF_NEW
      ? `${name}: ${label} is empty. If no existing record matches this row, Zoho will try to create one and skip the row because ${label} is required. Fill it in or set a default value.`
      : `${name}: ${label} is required${kind === TAIL_REQUIRED_NEW ? '' : ' and this row would empty it'}, but the cell is empty (spaces only count as empty). Fill it in or set a default value.`,
  );
}

/**
 * A row issue about one mapped cell. Its message, "Line N, " + the shared tail, is joined only when something reads
 * it: the worker packs issues by their tail, so at a million rows the million joined messages were never needed.
 */
class CellIssue implements Issue {
  constructor(
    readonly row: number,
    readonly line: number,
    readonly column: number | null,
    readonly apiName: string,
    readonly code: Issue['code'],
    readonly severity: Issue['severity'],
    readonly tail: string,
    readonly fix: Issue['fix'],
  ) {}
  get message(): string {
    return `Line ${this.line}, ` + this.tail;
  }
}

function cellIssue(row: number, line: number, m: ResolvedMapping, code: Issue['code'], severity: Issue['severity'], tail: string, fix: Issue['fix']): Issue {
  return new CellIssue(row, line, m.index, m.field.apiName, code, severity, tail, fix);
}

/** Distinct user values whose issue text is kept per value; past it, unknown values share one text (see userTail). */
const USER_TAILS_MAX = 10_000;

/**
 * The issue text after "Line N, " for a user cell whose value (`value`, in the form its validator accepted) names no
 * active user of the org, or null when it names one: looked up by e-mail or by id as the column finds users, made
 * once per distinct value (a column of owners repeats a few values). A column of many distinct unknown values (a
 * column mapped by mistake, owners of another org) shares one text past USER_TAILS_MAX values: a text naming each of a
 * million values was ~3.7 s and ~430 MB of the worker (the cell itself still shows the value).
 */
function userTail(prep: Prepared, j: number, m: ResolvedMapping, value: string, fromDefault: boolean, users: UserDirectory): string | null {
  const cache = prep.userTails[j] as Map<string, string | null>;
  const key = fromDefault ? `\u0000${value}` : value;
  const kept = cache.get(key);
  if (kept !== undefined) return kept;
  // Resolved as the wizard sends it (users.ts resolveUserValue): by id, by e-mail in any case, or by a unique name.
  const r = resolveUserValue(value, users);
  const named = r.kind === 'ok' || r.kind === 'inactive';
  const full = cache.size >= USER_TAILS_MAX;
  if (full && !named) {
    const sharedKey = fromDefault ? '\u0001\u0000' : '\u0001';
    let shared = cache.get(sharedKey);
    if (shared === undefined) {
      // The cell may hold an id, an e-mail or a name (each is resolved as it is sent): the shared words name none of them.
      shared = `${prep.columnNames[j] as string}${fromDefault ? ' (default value)' : ''}: No user of this Zoho CRM org has the id, e-mail or full name in this cell, so ${m.field.label} cannot be set and Zoho skips the row (INVALID_DATA). Correct the value or choose an active user.`;
      cache.set(sharedKey, shared);
    }
    return shared;
  }
  const reason = userResolutionReason(m.field.label, value, r);
  const tail = reason === null ? null : `${prep.columnNames[j] as string}${fromDefault ? ' (default value)' : ''}: ${reason}`;
  // Values naming a user are as many as the org's users at most: always kept.
  if (!full || named) cache.set(key, tail);
  return tail;
}

/** Row-local check of one row; returns its issues (or null). */
export function checkRow(input: TableInput, prep: Prepared, state: PreflightState, row: number, line: number, cells: readonly string[]): RowIssues | null {
  const { operation, headers } = input;
  let issues: RowIssues | null = null;
  // find_by: update needs a value to find the record; upsert without one always inserts.
  let isInsert = operation === 'insert';
  let mandatoryAsWarning = false;
  if (operation !== 'insert' && input.findBy !== null && prep.findByIndex !== null) {
    const keyCell = cells[prep.findByIndex];
    if (isBlank(keyCell)) {
      if (operation === 'update') {
        // The row's other cells are not looked at, so no column can be called plain.
        state.plainColumns.fill(0);
        issues = addRowIssue(issues, {
          row,
          line,
          column: prep.findByIndex,
          apiName: input.findBy,
          code: 'MANDATORY_NOT_FOUND',
          severity: 'error',
          message: `${location(line, headers[prep.findByIndex], prep.findByField?.label ?? input.findBy)}: the value used to find the record to update is empty, so Zoho will skip this row. Fill it in or exclude the row.`,
          fix: EDIT_FIX,
        });
        return issues;
      }
      isInsert = true;
    } else if (operation === 'upsert') {
      mandatoryAsWarning = true;
    }
  }
  // Shared context objects: one per row was a million allocations at a million rows.
  const ctx = (isInsert ? INSERT_CTX : UPDATE_CTX)[input.ignoreEmpty ? 1 : 0];
  const { resolved, validators, picklists } = prep;
  for (let j = 0; j < resolved.length; j++) {
    const m = resolved[j] as ResolvedMapping;
    const v = validators[j] as CompiledValidator;
    const cell = m.index === null ? undefined : cells[m.index];
    const cls = classifyCell(m, cell, ctx, v);
    // A cell the clean-ups could change (spaces around it, invalid, or a checkbox value other than true / false)
    // marks its column as not plain.
    if (
      m.index !== null &&
      (cls === CELL_INVALID || (cls === CELL_VALUE && cell !== undefined && !isBlank(cell) && (!plainEnds(cell) || notCanonical(m, cell))))
    )
      state.plainColumns[m.index] = 0;
    if (cls === CELL_VALUE) {
      if (prep.numeric[j] === true && cell !== undefined && hasLeadingZero(cell)) noteLeadingZero(state, m.field.apiName, row, 1);
      const users = prep.userDirectories[j];
      if (users !== null && users !== undefined) {
        const tail = userTail(prep, j, m, v.normalise(cellRaw(m, cell)) as string, isBlank(cell), users);
        // A default naming no active user is fixed on Map, where it is set; a cell, in place.
        if (tail !== null) issues = addRowIssue(issues, cellIssue(row, line, m, 'INVALID_DATA', 'error', tail, isBlank(cell) ? DEFAULT_FIX : EDIT_FIX));
      }
      const pl = picklists[j];
      if (pl !== null && pl !== undefined) {
        // Pick-list columns repeat a few values: cache "all known" per distinct cell text.
        const raw = cellRaw(m, cell);
        const cache = prep.knownCache[j] as Map<string, boolean>;
        let ok = cache.get(raw);
        if (ok === undefined) {
          const val = v.normalise(raw);
          ok = Array.isArray(val) ? val.every((x) => pl.has(x)) : pl.has(String(val));
          if (cache.size < 10_000) cache.set(raw, ok);
        }
        if (!ok) notePicklist(state, m, pl, v.normalise(raw), row, 1);
      }
      continue;
    }
    if (cls === CELL_ABSENT || cls === CELL_BLANK) {
      // Upsert rows that might create a record: a mandatory field left empty only matters if nothing matches.
      if (mandatoryAsWarning && m.field.mandatory && classifyCell(m, cell, { isInsert: true, ignoreEmpty: input.ignoreEmpty }, v) === CELL_MANDATORY) {
        const tail = mandatoryTail(prep, j, m, TAIL_IF_NEW);
        issues = addRowIssue(issues, cellIssue(row, line, m, 'MANDATORY_IF_NEW', 'warning', tail, DEFAULT_FIX));
      }
      continue;
    }
    if (cls === CELL_MANDATORY) {
      const tail = mandatoryTail(prep, j, m, isInsert ? TAIL_REQUIRED_NEW : TAIL_REQUIRED_UPDATE);
      issues = addRowIssue(issues, cellIssue(row, line, m, 'MANDATORY_NOT_FOUND', 'error', tail, DEFAULT_FIX));
      continue;
    }
    const raw = cellRaw(m, cell);
    const failure = v.check(raw);
    if (failure === null) continue;
    const trimmedOk = raw.trim() !== raw && v.check(raw.trim()) === null;
    const fromDefault = isBlank(cell);
    const kind = TAIL_INVALID + (fromDefault ? 1 : 0) + (trimmedOk ? 2 : 0);
    const tail =
      sharedTail(prep, j, kind, failure.message) ??
      keepTail(
        prep,
        j,
        kind,
        failure.message,
        `${prep.columnNames[j] as string}${fromDefault ? ' (default value)' : ''}: ${trimmedOk ? `the value has spaces around it. ${failure.message}` : failure.message}`,
      );
    issues = addRowIssue(issues, cellIssue(row, line, m, 'INVALID_DATA', 'error', tail, trimmedOk ? TRIM_FIX : (FIX_BY_RULE[failure.rule] ?? EDIT_FIX)));
  }
  return issues;
}

/** Track rows using pick-list values that are not in the field's list (delta +1 to add the row, -1 to remove it). */
function notePicklist(state: PreflightState, m: ResolvedMapping, known: ReadonlySet<string>, value: FieldValue, row: number, delta: 1 | -1): void {
  if (Array.isArray(value)) {
    for (const v of value) if (!known.has(v)) noteNewValue(state, m.field.apiName, v, row, delta);
  } else {
    const v = String(value);
    if (!known.has(v)) noteNewValue(state, m.field.apiName, v, row, delta);
  }
}

function noteNewValue(state: PreflightState, apiName: string, v: string, row: number, delta: 1 | -1): void {
  let perField = state.newPicklist.get(apiName);
  if (perField === undefined) state.newPicklist.set(apiName, (perField = new Map<string, number[]>()));
  let rows = perField.get(v);
  if (rows === undefined) perField.set(v, (rows = []));
  if (delta === 1) addRow(rows, row);
  else {
    removeRow(rows, row);
    if (rows.length === 0) perField.delete(v);
  }
}

function recordKey(input: TableInput, prep: Prepared, cells: readonly string[]): string | null {
  if (input.operation === 'insert' || prep.findByIndex === null) return null;
  const cell = cells[prep.findByIndex];
  if (isBlank(cell)) return null;
  const t = (cell ?? '').trim();
  return prep.findByField === null || prep.findByField.unique?.caseSensitive === true ? t : t.toLowerCase();
}

export function rowKeys(input: TableInput, prep: Prepared, state: PreflightState, row: number, cells: readonly string[]): void {
  const ctx = input.operation === 'insert' ? INSERT_CTX[input.ignoreEmpty ? 1 : 0] : UPDATE_CTX[input.ignoreEmpty ? 1 : 0];
  const um = prep.uniqueMappings;
  for (let u = 0; u < um.length; u++) {
    const m = um[u] as ResolvedMapping;
    const keys = prep.uniqueKeyArrays[u] as (string | null)[];
    const cell = m.index === null ? undefined : cells[m.index];
    const v = prep.uniqueValidators[u] as CompiledValidator;
    keys[row] = classifyCell(m, cell, ctx, v) === CELL_VALUE ? uniqueKey(m.field, v.normalise(cellRaw(m, cell))) : null;
  }
  if (input.operation !== 'insert') state.recordKeys[row] = recordKey(input, prep, cells);
}

const INSERT_CTX = [
  { isInsert: true, ignoreEmpty: false },
  { isInsert: true, ignoreEmpty: true },
] as const;
const UPDATE_CTX = [
  { isInsert: false, ignoreEmpty: false },
  { isInsert: false, ignoreEmpty: true },
] as const;

/** Note (delta 1) or forget (delta -1) one row's pick-list values. */
export function notePicklistRow(input: TableInput, prep: Prepared, state: PreflightState, row: number, cells: readonly string[], delta: 1 | -1): void {
  const ctx = { isInsert: input.operation === 'insert', ignoreEmpty: input.ignoreEmpty };
  for (let j = 0; j < prep.resolved.length; j++) {
    const m = prep.resolved[j] as ResolvedMapping;
    const cell = m.index === null ? undefined : cells[m.index];
    if (delta === -1 && prep.numeric[j] === true) noteLeadingZero(state, m.field.apiName, row, -1);
    const pl = prep.picklists[j];
    if (pl === null || pl === undefined) continue;
    const v = prep.validators[j] as CompiledValidator;
    if (classifyCell(m, cell, ctx, v) === CELL_VALUE) notePicklist(state, m, pl, v.normalise(cellRaw(m, cell)), row, delta);
  }
}
