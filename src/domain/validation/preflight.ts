// Pre-flight validation of the whole table before anything is uploaded: the same row rules the emulator applies
// (row-rules.ts), in-file uniqueness, find_by and mapping checks — each issue naming row, line, column, rule and fix.
// Built for 250,000 × 20 cells: validators compiled once per column, no allocation for valid cells.
import type { Operation } from '../fields/field-meta.ts';
import { isUserLookup, USER_FIND_BY, type FieldModel } from '../fields/field-model.ts';
import { isValidDatePattern } from '../fields/date-format.ts';
import { compileValidator, type CompiledValidator, type FieldValue } from '../fields/validate-value.ts';
import { RECORD_ID, resolveMapping, type Mapping } from '../mapping/mapping.ts';
import * as rules from './row-rules.ts';
import type { ResolvedMapping } from './row-rules.ts';

// Module-local copies of the hot imports: some loaders (tsx/CJS interop) turn each imported binding into a getter
// call, which costs more than the rule itself when run 5 million times.
const { CELL_ABSENT, CELL_BLANK, CELL_MANDATORY, CELL_VALUE, cellRaw, classifyCell, isBlank, uniqueKey } = rules;

export const MAX_MAPPED_COLUMNS = 200;

export type IssueCode =
  | 'MANDATORY_NOT_FOUND' | 'INVALID_DATA' | 'DUPLICATE_DATA'
  | 'MANDATORY_FIELDS_NOT_MAPPED' | 'FIND_BY_MISSING' | 'FIND_BY_NOT_UNIQUE' | 'FIND_BY_NOT_MAPPED'
  | 'HEADER_LIMIT_EXCEEDED' | 'FIELD_NOT_WRITABLE' | 'UNKNOWN_FIELD' | 'INVALID_FORMAT' | 'INVALID_DEFAULT'
  | 'LOOKUP_FIND_BY_NOT_LOOKUP' | 'NOTHING_MAPPED' | 'NEW_PICKLIST_VALUE' | 'MANDATORY_IF_NEW' | 'LEADING_ZEROS_LOST';

export type FixKind = 'date' | 'phone' | 'boolean' | 'trim' | 'number' | 'edit' | 'default' | 'map' | 'unmap' | 'find-by' | 'format';

export interface Issue {
  /** 0-based data row index (null for table-level issues). */
  row: number | null;
  /** 1-based source line of the row. */
  line: number | null;
  /** 0-based CSV column. */
  column: number | null;
  apiName: string | null;
  code: IssueCode;
  severity: 'error' | 'warning';
  message: string;
  fix?: { kind: FixKind; label: string };
}

export interface TableInput {
  headers: readonly string[];
  rows: readonly { line: number; cells: readonly string[] }[];
  mapping: Mapping;
  fields: readonly FieldModel[];
  operation: Operation;
  findBy: string | null;
  ignoreEmpty: boolean;
  /** Rows the user excluded: not sent, so not checked, never predicted skipped, and they hold no unique value. */
  excluded?: ReadonlySet<number>;
}

export interface ColumnCounts {
  errors: number;
  warnings: number;
}

export interface TableValidation {
  /** Row issues in row order (then column order within a row). */
  issues: Issue[];
  tableIssues: Issue[];
  /** Rows Zoho is predicted to SKIP, ascending. */
  predictedSkips: number[];
  /** Indexed by CSV column. */
  countsByColumn: ColumnCounts[];
  /**
   * Working state for `revalidateRow` (plain data, but it references the whole table: keep it in the thread that
   * validates and post only the other fields across a worker boundary).
   */
  state: PreflightState;
}

/** Per-table state kept between validations so an inline edit re-checks one row plus the uniqueness pass. */
export interface PreflightState {
  input: TableInput;
  /** Row-local issues (cell rules, find_by cell, picklist warnings), only for rows that have some. */
  local: Map<number, Issue[]>;
  /** Rows with a row-local error (they will be skipped whatever the uniqueness pass says). */
  localError: Set<number>;
  /** Per unique mapped field: the comparison key of each row's value (null when none). */
  uniqueKeys: Map<string, (string | null)[]>;
  /** For update/upsert: the row's find_by key (rows with the same key target the same record). */
  recordKeys: (string | null)[];
  /** Edited cells replacing the originals, by row. */
  edits: Map<number, readonly string[]>;
  /** Rows using each pick-list value that is not in the field's list, per field. */
  newPicklist: Map<string, Map<string, Set<number>>>;
  /** Rows whose number cell starts with a zero that the number field will drop (bad-inputs #36), per field. */
  leadingZeros: Map<string, Set<number>>;
  /** Rows predicted DUPLICATE_DATA with their issues: from the uniqueness pass, then kept up to date by edits. */
  dupes: Map<number, Issue[]>;
  /** Built on the first edit: per unique field, per key, the rows with that key in ascending order. */
  groups: Map<string, Map<string, number[]>> | null;
}

interface Prepared {
  resolved: ResolvedMapping[];
  validators: CompiledValidator[];
  picklists: (ReadonlySet<string> | null)[];
  knownCache: (Map<string, boolean> | null)[];
  /** Number fields: a leading zero in the cell is lost. */
  numeric: boolean[];
  uniqueMappings: ResolvedMapping[];
  uniqueValidators: CompiledValidator[];
  /** Filled by bindKeys(): the state's key array for each unique mapping. */
  uniqueKeyArrays: (string | null)[][];
  findByIndex: number | null;
  findByField: FieldModel | null;
  tableIssues: Issue[];
}

const FIX_BY_RULE: Readonly<Record<string, { kind: FixKind; label: string }>> = {
  'phone.characters': { kind: 'phone', label: 'Clean up phone numbers' },
  'date.format': { kind: 'date', label: 'Convert dates or set the date format' },
  'datetime.format': { kind: 'date', label: 'Convert date-times or set the format' },
  'boolean.format': { kind: 'boolean', label: 'Convert yes/no values to true/false' },
  'integer.format': { kind: 'number', label: 'Clean up numbers' },
  'bigint.format': { kind: 'number', label: 'Clean up numbers' },
  'decimal.format': { kind: 'number', label: 'Clean up numbers' },
  'percent.format': { kind: 'number', label: 'Clean up numbers' },
  'date.invalid_format': { kind: 'format', label: 'Choose a valid date format' },
  'datetime.invalid_format': { kind: 'format', label: 'Choose a valid date format' },
  'field.not_writable': { kind: 'unmap', label: 'Unmap the column' },
};
const NUMBER_TYPES: ReadonlySet<string> = new Set(['integer', 'bigint', 'currency', 'double', 'percent']);

/** `0` followed by a digit (after an optional `-`): the zero carries no value in a number. */
function hasLeadingZero(s: string): boolean {
  const i = s.charCodeAt(0) === 45 ? 1 : 0;
  const next = s.charCodeAt(i + 1);
  return s.charCodeAt(i) === 48 && next >= 48 && next <= 57;
}

function noteLeadingZero(state: PreflightState, apiName: string, row: number, delta: 1 | -1): void {
  let rows = state.leadingZeros.get(apiName);
  if (rows === undefined) state.leadingZeros.set(apiName, (rows = new Set<number>()));
  if (delta === 1) rows.add(row);
  else rows.delete(row);
}

const EDIT_FIX = { kind: 'edit', label: 'Edit the value' } as const;
const DEFAULT_FIX = { kind: 'default', label: 'Fill the cell or set a default value' } as const;
const TRIM_FIX = { kind: 'trim', label: 'Trim spaces around values' } as const;

function tableIssue(code: IssueCode, message: string, extra: Partial<Issue> = {}, severity: 'error' | 'warning' = 'error'): Issue {
  return { row: null, line: null, column: null, apiName: null, code, severity, message, ...extra };
}

function prepare(input: TableInput): Prepared {
  const { mapping, fields, operation, findBy } = input;
  const tableIssues: Issue[] = [];
  const { resolved, problems } = resolveMapping(mapping, fields);
  for (const p of problems) {
    tableIssues.push(tableIssue(p.kind === 'unknown_field' ? 'UNKNOWN_FIELD' : 'FIELD_NOT_WRITABLE', p.message, { column: p.column, apiName: p.apiName, fix: { kind: 'unmap', label: 'Unmap the column' } }));
  }
  const mappedCount = mapping.columns.filter((c) => c.apiName !== null).length + mapping.defaults.length;
  if (mappedCount === 0) tableIssues.push(tableIssue('NOTHING_MAPPED', 'No column is mapped to a field, so there is nothing to import. Map at least one column.', { fix: { kind: 'map', label: 'Map columns' } }));
  if (mappedCount > MAX_MAPPED_COLUMNS) {
    tableIssues.push(tableIssue('HEADER_LIMIT_EXCEEDED', `${mappedCount} fields are mapped; Zoho's Bulk Write accepts at most ${MAX_MAPPED_COLUMNS} columns per job. Unmap ${mappedCount - MAX_MAPPED_COLUMNS} of them.`, { fix: { kind: 'unmap', label: 'Unmap columns' } }));
  }
  if (operation !== 'update') {
    const mapped = new Set(resolved.map((r) => r.field.apiName));
    for (const f of fields) {
      if (f.mandatory && f.writable.ok && !mapped.has(f.apiName)) {
        tableIssues.push(tableIssue('MANDATORY_FIELDS_NOT_MAPPED', `${f.label} is required for new records but no column is mapped to it. Map a column to ${f.label} or give it a default value.`, { apiName: f.apiName, fix: { kind: 'map', label: `Map ${f.label}` } }));
      }
    }
  }
  let findByIndex: number | null = null;
  let findByField: FieldModel | null = null;
  if (findBy === null || findBy === '') {
    if (operation !== 'insert') tableIssues.push(tableIssue('FIND_BY_MISSING', `${operation === 'update' ? 'Update' : 'Upsert'} needs "Match records by": choose the record id or a unique field.`, { fix: { kind: 'find-by', label: 'Choose how to match records' } }));
  } else {
    if (findBy !== RECORD_ID) {
      const f = fields.find((x) => x.apiName === findBy);
      if (f === undefined || f.unique === null) {
        tableIssues.push(tableIssue('FIND_BY_NOT_UNIQUE', `Records can only be matched by the record id or a unique field; ${f?.label ?? findBy} is not unique. Choose another field.`, { apiName: findBy, fix: { kind: 'find-by', label: 'Choose how to match records' } }));
      } else findByField = f;
    }
    const col = mapping.columns.find((c) => c.apiName === findBy);
    if (col === undefined) {
      tableIssues.push(tableIssue('FIND_BY_NOT_MAPPED', `Records are matched by ${findByField?.label ?? findBy}, so a column must be mapped to it. Map the column that holds it.`, { apiName: findBy, fix: { kind: 'map', label: `Map ${findByField?.label ?? findBy}` } }));
    } else findByIndex = col.column;
  }
  for (const r of resolved) {
    const where = r.index === null ? `The default value of ${r.field.label}` : `Column ${r.index + 1} (${r.field.label})`;
    if (r.format !== null && !isValidDatePattern(r.format)) {
      tableIssues.push(tableIssue('INVALID_FORMAT', `${where} has the date format "${r.format}", which is not a valid pattern. Choose a format such as dd/MM/yyyy.`, { column: r.index, apiName: r.field.apiName, fix: { kind: 'format', label: 'Choose a date format' } }));
    }
    if (r.findBy !== null && isUserLookup(r.field) && !USER_FIND_BY.has(r.findBy)) {
      tableIssues.push(tableIssue('LOOKUP_FIND_BY_NOT_LOOKUP', `${where} finds users by "${r.findBy}", but ${r.field.label} finds users by their id or e-mail only. Choose e-mail (or id).`, { column: r.index, apiName: r.field.apiName }));
    } else if (r.findBy !== null && r.field.dataType !== 'lookup' && !isUserLookup(r.field)) {
      tableIssues.push(tableIssue('LOOKUP_FIND_BY_NOT_LOOKUP', `${where} says which field to find a linked record by, but ${r.field.label} is not a lookup. Remove that setting.`, { column: r.index, apiName: r.field.apiName }));
    }
    if (r.defaultValue !== null && !isBlank(r.defaultValue)) {
      const failure = compileValidator(r.field, { format: r.format, findBy: r.findBy }).check(r.defaultValue);
      if (failure !== null) {
        tableIssues.push(tableIssue('INVALID_DEFAULT', `${where}: the default value is not valid — ${failure.message} Zoho refuses the whole job with an invalid default.`, { column: r.index, apiName: r.field.apiName, fix: { kind: 'default', label: 'Change the default value' } }));
      }
    }
  }
  return {
    resolved,
    validators: resolved.map((r) => compileValidator(r.field, { format: r.format, findBy: r.findBy })),
    picklists: resolved.map((r) => (r.field.dataType === 'picklist' || r.field.dataType === 'multiselectpicklist' ? new Set(r.field.picklistValues) : null)),
    numeric: resolved.map((r) => NUMBER_TYPES.has(r.field.dataType)),
    knownCache: resolved.map((r) => (r.field.dataType === 'picklist' || r.field.dataType === 'multiselectpicklist' ? new Map<string, boolean>() : null)),
    uniqueMappings: resolved.filter((r) => r.field.unique !== null),
    uniqueValidators: resolved.filter((r) => r.field.unique !== null).map((r) => compileValidator(r.field, { format: r.format, findBy: r.findBy })),
    uniqueKeyArrays: [],
    findByIndex,
    findByField,
    tableIssues,
  };
}

function location(line: number | null, header: string | undefined, label: string, apiName = label): string {
  const col = header === undefined ? label : header === label || header === apiName ? `"${header}"` : `"${header}" (${label})`;
  return `Line ${line ?? '?'}, ${col}`;
}
const at = (line: number | null, header: string | undefined, f: FieldModel) => location(line, header, f.label, f.apiName);

function addIssue(list: Issue[] | null, issue: Issue): Issue[] {
  if (list === null) return [issue];
  list.push(issue);
  return list;
}

/** Row-local check of one row; returns its issues (or null) and whether one is an error. */
function checkRow(
  input: TableInput,
  prep: Prepared,
  state: PreflightState,
  row: number,
  line: number,
  cells: readonly string[],
): Issue[] | null {
  const { operation, headers } = input;
  let issues: Issue[] | null = null;
  // find_by: update needs a value to find the record; upsert without one always inserts.
  let isInsert = operation === 'insert';
  let mandatoryAsWarning = false;
  if (operation !== 'insert' && input.findBy !== null && prep.findByIndex !== null) {
    const keyCell = cells[prep.findByIndex];
    if (isBlank(keyCell)) {
      if (operation === 'update') {
        issues = addIssue(issues, { row, line, column: prep.findByIndex, apiName: input.findBy, code: 'MANDATORY_NOT_FOUND', severity: 'error', message: `${location(line, headers[prep.findByIndex], prep.findByField?.label ?? input.findBy)}: the value used to find the record to update is empty, so Zoho will skip this row. Fill it in or exclude the row.`, fix: EDIT_FIX });
        return issues;
      }
      isInsert = true;
    } else if (operation === 'upsert') {
      mandatoryAsWarning = true;
    }
  }
  const ctx = { isInsert, ignoreEmpty: input.ignoreEmpty };
  const { resolved, validators, picklists } = prep;
  for (let j = 0; j < resolved.length; j++) {
    const m = resolved[j] as ResolvedMapping;
    const v = validators[j] as CompiledValidator;
    const cell = m.index === null ? undefined : cells[m.index];
    const cls = classifyCell(m, cell, ctx, v);
    if (cls === CELL_VALUE) {
      if (prep.numeric[j] === true && cell !== undefined && hasLeadingZero(cell)) noteLeadingZero(state, m.field.apiName, row, 1);
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
    const header = m.index === null ? undefined : headers[m.index];
    if (cls === CELL_ABSENT || cls === CELL_BLANK) {
      // Upsert rows that might create a record: a mandatory field left empty only matters if nothing matches.
      if (mandatoryAsWarning && m.field.mandatory && classifyCell(m, cell, { isInsert: true, ignoreEmpty: input.ignoreEmpty }, v) === CELL_MANDATORY) {
        issues = addIssue(issues, { row, line, column: m.index, apiName: m.field.apiName, code: 'MANDATORY_IF_NEW', severity: 'warning', message: `${at(line, header, m.field)}: ${m.field.label} is empty. If no existing record matches this row, Zoho will try to create one and skip the row because ${m.field.label} is required. Fill it in or set a default value.`, fix: DEFAULT_FIX });
      }
      continue;
    }
    if (cls === CELL_MANDATORY) {
      issues = addIssue(issues, { row, line, column: m.index, apiName: m.field.apiName, code: 'MANDATORY_NOT_FOUND', severity: 'error', message: `${at(line, header, m.field)}: ${m.field.label} is required${isInsert ? '' : ' and this row would empty it'}, but the cell is empty (spaces only count as empty). Fill it in or set a default value.`, fix: DEFAULT_FIX });
      continue;
    }
    const raw = cellRaw(m, cell);
    const failure = v.check(raw);
    if (failure === null) continue;
    const trimmedOk = raw.trim() !== raw && v.check(raw.trim()) === null;
    issues = addIssue(issues, {
      row, line, column: m.index, apiName: m.field.apiName, code: 'INVALID_DATA', severity: 'error',
      message: `${at(line, header, m.field)}${isBlank(cell) ? ' (default value)' : ''}: ${trimmedOk ? `the value has spaces around it. ${failure.message}` : failure.message}`,
      fix: trimmedOk ? TRIM_FIX : FIX_BY_RULE[failure.rule] ?? EDIT_FIX,
    });
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
  if (perField === undefined) state.newPicklist.set(apiName, (perField = new Map<string, Set<number>>()));
  let rows = perField.get(v);
  if (rows === undefined) perField.set(v, (rows = new Set<number>()));
  if (delta === 1) rows.add(row);
  else {
    rows.delete(row);
    if (rows.size === 0) perField.delete(v);
  }
}

function recordKey(input: TableInput, prep: Prepared, cells: readonly string[]): string | null {
  if (input.operation === 'insert' || prep.findByIndex === null) return null;
  const cell = cells[prep.findByIndex];
  if (isBlank(cell)) return null;
  const t = (cell ?? '').trim();
  return prep.findByField === null || prep.findByField.unique?.caseSensitive === true ? t : t.toLowerCase();
}

function rowKeys(input: TableInput, prep: Prepared, state: PreflightState, row: number, cells: readonly string[]): void {
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

const INSERT_CTX = [{ isInsert: true, ignoreEmpty: false }, { isInsert: true, ignoreEmpty: true }] as const;
const UPDATE_CTX = [{ isInsert: false, ignoreEmpty: false }, { isInsert: false, ignoreEmpty: true }] as const;

/**
 * The uniqueness pass (sequential, like Zoho's runner): a row repeating a unique value already held by an EARLIER
 * row that is written is DUPLICATE_DATA; a row that is skipped holds nothing. Rows targeting the same record
 * (same find_by value on update/upsert) do not clash with each other.
 */
function uniquenessPass(input: TableInput, prep: Prepared, state: PreflightState): Map<number, Issue[]> {
  const dupes = new Map<number, Issue[]>();
  const um = prep.uniqueMappings;
  if (um.length === 0) return dupes;
  const holders = um.map(() => new Map<string, number>());
  const keyArrays = um.map((m) => state.uniqueKeys.get(m.field.apiName) ?? []);
  const recordKeys = state.recordKeys;
  const localError = state.localError;
  const n = input.rows.length;
  const width = um.length;
  // Per unique field, whether this row's key is not held yet (so a written row claims it without a second lookup).
  const free = new Array<boolean>(width).fill(false);
  for (let row = 0; row < n; row++) {
    let rowDupes: Issue[] | null = null;
    for (let u = 0; u < width; u++) {
      free[u] = false;
      const key = (keyArrays[u] as (string | null)[])[row] ?? null;
      if (key === null) continue;
      const holder = (holders[u] as Map<string, number>).get(key);
      if (holder === undefined) {
        free[u] = true;
        continue;
      }
      const rk = recordKeys[row] ?? null;
      if (rk !== null && rk === (recordKeys[holder] ?? null)) continue;
      rowDupes = addIssue(rowDupes, duplicateIssue(input, um[u] as ResolvedMapping, row, holder));
    }
    if (rowDupes !== null) dupes.set(row, rowDupes);
    else if (!localError.has(row)) {
      // Written: it now holds its values (a key seen here was not held, or the row would be a duplicate).
      for (let u = 0; u < width; u++) {
        if (free[u] === true) (holders[u] as Map<string, number>).set((keyArrays[u] as (string | null)[])[row] as string, row);
      }
    }
  }
  return dupes;
}

function duplicateIssue(input: TableInput, m: ResolvedMapping, row: number, holder: number): Issue {
  const line = input.rows[row]?.line ?? null;
  const holderLine = input.rows[holder]?.line ?? null;
  const header = m.index === null ? undefined : input.headers[m.index];
  return {
    row, line, column: m.index, apiName: m.field.apiName, code: 'DUPLICATE_DATA', severity: 'error',
    message: `${at(line, header, m.field)}: ${m.field.label} must be unique, and line ${holderLine ?? '?'} of this file already has the same value${m.field.unique?.caseSensitive === true ? '' : ' (ignoring case)'}. Zoho will skip this row. Change the value or exclude one of the rows.`,
    fix: EDIT_FIX,
  };
}

function cellsOf(state: PreflightState, row: number): readonly string[] {
  return state.edits.get(row) ?? state.input.rows[row]?.cells ?? [];
}

function assemble(input: TableInput, prep: Prepared, state: PreflightState): TableValidation {
  const dupes = state.dupes;
  const countsByColumn: ColumnCounts[] = input.headers.map(() => ({ errors: 0, warnings: 0 }));
  const picklistWarnings = new Map<number, Issue[]>();
  for (const m of prep.resolved) {
    const perField = state.newPicklist.get(m.field.apiName);
    if (perField === undefined) continue;
    for (const [value, rowSet] of perField) {
      let row = Number.POSITIVE_INFINITY;
      for (const r of rowSet) if (r < row) row = r;
      const count = rowSet.size;
      const line = input.rows[row]?.line ?? null;
      const header = m.index === null ? undefined : input.headers[m.index];
      const list = picklistWarnings.get(row) ?? [];
      list.push({
        row, line, column: m.index, apiName: m.field.apiName, code: 'NEW_PICKLIST_VALUE', severity: 'warning',
        message: `${at(line, header, m.field)}: '${value}' is not one of ${m.field.label}'s values${count > 1 ? ` (${count.toLocaleString('en-US')} rows use it)` : ''}; Zoho will add it to the pick list. Check the spelling if that is not intended.`,
        fix: EDIT_FIX,
      });
      picklistWarnings.set(row, list);
    }
  }
  for (const m of prep.resolved) {
    const rows = state.leadingZeros.get(m.field.apiName);
    if (rows === undefined || rows.size === 0) continue;
    let row = Number.POSITIVE_INFINITY;
    for (const r of rows) if (r < row) row = r;
    const cell = (cellsOf(state, row)[m.index ?? -1] ?? '').trim();
    const stored = cell.replace(/^(-?)0+(?=\d)/, '$1');
    const line = input.rows[row]?.line ?? null;
    const header = m.index === null ? undefined : input.headers[m.index];
    const list = picklistWarnings.get(row) ?? [];
    list.push({
      row, line, column: m.index, apiName: m.field.apiName, code: 'LEADING_ZEROS_LOST', severity: 'warning',
      message: `${at(line, header, m.field)}: '${cell}'${rows.size > 1 ? ` and ${(rows.size - 1).toLocaleString('en-US')} other value${rows.size === 2 ? '' : 's'}` : ''} start${rows.size > 1 ? '' : 's'} with 0. ${m.field.label} is a number field, so Zoho stores '${stored}' and the leading zeros are lost. If they matter (codes, ZIPs), map the column to a text field.`,
      fix: { kind: 'map', label: 'Map to a text field' },
    });
    picklistWarnings.set(row, list);
  }
  const rowsWithIssues = new Set<number>([...state.local.keys(), ...dupes.keys(), ...picklistWarnings.keys()]);
  const ordered = [...rowsWithIssues].sort((a, b) => a - b);
  const issues: Issue[] = [];
  const predictedSkips: number[] = [];
  for (const row of ordered) {
    const list = [...(state.local.get(row) ?? []), ...(dupes.get(row) ?? []), ...(picklistWarnings.get(row) ?? [])];
    list.sort((a, b) => (a.column ?? 1e9) - (b.column ?? 1e9));
    let skip = false;
    for (const i of list) {
      issues.push(i);
      if (i.severity === 'error') skip = true;
      if (i.column !== null) {
        const c = countsByColumn[i.column];
        if (c !== undefined) {
          if (i.severity === 'error') c.errors++;
          else c.warnings++;
        }
      }
    }
    if (skip) predictedSkips.push(row);
  }
  return { issues, tableIssues: prep.tableIssues, predictedSkips, countsByColumn, state };
}

function bindKeys(prep: Prepared, state: PreflightState): void {
  prep.uniqueKeyArrays = prep.uniqueMappings.map((m) => {
    let keys = state.uniqueKeys.get(m.field.apiName);
    if (keys === undefined) state.uniqueKeys.set(m.field.apiName, (keys = new Array<string | null>(state.input.rows.length).fill(null)));
    return keys;
  });
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
    local: new Map(),
    localError: new Set(),
    uniqueKeys: new Map(prep.uniqueMappings.map((m) => [m.field.apiName, new Array<string | null>(input.rows.length).fill(null)])),
    recordKeys: new Array<string | null>(input.rows.length).fill(null),
    edits: new Map(),
    newPicklist: new Map(),
    leadingZeros: new Map(),
    dupes: new Map(),
    groups: null,
  };
  bindKeys(prep, state);
  const { rows, excluded } = input;
  const slice = Math.max(1, chunkRows);
  for (let from = 0; from < rows.length; from += slice) {
    const to = Math.min(rows.length, from + slice);
    for (let row = from; row < to; row++) {
      const r = rows[row];
      if (r === undefined || excluded?.has(row) === true) continue;
      const issues = checkRow(input, prep, state, row, r.line, r.cells);
      if (issues !== null) {
        state.local.set(row, issues);
        if (issues.some((i) => i.severity === 'error')) state.localError.add(row);
      }
      if (prep.uniqueMappings.length > 0 || input.operation !== 'insert') rowKeys(input, prep, state, row, r.cells);
    }
    if (to < rows.length) yield to;
  }
  state.dupes = uniquenessPass(input, prep, state);
  return assemble(input, prep, state);
}

/** Note (delta 1) or forget (delta -1) one row's pick-list values. */
function notePicklistRow(input: TableInput, prep: Prepared, state: PreflightState, row: number, cells: readonly string[], delta: 1 | -1): void {
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

/**
 * Re-check one edited row (inline edit). Cell rules run for that row only; in-file uniqueness is updated
 * incrementally: only rows sharing a unique value with the edited row (before or after the edit) are re-decided,
 * and a row whose written/skipped status flips passes that on to the later rows sharing its values.
 * `previous.state` is updated in place (do not share it).
 */
export function revalidateRow(previous: TableValidation, row: number, cells: readonly string[]): TableValidation {
  const state = previous.state;
  const input = state.input;
  const line = input.rows[row]?.line;
  if (line === undefined) return previous;
  const prep = prepare(input);
  bindKeys(prep, state);
  notePicklistRow(input, prep, state, row, cellsOf(state, row), -1);
  state.edits.set(row, cells);
  if (input.excluded?.has(row) === true) return assemble(input, prep, state);
  const groups = state.groups ?? (state.groups = buildGroups(prep));
  const oldKeys = prep.uniqueKeyArrays.map((k) => k[row] ?? null);
  const issues = checkRow(input, prep, state, row, line, cells);
  state.local.delete(row);
  state.localError.delete(row);
  if (issues !== null) {
    state.local.set(row, issues);
    if (issues.some((x) => x.severity === 'error')) state.localError.add(row);
  }
  rowKeys(input, prep, state, row, cells);
  const newKeys = prep.uniqueKeyArrays.map((k) => k[row] ?? null);
  prep.uniqueMappings.forEach((m, u) => {
    const before = oldKeys[u] ?? null;
    const after = newKeys[u] ?? null;
    if (before === after) return;
    const perField = groups.get(m.field.apiName) ?? new Map<string, number[]>();
    groups.set(m.field.apiName, perField);
    if (before !== null) {
      const list = perField.get(before);
      const i = list === undefined ? -1 : lowerBound(list, row);
      if (list !== undefined && list[i] === row) list.splice(i, 1);
    }
    if (after !== null) {
      let list = perField.get(after);
      if (list === undefined) perField.set(after, (list = []));
      list.splice(lowerBound(list, row), 0, row);
    }
  });
  redecideDuplicates(input, prep, state, groups, row, oldKeys);
  return assemble(input, prep, state);
}

/** First index in an ascending list whose value is ≥ `v`. */
function lowerBound(list: readonly number[], v: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function buildGroups(prep: Prepared): Map<string, Map<string, number[]>> {
  const groups = new Map<string, Map<string, number[]>>();
  prep.uniqueMappings.forEach((m, u) => {
    const perField = new Map<string, number[]>();
    const keys = prep.uniqueKeyArrays[u] as (string | null)[];
    for (let r = 0; r < keys.length; r++) {
      const k = keys[r];
      if (k === null || k === undefined) continue;
      const list = perField.get(k);
      if (list === undefined) perField.set(k, [r]);
      else list.push(r);
    }
    groups.set(m.field.apiName, perField);
  });
  return groups;
}

function isWritten(state: PreflightState, r: number): boolean {
  return !state.localError.has(r) && !state.dupes.has(r) && state.input.excluded?.has(r) !== true;
}

/** Min-heap of row indexes: rows are re-decided in file order, as Zoho's runner reads them. */
class RowQueue {
  private readonly heap: number[] = [];
  private readonly seen = new Set<number>();
  get size(): number {
    return this.heap.length;
  }
  push(r: number): void {
    if (this.seen.has(r)) return;
    this.seen.add(r);
    const h = this.heap;
    h.push(r);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p] as number) <= r) break;
      h[i] = h[p] as number;
      i = p;
    }
    h[i] = r;
  }
  pop(): number {
    const h = this.heap;
    const top = h[0] as number;
    const last = h.pop() as number;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const c = l + 1 < h.length && (h[l + 1] as number) < (h[l] as number) ? l + 1 : l;
        if ((h[c] as number) >= last) break;
        h[i] = h[c] as number;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

/**
 * Re-decide DUPLICATE_DATA for the rows an edit can affect, in file order. A row is a duplicate when, for one of
 * its unique values, the first WRITTEN row holding that value comes before it and targets another record.
 */
function redecideDuplicates(
  input: TableInput,
  prep: Prepared,
  state: PreflightState,
  groups: Map<string, Map<string, number[]>>,
  edited: number,
  oldKeys: readonly (string | null)[],
): void {
  const um = prep.uniqueMappings;
  const keyArrays = prep.uniqueKeyArrays;
  const queue = new RowQueue();
  const enqueueAfter = (u: number, key: string | null, after: number) => {
    if (key === null) return;
    const list = groups.get((um[u] as ResolvedMapping).field.apiName)?.get(key);
    if (list === undefined) return;
    for (let i = lowerBound(list, after + 1); i < list.length; i++) queue.push(list[i] as number);
  };
  queue.push(edited);
  for (let u = 0; u < um.length; u++) enqueueAfter(u, oldKeys[u] ?? null, edited);
  while (queue.size > 0) {
    const r = queue.pop();
    const before = isWritten(state, r);
    let rowDupes: Issue[] | null = null;
    for (let u = 0; u < um.length; u++) {
      const key = (keyArrays[u] as (string | null)[])[r] ?? null;
      if (key === null) continue;
      const list = groups.get((um[u] as ResolvedMapping).field.apiName)?.get(key) ?? [];
      let holder: number | undefined;
      for (const h of list) {
        if (h >= r) break;
        if (isWritten(state, h)) {
          holder = h;
          break;
        }
      }
      if (holder === undefined) continue;
      const rk = state.recordKeys[r] ?? null;
      if (rk !== null && rk === (state.recordKeys[holder] ?? null)) continue;
      rowDupes = addIssue(rowDupes, duplicateIssue(input, um[u] as ResolvedMapping, r, holder));
    }
    if (rowDupes === null) state.dupes.delete(r);
    else state.dupes.set(r, rowDupes);
    // The edited row's values (or record) changed, so rows sharing its values re-decide even if its status did not.
    if (r === edited || before !== isWritten(state, r)) {
      for (let u = 0; u < um.length; u++) enqueueAfter(u, (keyArrays[u] as (string | null)[])[r] ?? null, r);
    }
  }
}
