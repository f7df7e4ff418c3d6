// Split the rows to send into Bulk Write jobs of ≤ 25,000 rows, ≤ 25 MiB of CSV and ≤ 25 MiB zipped — the zip
// size is measured, never guessed: a part whose zip is too big is halved and zipped again (contract §11, #4).

import JSZip from 'jszip';
import { serialiseProjected, serialiseRow, utf8Length } from '../csv/serialise.ts';
import { LIMITS } from '../csv/types.ts';
import { echoHash, type JobPart, type SplitInput, type SplitResult } from './types.ts';

/** A fixed entry date so the same rows always give the same zip bytes (whichever deflater zips them). */
export const ZIP_DATE = new Date(Date.UTC(2020, 0, 1, 0, 0, 0));
const ECHO_COLUMNS = 3;

// eslint-disable-next-line no-control-regex -- the ASCII range is the point
const ASCII = /^[\x00-\x7f]*$/;

export class SplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SplitError';
  }
}

/**
 * Zips one CSV as the entry `entryName` (a Bulk Write ZIP): JSZip here; the worker passes a native one (decision
 * 158). `csv` is a view of a buffer the next part reuses: it must not be kept once the promise settles.
 */
export type ZipCsv = (entryName: string, csv: Uint8Array) => Promise<Uint8Array>;

export async function zipCsv(entryName: string, csv: Uint8Array): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(entryName, csv, { date: ZIP_DATE, binary: true, createFolders: false });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'DOS' });
}

export interface SplitProgress {
  (phase: 'serialise' | 'zip', done: number, total: number): void;
}

/** Safe file name for the zip entry: the module API name (letters, digits, `_`) + `.csv`. */
export function entryNameFor(module: string): string {
  const safe = module.replace(/[^A-Za-z0-9_]/g, '_');
  return `${safe === '' ? 'Records' : safe}.csv`;
}

export class SplitCancelledError extends Error {
  constructor() {
    super('Building the jobs was cancelled.');
    this.name = 'SplitCancelledError';
  }
}

/**
 * `isCancelled` is polled between zips (each zip yields to the event loop, so a cancel message can land). `zip` makes
 * each part's ZIP (default: JSZip's `zipCsv`).
 */
export async function splitIntoJobs(input: SplitInput, onProgress?: SplitProgress, isCancelled?: () => boolean, zip: ZipCsv = zipCsv): Promise<SplitResult> {
  const maxRows = input.maxRows ?? LIMITS.maxRowsPerJob;
  const maxZip = input.maxZipBytes ?? LIMITS.maxZipBytes;
  const maxCsv = input.maxCsvBytes ?? LIMITS.maxZipBytes;
  if (input.header.length !== input.columnSource.length) {
    throw new SplitError(`The sent header has ${input.header.length} columns but columnSource has ${input.columnSource.length}.`);
  }
  if (input.header.length === 0) throw new SplitError('No columns are mapped, so there is nothing to send. Map at least one column.');
  if (input.header.length > LIMITS.maxColumnsZoho) {
    throw new SplitError(
      `${input.header.length} columns are mapped; Zoho accepts at most ${LIMITS.maxColumnsZoho} per file. Unmap ${input.header.length - LIMITS.maxColumnsZoho} column(s).`,
    );
  }
  const indexes = input.rowIndexes ?? input.rows.map((_, i) => i);
  const total = indexes.length;
  if (total === 0) throw new SplitError('No rows are selected to send. Include at least one row.');

  const headerLine = serialiseRow(input.header);
  const headerBytes = utf8Length(headerLine);
  const echoCols = Math.min(ECHO_COLUMNS, input.header.length);

  // Serialise every sent row once; remember its byte length for the budget.
  const lines = new Array<string>(total);
  const sizes = new Float64Array(total);
  const rowIndexes = new Uint32Array(total);
  const rowLines = new Uint32Array(total);
  // Every sent row's echoed cells hashed in one list (row k's are [k·echoCols, (k+1)·echoCols)), cut per job below.
  const echo = new Uint32Array(total * echoCols);
  for (let k = 0; k < total; k++) {
    const rowIndex = indexes[k] as number;
    const row = input.rows[rowIndex];
    if (!row) throw new SplitError(`Row index ${rowIndex} does not exist in the parsed file.`);
    // Read once: a packed row cuts its cells on each read.
    const cells = row.cells;
    const text = serialiseProjected(cells, input.columnSource);
    lines[k] = text;
    // Native regex beats a JS loop: most rows are ASCII, where bytes = characters.
    sizes[k] = ASCII.test(text) ? text.length : utf8Length(text);
    rowIndexes[k] = rowIndex;
    rowLines[k] = row.line;
    for (let c = 0; c < echoCols; c++) echo[k * echoCols + c] = echoHash(cells[input.columnSource[c] as number] ?? '');
    if (headerBytes + sizes[k]! > maxCsv) {
      throw new SplitError(
        `Line ${row.line} alone is ${(sizes[k]! / 1048576).toFixed(1)} MB after UTF-8 encoding, over the ${(maxCsv / 1048576).toFixed(0)} MB per-file limit. Shorten its values or exclude the row.`,
      );
    }
    if (onProgress && (k % 5000 === 0 || k === total - 1)) onProgress('serialise', k + 1, total);
  }

  // Greedy ranges by row count and CSV bytes.
  const ranges: Array<[number, number]> = [];
  let start = 0;
  let bytes = headerBytes;
  for (let k = 0; k < total; k++) {
    const s = sizes[k]!;
    if (k > start && (k - start >= maxRows || bytes + s > maxCsv)) {
      ranges.push([start, k]);
      start = k;
      bytes = headerBytes;
    }
    bytes += s;
  }
  ranges.push([start, total]);

  const entryName = entryNameFor(input.module);
  const encoder = new TextEncoder();
  // One buffer, reused by every part (grown when a part needs more): a fresh ~8 MB array per part left 40 of them
  // to the collector at a million rows, faster than it took them once the zipping was native (decision 158).
  let buffer = new Uint8Array(0);
  const jobs: JobPart[] = [];
  let rowsZipped = 0;
  const queue = [...ranges];
  while (queue.length > 0) {
    if (isCancelled?.()) throw new SplitCancelledError();
    const [a, b] = queue.shift() as [number, number];
    let need = headerBytes;
    for (let k = a; k < b; k++) need += sizes[k]!;
    if (buffer.length < need) buffer = new Uint8Array(need);
    const text = headerLine + lines.slice(a, b).join('');
    const put = encoder.encodeInto(text, buffer);
    // Zipped before the next part is written into the buffer: `zip` must not keep its input. (Were a size ever
    // short of the encoding, the part is encoded on its own rather than cut.)
    const csv = put.read === text.length ? buffer.subarray(0, put.written) : encoder.encode(text);
    const zipped = await zip(entryName, csv);
    if (zipped.length > maxZip) {
      if (b - a === 1)
        throw new SplitError(
          `Line ${rowLines[a] as number} alone zips to ${zipped.length} bytes, over the ${maxZip}-byte limit. Shorten its values or exclude the row.`,
        );
      const mid = a + Math.floor((b - a) / 2);
      queue.unshift([a, mid], [mid, b]);
      continue;
    }
    jobs.push({
      job: jobs.length,
      entryName,
      rowCount: b - a,
      csvBytes: csv.length,
      zipBytes: zipped.length,
      zip: zipped,
      rowIndexes: rowIndexes.slice(a, b),
      lines: rowLines.slice(a, b),
      echo: { width: echoCols, hashes: echo.slice(a * echoCols, b * echoCols) },
    });
    rowsZipped += b - a;
    onProgress?.('zip', rowsZipped, total);
  }
  return { header: [...input.header], jobs, totalRows: total };
}
