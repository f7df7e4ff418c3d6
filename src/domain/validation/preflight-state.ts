// The pre-flight's input, result and working state, shared by the table checks, the row check and the uniqueness
// passes: what `validateTable` takes and returns, and what `revalidateRow` keeps between edits.
import type { Operation } from '../fields/field-meta.ts';
import type { FieldModel } from '../fields/field-model.ts';
import type { CompiledValidator } from '../fields/validate-value.ts';
import type { Mapping } from '../mapping/mapping.ts';
import type { OrgUser } from '../org-check/types.ts';
import type { UserDirectory } from '../org-check/users.ts';
import type { ColumnCounts, Issue, RowIssues } from './issues.ts';
import type { ResolvedMapping } from './row-rules.ts';

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
  /**
   * The org's users, when they have been read (the Map step reads them for owner and user-lookup columns; no
   * credits): a cell naming no user, or an inactive one, is then an error — Zoho skips its row (INVALID_DATA).
   * Absent or null: those cells are checked for their form only.
   */
  users?: readonly OrgUser[] | null;
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
  /**
   * Row-local issues (cell rules, find_by cell, picklist warnings) by row, null for a row without any. Arrays by
   * row rather than a Map and a Set: at a million rows with an issue each, their inserts were a large part of the pass.
   */
  local: (RowIssues | null)[];
  /** 1 for a row with a row-local error (it will be skipped whatever the uniqueness pass says). */
  localError: Uint8Array;
  /** Per unique mapped field: the comparison key of each row's value (null when none). */
  uniqueKeys: Map<string, (string | null)[]>;
  /** For update/upsert: the row's find_by key (rows with the same key target the same record). */
  recordKeys: (string | null)[];
  /** Edited cells replacing the originals, by row. */
  edits: Map<number, readonly string[]>;
  /** Rows using each pick-list value that is not in the field's list, per field (ascending, no repeats). */
  newPicklist: Map<string, Map<string, number[]>>;
  /** Rows whose number cell starts with a zero that the number field will drop (bad-inputs #36), per field (ascending). */
  leadingZeros: Map<string, number[]>;
  /** Rows predicted DUPLICATE_DATA with their issues: from the uniqueness pass, then kept up to date by edits. */
  dupes: Map<number, Issue[]>;
  /**
   * By CSV column: 1 while every checked cell of the column is blank, or valid with a visible ASCII character at both
   * ends (`plainEnds`) and, for a checkbox, exactly 'true' or 'false'; 0 once one is not, and 0 for a column no mapping is checked against. Excluded rows are not
   * looked at, and a row whose cells are not checked (an update with no key) makes every column 0. The worker skips the column
   * clean-ups of a plain column whose clean-ups cannot change valid, plain cells (see `cleanUpsCannotChange`).
   */
  plainColumns: Uint8Array;
  /** Each row's source line (what a re-check and the messages need of rows the state no longer holds). */
  lines: Uint32Array;
  /**
   * Cells the state reads again once it no longer holds the rows (detachRows): the first cell with a lost leading
   * zero of each number column, by row then column.
   */
  heldCells: Map<number, Map<number, string>>;
}

/** What the table checks compile once per validation: one entry per resolved mapping, plus the find_by column. */
export interface Prepared {
  resolved: ResolvedMapping[];
  /** Per resolved mapping, how its issues name the column (columnName): built once, not once per issue. */
  columnNames: string[];
  /** The shared texts of row issue messages after "Line N, ", by column and kind, then by detail (row-check.ts). */
  rowTails: (Map<string, string> | undefined)[];
  validators: CompiledValidator[];
  picklists: (ReadonlySet<string> | null)[];
  knownCache: (Map<string, boolean> | null)[];
  /** Per resolved mapping of a user field, when the users are known: the directory its cells are looked up in. */
  userDirectories: (UserDirectory | null)[];
  /** …and per such mapping, the issue's text after "Line N, " by cell value (null: an active user), made once. */
  userTails: (Map<string, string | null> | null)[];
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

export function cellsOf(state: PreflightState, row: number): readonly string[] {
  return state.edits.get(row) ?? state.input.rows[row]?.cells ?? [];
}

/** One cell of a row as the state knows it: edited, from the rows it holds, or kept when it let them go. */
export function cellOf(state: PreflightState, row: number, column: number): string | undefined {
  return cellsOf(state, row)[column] ?? state.heldCells.get(row)?.get(column);
}

/** The source line of a data row (null past the table's end). */
export function lineOf(state: PreflightState, row: number): number | null {
  return row >= 0 && row < state.lines.length ? (state.lines[row] as number) : null;
}

export function bindKeys(prep: Prepared, state: PreflightState): void {
  prep.uniqueKeyArrays = prep.uniqueMappings.map((m) => {
    let keys = state.uniqueKeys.get(m.field.apiName);
    if (keys === undefined) state.uniqueKeys.set(m.field.apiName, (keys = new Array<string | null>(state.lines.length).fill(null)));
    return keys;
  });
}
