// Plain-data shapes for the upload side: what is sent (projection), the job parts with their zip bytes and
// provenance, and the reconciled per-row outcomes read back from Zoho's result files.

import type { SourceRow } from '../csv/types.ts';
import { fnv1a } from '../fnv.ts';
import type { RowOutcomes } from './outcomes.ts';

/**
 * What to send, as `projectForUpload` (domain/mapping) gives it: header = field API names of the mapped
 * columns; columnSource[i] = the original CSV column index that feeds sent column i.
 */
export interface UploadProjection {
  header: readonly string[];
  columnSource: readonly number[];
}

export interface SplitInput extends UploadProjection {
  /** All parsed rows (ParsedTable.rows); cells are read through columnSource. */
  rows: readonly SourceRow[];
  /** Which rows to send, as 0-based indexes into `rows`, in order (default: all). Excluded rows are left out. */
  rowIndexes?: readonly number[];
  /** Module API name: the zip entry is `<module>.csv`. */
  module: string;
  /** Budgets (defaults: 25,000 rows, 25 MiB zipped) — overridable so tests can exercise the byte split. */
  maxRows?: number;
  maxZipBytes?: number;
  /** UTF-8 bytes of one part's CSV (default 25 MiB: the emulator/Zoho refuse a CSV that inflates past it). */
  maxCsvBytes?: number;
}

/** Where a sent row came from: position in the job → original row. */
export interface Provenance {
  /** 0-based index into ParsedTable.rows. */
  rowIndex: number;
  /** 1-based source line of that row. */
  line: number;
}

export interface JobPart {
  /** 0-based job number within the import. */
  job: number;
  entryName: string;
  rowCount: number;
  /** UTF-8 bytes of the CSV inside the zip. */
  csvBytes: number;
  zipBytes: number;
  zip: Uint8Array;
  /**
   * Where each sent row came from, by rowInJob (0-based, data rows only): rowIndexes[rowInJob] is its 0-based index
   * into ParsedTable.rows, lines[rowInJob] its 1-based source line. Typed arrays, not an object per row: a million-row
   * import kept a million provenance objects on the main thread until the results were read (decision 147).
   */
  rowIndexes: Uint32Array;
  lines: Uint32Array;
  /** What Zoho echoes back (the first ≤ 3 sent columns, rowInJob order), as hashes; see EchoDigest. */
  echo: EchoDigest;
}

/**
 * The echoed cells of a job as a digest: hashes[r·width + c] is `echoHash` of sent column c of row r. Reconciling
 * compares each result row's echoed cells with them (a result out of order or not ours). A hash, not the text: at a
 * million rows the sent text of three columns was ~46 MB the tab kept from Start to Results (decision 153).
 */
export interface EchoDigest {
  width: number;
  hashes: Uint32Array;
}

/** 32-bit FNV-1a of the value with surrounding whitespace trimmed (Zoho may trim what it echoes). */
export function echoHash(value: string): number {
  return fnv1a(value.trim()) >>> 0;
}

/** A job's provenance as objects (for tests and small jobs; the import reads the typed arrays). */
export function provenanceOf(job: Pick<JobPart, 'rowIndexes' | 'lines'>): Provenance[] {
  return Array.from(job.rowIndexes, (rowIndex, i) => ({ rowIndex, line: job.lines[i] as number }));
}

/** The digest of a flat list of echoed cells, row r's at cells[r·width … (r+1)·width) (for tests and small jobs). */
export function digestEcho(cells: readonly string[], width: number): EchoDigest {
  return { width, hashes: Uint32Array.from(cells, echoHash) };
}

export interface SplitResult {
  header: string[];
  jobs: JobPart[];
  totalRows: number;
}

export type { RowErrorReason, RowOutcome, RowStatus } from './outcomes.ts';

export interface ReconcileProblem {
  job: number;
  /** Row in the result file (0-based data row), when the problem is about one row. */
  rowInJob?: number;
  line?: number;
  message: string;
}

export interface JobFileCounts {
  added_count?: number | null;
  updated_count?: number | null;
  skipped_count?: number | null;
  total_count?: number | null;
}

export interface ReconcileCounts {
  added: number;
  updated: number;
  skipped: number;
  unprocessed: number;
  total: number;
}

export interface ReconcileResult {
  /** false → "could not reconcile": never show success; offer both files. */
  reconciled: boolean;
  problems: ReconcileProblem[];
  /** Every result row, in (job, rowInJob) order, packed (decision 153). */
  outcomes: RowOutcomes;
  counts: ReconcileCounts;
}
