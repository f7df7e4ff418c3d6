// Join Zoho's result files back to the rows we sent (by position), prove they agree (echoed columns, row count,
// job counts) or say "could not reconcile", and build retry sources and Excel-safe exports (contract §7, #45, #46).

import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import { CSV_CHUNK_ROWS, excelSafeCsvChunks } from '../csv/excel-safe.ts';
import type { SourceRow } from '../csv/types.ts';
import { rowWidth } from '../csv/packed-rows.ts';
import { describeRowError, parseRowErrors } from '../validation/row-errors.ts';
import { OutcomeBuilder, RowOutcomes } from './outcomes.ts';
import { chooseResultEntry, isFolder } from './result-zip.ts';
import {
  echoHash,
  type JobFileCounts,
  type JobPart,
  type ReconcileCounts,
  type ReconcileProblem,
  type ReconcileResult,
  type RowErrorReason,
  type RowOutcome,
  type RowStatus,
} from './types.ts';

const NO_ERRORS: readonly RowErrorReason[] = Object.freeze([]);
const EMPTY_HASH = echoHash('');

const STATUSES: ReadonlySet<string> = new Set<RowStatus>(['ADDED', 'UPDATED', 'SKIPPED', 'UNPROCESSED']);
const NOT_WRITTEN: ReadonlySet<RowStatus> = new Set<RowStatus>(['SKIPPED', 'UNPROCESSED']);
const PROBLEM_LIST_CAP = 20;

export interface ResultTable {
  header: string[];
  rows: string[][];
}

const RESULT_CSV = { delimiter: ',', quoteChar: '"', skipEmptyLines: 'greedy' } as const;
const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Lenient read of a result CSV: BOM, CRLF/LF/CR, blank trailing lines. */
export function parseResultCsv(text: string): ResultTable {
  const res = Papa.parse<string[]>(withoutBom(text), RESULT_CSV);
  const [header = [], ...rows] = res.data;
  return { header: header.map((h) => h.trim()), rows };
}

/**
 * The same rows as `parseResultCsv`, read a few at a time: `read(n, each)` parses up to n more rows and hands each
 * to `each` as it is parsed, so a caller can spread a job's file over steps and keep no table of it (Papa Parse's
 * own pause and resume, property-tested against the read in one go). Parsed whole, a job's file was one step of
 * 20–60 ms whose 25,000 rows then outlived a few collections (decision 157).
 */
export class ResultRowReader {
  readonly header: string[];
  #parser: Papa.Parser | null = null;
  #each: ((row: string[]) => void) | null = null;
  #left = 0;
  #done = false;

  constructor(text: string) {
    let header: string[] | null = null;
    Papa.parse<string[]>(withoutBom(text), {
      ...RESULT_CSV,
      step: (result, parser) => {
        if (header === null) {
          header = result.data.map((h) => h.trim());
          this.#parser = parser;
          parser.pause();
          return;
        }
        this.#each?.(result.data);
        if (--this.#left <= 0) parser.pause();
      },
      complete: () => {
        this.#done = true;
      },
    });
    this.header = header ?? [];
  }

  /** Parses up to `rows` more rows (at least one), each handed to `each`; false once the file is read to its end. */
  read(rows: number, each: (row: string[]) => void): boolean {
    if (this.#done || this.#parser === null) return false;
    this.#each = each;
    this.#left = rows;
    this.#parser.resume();
    this.#each = null;
    return !this.#done;
  }
}

/**
 * The one CSV inside a result ZIP, inflated in one go (fflate: a job's ~2 MB CSV in a few ms). With JSZip's streamed
 * inflate, reading the 40 files of a million rows again at Results put ten of the import's twelve largest tasks
 * (65–111 ms) in the reconcile (decision 153). The page reads a result ZIP it holds as a Blob with the platform's
 * streamed inflate instead (`readResultCsv`, decision 157); this is its fallback, and the reader of bytes in hand.
 */
export function extractResultCsv(zipBytes: Uint8Array): string {
  const files = unzipSync(zipBytes, { filter: (f) => !isFolder(f.name) });
  const chosen = chooseResultEntry(Object.keys(files));
  if ('error' in chosen) throw new Error(chosen.error);
  return new TextDecoder('utf-8').decode(files[chosen.name]);
}

export interface ReconcileJobInput {
  job: Pick<JobPart, 'job' | 'rowCount' | 'rowIndexes' | 'lines' | 'echo'>;
  /** Header of the sent CSV (field API names). */
  sentHeader: readonly string[];
  resultCsv: string;
  /** `resource[0].file` of the job details, when known. */
  fileCounts?: JobFileCounts | null;
  /** Field API name → label, for plain-language reasons. */
  fieldLabels?: ReadonlyMap<string, string>;
}

function emptyCounts(): ReconcileCounts {
  return { added: 0, updated: 0, skipped: 0, unprocessed: 0, total: 0 };
}

export function reconcileJob(input: ReconcileJobInput): ReconcileResult {
  const r = new JobReconciler(input);
  while (!r.step(Number.POSITIVE_INFINITY));
  return r.result();
}

/**
 * `reconcileJob` in steps: the result file's header is read when it is made, then `step(n)` reads and joins up to n
 * more rows (its file is parsed as it is joined, `ResultRowReader`). A caller can spread a job's 25,000 rows over
 * slices of the main thread (in one go: 70–180 ms a job, decision 141).
 */
export class JobReconciler {
  readonly #input: ReconcileJobInput;
  readonly #problems: ReconcileProblem[] = [];
  readonly #counts = emptyCounts();
  readonly #outcomes: OutcomeBuilder;
  readonly #reader: ResultRowReader;
  readonly #statusAt: number;
  readonly #idAt: number;
  readonly #errorsAt: number;
  readonly #echoCount: number;
  /** Where the row-count problem goes among the problems (it is known only at the end, but reads before the rows'). */
  readonly #countProblemAt: number;
  readonly #join = (r: string[]): void => this.#joinRow(r);
  /** Result rows read so far (joined while they are within what was sent). */
  #i = 0;
  #mismatches = 0;
  #finished = false;

  constructor(input: ReconcileJobInput) {
    this.#input = input;
    const { job } = input;
    const reader = new ResultRowReader(input.resultCsv);
    this.#reader = reader;
    const upper = reader.header.map((h) => h.toUpperCase());
    this.#statusAt = upper.indexOf('STATUS');
    this.#idAt = upper.indexOf('RECORD_ID');
    this.#errorsAt = upper.indexOf('ERRORS');
    const expectedEcho = Math.min(3, input.sentHeader.length);
    this.#echoCount = Math.min(this.#statusAt, expectedEcho);
    this.#outcomes = new OutcomeBuilder(job.job, job.rowCount, job);
    if (this.#statusAt === -1) {
      this.#fail(`Job ${job.job + 1}: the result file has no STATUS column (columns: ${reader.header.join(', ') || 'none'}), so no row's outcome is known.`);
      this.#countProblemAt = -1;
      this.#finished = true;
      return;
    }
    if (this.#statusAt !== expectedEcho) {
      this.#fail(
        `Job ${job.job + 1}: the result file echoes ${this.#statusAt} column(s) before STATUS; ${expectedEcho} were expected (the first mapped columns).`,
      );
    }
    this.#countProblemAt = this.#problems.length;
  }

  #fail(message: string, extra: Partial<ReconcileProblem> = {}): void {
    this.#problems.push({ job: this.#input.job.job, message, ...extra });
  }

  /** Reads and joins up to `rows` more result rows; true when the file is read to its end and every row joined. */
  step(rows: number): boolean {
    if (this.#finished) return true;
    if (this.#reader.read(rows, this.#join)) return false;
    this.#finish();
    return true;
  }

  #joinRow(r: string[]): void {
    const i = this.#i++;
    const { job } = this.#input;
    // Rows past what was sent are counted (the row-count problem), not joined.
    if (i >= job.rowCount) return;
    const input = this.#input;
    const statusAt = this.#statusAt;
    const echo = job.echo;
    const known = i < job.rowIndexes.length;
    const line = known ? (job.lines[i] as number) : undefined;
    for (let c = 0; c < this.#echoCount; c++) {
      // Past the digest an empty cell was sent (as the echo of a shorter header reads).
      const k = i * echo.width + c;
      const sent = c < echo.width && k < echo.hashes.length ? echo.hashes[k] : EMPTY_HASH;
      if (echoHash(r[c] ?? '') !== sent) {
        this.#mismatches++;
        if (this.#mismatches <= PROBLEM_LIST_CAP) {
          this.#fail(
            `Job ${job.job + 1}, result row ${i + 1} (source line ${line ?? '?'}): column "${input.sentHeader[c] ?? c + 1}" reads ${JSON.stringify(r[c] ?? '')}, not what was sent in that row (the result is out of order or not this job's).`,
            { rowInJob: i, ...(line !== undefined ? { line } : {}) },
          );
        }
        break;
      }
    }
    const rawStatus = (r[statusAt] ?? '').replace(/\s+/g, '').toUpperCase();
    if (!STATUSES.has(rawStatus)) {
      this.#fail(`Job ${job.job + 1}, result row ${i + 1}: unknown STATUS ${JSON.stringify(r[statusAt] ?? '')}.`, { rowInJob: i });
      return;
    }
    const status = rawStatus as RowStatus;
    const errorsText = this.#errorsAt === -1 ? '' : (r[this.#errorsAt] ?? '');
    const recordId = this.#idAt === -1 ? '' : (r[this.#idAt] ?? '').trim();
    // A row without errors (most of them) shares one empty list: a million rows made a million empty arrays.
    const errors =
      errorsText === ''
        ? NO_ERRORS
        : parseRowErrors(errorsText).map((e) => ({
            code: e.code,
            apiName: e.apiName,
            reason: describeRowError(e.code, e.apiName, input.fieldLabels?.get(e.apiName) ?? null),
          }));
    const counts = this.#counts;
    if (status === 'ADDED') counts.added++;
    else if (status === 'UPDATED') counts.updated++;
    else if (status === 'SKIPPED') counts.skipped++;
    else counts.unprocessed++;
    counts.total++;
    this.#outcomes.push(i, status, recordId === '' ? null : recordId, errorsText, errors);
  }

  #finish(): void {
    this.#finished = true;
    const { job } = this.#input;
    const counts = this.#counts;
    if (this.#i !== job.rowCount) {
      this.#problems.splice(this.#countProblemAt, 0, {
        job: job.job,
        message: `Job ${job.job + 1}: ${job.rowCount} rows were sent but the result file has ${this.#i}.`,
      });
    }
    if (this.#mismatches > PROBLEM_LIST_CAP) this.#fail(`Job ${job.job + 1}: ${this.#mismatches - PROBLEM_LIST_CAP} more rows disagree with what was sent.`);
    const fc = this.#input.fileCounts;
    if (fc) {
      const check = (label: string, theirs: number | null | undefined, ours: number, alt?: number): void => {
        if (typeof theirs === 'number' && theirs !== ours && theirs !== alt) {
          this.#fail(`Job ${job.job + 1}: the job reports ${theirs} ${label} but the result file lists ${ours}.`);
        }
      };
      check('added', fc.added_count, counts.added);
      check('updated', fc.updated_count, counts.updated);
      // Zoho may or may not count never-reached rows as skipped.
      check('skipped', fc.skipped_count, counts.skipped, counts.skipped + counts.unprocessed);
      check('rows in total', fc.total_count, job.rowCount);
    }
  }

  /** The job's result once every row is joined (`step` returned true). */
  result(): ReconcileResult {
    return { reconciled: this.#problems.length === 0, problems: this.#problems, outcomes: this.#outcomes.build(), counts: this.#counts };
  }
}

/** Merge several jobs' results into one, in job order. Reconciled only if every part is. */
export function mergeResults(parts: readonly ReconcileResult[]): ReconcileResult {
  const counts = emptyCounts();
  for (const p of parts) {
    counts.added += p.counts.added;
    counts.updated += p.counts.updated;
    counts.skipped += p.counts.skipped;
    counts.unprocessed += p.counts.unprocessed;
    counts.total += p.counts.total;
  }
  let outcomes = RowOutcomes.concat(parts.map((p) => p.outcomes));
  // Results reconciles the jobs in order, so the outcomes usually are in order already (checked at each job's ends):
  // sorting a million of them anyway took a few hundred ms of one task. Sorted as objects only when out of order.
  if (!outcomes.ordered()) outcomes = RowOutcomes.of([...outcomes].sort((a, b) => a.job - b.job || a.rowInJob - b.rowInJob));
  return { reconciled: parts.length > 0 && parts.every((p) => p.reconciled), problems: parts.flatMap((p) => p.problems), outcomes, counts };
}

export interface RetrySource {
  /** Full original rows (all columns, source lines kept), for fix-and-retry. */
  rows: SourceRow[];
  /** rowIndex into the original table for each retry row. */
  rowIndexes: number[];
  outcomes: RowOutcome[];
}

/** Skipped and unprocessed rows as a new source for fix-and-retry. */
export function rowsToRetry(result: ReconcileResult, rows: readonly SourceRow[]): RetrySource {
  const picked = result.outcomes.withStatus(NOT_WRITTEN).filter((o) => rows[o.rowIndex] !== undefined);
  return {
    rows: picked.map((o) => {
      const r = rows[o.rowIndex] as SourceRow;
      return { line: r.line, cells: [...r.cells] };
    }),
    rowIndexes: picked.map((o) => o.rowIndex),
    outcomes: picked,
  };
}

export interface ResultExportInput {
  headers: readonly string[];
  rows: readonly SourceRow[];
  result: ReconcileResult;
  /** Only these statuses (default: all). */
  only?: readonly RowStatus[];
}

/** Excel-safe CSV: source line, the full original row, STATUS, RECORD_ID, ERRORS and a plain-language reason. */
export function resultExportCsv(input: ResultExportInput): string {
  return [...resultExportChunks(input)].join('');
}

/**
 * `resultExportCsv` in pieces of at most `rowsPerChunk` rows, each row built only when its piece is: at a million
 * rows the whole file and its rows at once do not fit the tab's heap (see `excelSafeCsvChunks`).
 */
export function resultExportChunks(input: ResultExportInput, rowsPerChunk = CSV_CHUNK_ROWS): Generator<string, void, undefined> {
  return resultExport(input, rowsPerChunk).chunks;
}

/** Rows whose widths are read per step before the header is known (a step of a few ms at a million rows). */
const WIDTH_SCAN_ROWS = 50_000;

/**
 * `resultExportChunks` and the number of data rows they hold (for a caller's progress). Before the header, the
 * pieces include an empty one after each WIDTH_SCAN_ROWS rows whose width was read, so a caller taking one piece a
 * step (`textBlobInSlices`) never reads every row's width in one step (at a million rows that was one ~80 ms task
 * when Download merged CSV was pressed).
 */
export function resultExport(input: ResultExportInput, rowsPerChunk = CSV_CHUNK_ROWS): { rows: number; chunks: Generator<string, void, undefined> } {
  const only = input.only ? new Set(input.only) : null;
  const picked = only ? RowOutcomes.of(input.result.outcomes.withStatus(only)) : input.result.outcomes;
  function* chunks(): Generator<string, void, undefined> {
    // Extra cells of ragged rows are exported too, under "Extra column N" headers: nothing is dropped.
    let width = input.headers.length;
    // rowWidth, not cells.length: reading a packed row's cells cuts all of them (20 million cuts at a million rows,
    // one ~330 ms task).
    for (let from = 0; from < picked.length; from += WIDTH_SCAN_ROWS) {
      const to = Math.min(picked.length, from + WIDTH_SCAN_ROWS);
      for (let i = from; i < to; i++) {
        const row = input.rows[picked.rowIndexAt(i) as number];
        if (row) width = Math.max(width, rowWidth(row));
      }
      if (to < picked.length) yield '';
    }
    const extra = Array.from({ length: width - input.headers.length }, (_, i) => `Extra column ${i + 1}`);
    const header = ['Line', ...input.headers, ...extra, 'STATUS', 'RECORD_ID', 'ERRORS', 'REASON'];
    const generated = [0, width + 1, width + 2, width + 3, width + 4];
    function* rows(): Generator<string[], void, undefined> {
      for (const o of picked) {
        const cells = input.rows[o.rowIndex]?.cells ?? [];
        // One array a row, filled in place (a row of a million was three arrays: padded, spread, and the result).
        const out = new Array<string>(width + 5);
        out[0] = String(o.line);
        for (let i = 0; i < width; i++) out[i + 1] = cells[i] ?? '';
        out[width + 1] = o.status;
        out[width + 2] = o.recordId ?? '';
        out[width + 3] = o.errorsText;
        out[width + 4] = o.errors.length === 0 ? '' : o.errors.map((e) => e.reason).join(' ');
        yield out;
      }
    }
    yield* excelSafeCsvChunks({ header, rows: rows(), generatedColumns: generated }, rowsPerChunk);
  }
  return { rows: picked.length, chunks: chunks() };
}
