// Typed messages between the main-thread import client and import.worker.ts. Plain, structured-cloneable data.

import type { DecodeOptions, FileIssue, ParseOptions, ParsedTable } from '../domain/csv/types.ts';
import type { PackedEdits } from '../domain/jobs/packed-edits.ts';
import type { JobPart, SplitInput } from '../domain/jobs/types.ts';
import type { PackedRows } from '../domain/csv/packed-rows.ts';
import type { ColumnCounts, Issue } from '../domain/validation/issues.ts';
import type { TableInput } from '../domain/validation/preflight-state.ts';
import type { PackedFix } from './column-fixes.ts';
import type { PackedIssues } from './issue-pack.ts';
import type { UserIdColumn } from '../domain/org-check/types.ts';
import type { OrgRequest, OrgEvent } from './org-protocol.ts';
import type { SheetChoice } from '../domain/sheets/types.ts';

export type Phase = 'read' | 'decode' | 'parse' | 'validate' | 'serialise' | 'zip';

export interface OpenOptions {
  decode?: DecodeOptions;
  parse?: ParseOptions;
  /** A workbook's sheet and header row (ignored for a CSV). */
  sheet?: SheetChoice;
  /** Rows per `rows` batch event (large files stream in batches). Default 2,000. */
  batchSize?: number;
}

/** The table without its rows: rows arrive in `rows` batches before `opened`. */
export type TableSummary = Omit<ParsedTable, 'rows'>;

/** Everything of SplitInput except the rows, which the worker already holds from the last open/reparse. */
export type BuildJobsInput = Omit<SplitInput, 'rows' | 'rowIndexes'> & {
  /** The rows to send (0-based, in order; default all), typed: a million numbers in an array took ~0.1–0.2 s to clone. */
  rowIndexes?: Uint32Array;
  /** The review grid's edits against the parsed rows, only the changed cells (packEdits; same rowIndex, same line). */
  edits?: PackedEdits;
  /** User columns sent as user ids (e-mail or name → id); pass the same list to projectForUpload. */
  userIds?: readonly UserIdColumn[];
  /** Let go of the rows once split (see `release`). */
  release?: boolean;
};

/** Pre-flight validation of the worker's rows (plus edits); headers come from the open table. */
export type ValidateInput = Omit<TableInput, 'headers' | 'rows' | 'excluded'> & {
  excluded?: readonly number[];
  /** Review's edits against the worker's rows, only the changed cells (EditPacker; same rowIndex, same line). */
  edits?: PackedEdits;
  /** Also compute the column clean-up suggestions (Review asks; other callers only validate). */
  withFixes?: boolean;
  /**
   * Let go of the rows once checked (see `release`): the kept state keeps what re-checks need without them, and a
   * re-check must then bring the row's cells before the change (`RevalidateInput.before`).
   */
  release?: boolean;
};

/** One edited, included or excluded row re-checked against the worker's kept validation `base` (see WorkerValidation.base). */
export interface RevalidateInput {
  base: number;
  rowIndex: number;
  cells: string[];
  /** The row was just included (false) or excluded (true); absent for an edit of its cells. */
  excluded?: boolean;
  /** The row's cells as the kept validation saw them (needed when the worker let go of its rows). */
  before?: string[];
}

/**
 * A validation result without the working state (which holds the whole table and stays in the worker). Issues
 * travel packed; a row re-check sends only the rows whose issues changed.
 */
export interface WorkerValidation {
  /** Names the worker's kept state this result describes; a later row re-check must name it. */
  base: number;
  /** null: `issues` covers every row. Otherwise only these rows changed, and `issues` holds exactly theirs. */
  changedRows: Uint32Array | null;
  issues: PackedIssues;
  tableIssues: Issue[];
  /** Rows Zoho is predicted to skip, ascending. */
  predictedSkips: Uint32Array;
  countsByColumn: ColumnCounts[];
  /** Columns whose clean-up suggestions are in `fixes`, replacing earlier ones (every mapped column after a full check). */
  fixColumns: number[];
  fixes: PackedFix[];
  /**
   * A row re-check leaves the clean-ups of the columns it changed as they were (working one out reads the whole
   * column: ~1 s at a million rows); true when some are out of date, and `refreshFixes` brings them.
   */
  fixesPending: boolean;
  /** The columns whose clean-ups are out of date (what `refreshFixes` reads; empty unless `fixesPending`). */
  staleColumns: number[];
}

/** The clean-ups of the columns a re-check left out of date, for the kept validation `base`. */
export interface WorkerFixes {
  base: number;
  /** Columns whose clean-ups in `fixes` replace earlier ones. */
  fixColumns: number[];
  fixes: PackedFix[];
}

export type WorkerRequest =
  | { type: 'open'; id: number; file: Blob; options: OpenOptions }
  | { type: 'reparse'; id: number; options: OpenOptions }
  | { type: 'buildJobs'; id: number; input: BuildJobsInput }
  | { type: 'validate'; id: number; input: ValidateInput }
  | { type: 'revalidate'; id: number; input: RevalidateInput }
  /**
   * `release`: let go of the rows lent for it once done. `lend`: the lending (`lendRows`) of only the stale columns
   * of every row, read for this refresh alone (the worker let its rows go).
   */
  | { type: 'refreshFixes'; id: number; input: { base: number; release?: boolean; lend?: number; columns?: number[] } }
  /**
   * The worker lets go of its table and of everything worked out from it (the kept validation, the org check's
   * file side); the main thread keeps its own copy and lends it back (`lendRows` then `restore`) before a request
   * that reads rows. `lend`: a lending given up half-way, whose batches go too. Decision 152.
   */
  | { type: 'release'; id: number; lend?: number }
  /** One batch of a table lent by the main thread (`lend` names the lending); `restore` makes them the table. */
  | { type: 'lendRows'; id: number; lend: number; offset: number; packed: PackedRows }
  /**
   * The lent batches become the worker's table, once all `rowCount` rows have arrived. `same`: they are the rows it
   * let go of, so what it worked out from them (the kept validation) still holds.
   */
  | { type: 'restore'; id: number; lend: number; headers: string[]; rowCount: number; same: boolean }
  | { type: 'cancel'; id: number }
  | OrgRequest;

export type WorkerEvent =
  | { type: 'progress'; id: number; phase: Phase; done: number; total: number }
  | { type: 'rows'; id: number; offset: number; packed: PackedRows }
  | { type: 'opened'; id: number; table: TableSummary }
  | { type: 'job'; id: number; part: JobPart }
  /**
   * `rowsReleased` (on `jobs`, `validated` and `fixes`): the worker let its rows go at the end of the request (it
   * was sent with `release` and no org check holds them); the main thread lends them again when next needed.
   */
  | { type: 'jobs'; id: number; header: string[]; totalRows: number; rowsReleased?: true }
  /** result null: a re-check whose base is no longer the worker's kept state — validate in full instead. */
  | { type: 'validated'; id: number; result: WorkerValidation | null; rowsReleased?: true }
  /** result null: not worked out — the base is no longer the kept state, or newer checks wait (they bring their own). */
  | { type: 'fixes'; id: number; result: WorkerFixes | null; rowsReleased?: true }
  | { type: 'failed'; id: number; message: string; issues?: FileIssue[] }
  | { type: 'cancelled'; id: number }
  /** A release or restore is done (restore: the worker holds the lent table). */
  | { type: 'held'; id: number; rows: number }
  | OrgEvent;
