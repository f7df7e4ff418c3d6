// The guard before a file puts the tab at risk (issue 13, decision 130): a file is refused, with a message saying
// what, why and what to do, when checking it would need more memory than the tab's budget — by its size before a
// byte is read, and by its row count once parsed, before a row is sent to the main thread. The figures come from
// bench:scale (docs/benchmarks.md §6): what the page and its workers retain once Review shows a file.

/**
 * Memory per byte of CSV at the peak of an import: the renderer's resident memory (page, workers, ArrayBuffers, the
 * file's bytes while read, code — everything the tab's process holds), sampled every 200 ms through bench:scale's
 * million-row import; the largest reading, 2,846 MB for the 320.6 MB file (docs/benchmarks.md §6, session 15;
 * 2.1–2.8 GB over the runs of sessions 14–15). What puts a tab at risk is its peak, not what it keeps after a GC
 * (1.7–1.84× since decision 153): decision 130, addendum of session 15.
 */
export const PEAK_BYTES_PER_FILE_BYTE = 8.9;
/** The same peak per data row of bench:scale's 20-column rows (≈ 320 bytes each), for the row message. */
export const PEAK_BYTES_PER_ROW = 2_846;
/**
 * The largest file accepted: the 1,000,000-row bench file (320.6 MB), the largest run end to end, with a margin. Not
 * raised with the lower ratio: no larger file has been run, a file is decoded as one string (V8 caps a string at
 * ~536 million characters) and reading it takes more memory for a while than the tab keeps afterwards.
 */
export const MAX_FILE_BYTES = 347_000_000;
/** What the wizard lets one tab need: the peak of the largest accepted file (≈ 3.1 GB). */
export const TAB_BUDGET_BYTES = MAX_FILE_BYTES * PEAK_BYTES_PER_FILE_BYTE;
/** The most data rows accepted: the largest size checked end to end (bench:scale). */
export const MAX_ROWS = 1_000_000;
/** Excel's sheet height: a file of exactly this many lines was probably cut off by Excel. */
export const EXCEL_MAX_ROWS = 1_048_576;

const MB = 1_000_000;
const mb = (bytes: number): string => `${Math.round(bytes / MB).toLocaleString('en-US')} MB`;
const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(1)} GB`;

/** The memory the tab would need at the peak of importing a CSV of `fileBytes` (the measured ratio). */
export function estimatePeakBytes(fileBytes: number): number {
  return fileBytes * PEAK_BYTES_PER_FILE_BYTE;
}

/** null when a file of this size may be opened; else why not and what to do. */
export function fileSizeRefusal(name: string, fileBytes: number): string | null {
  if (fileBytes <= MAX_FILE_BYTES) return null;
  const parts = Math.ceil(fileBytes / MAX_FILE_BYTES);
  return (
    `${name} is ${mb(fileBytes)}, more than the ${mb(MAX_FILE_BYTES)} one browser tab can check safely. ` +
    `Importing a file takes up to about ${PEAK_BYTES_PER_FILE_BYTE} times its size in memory at its peak (measured), so this one would need about ` +
    `${gb(estimatePeakBytes(fileBytes))}, past the ${gb(TAB_BUDGET_BYTES)} the wizard allows one tab (the most it has been measured to need through an import). ` +
    `Nothing was read. Split the file into ${parts} or more parts of at most ${mb(MAX_FILE_BYTES)}, each with the header row, and import them one after another.`
  );
}

/** null when a table of `rows` data rows may be shown; else why not and what to do (the file is not shown at all). */
export function rowCountRefusal(name: string, rows: number): string | null {
  if (rows <= MAX_ROWS) return null;
  const lines = rows + 1;
  const excel =
    lines >= EXCEL_MAX_ROWS
      ? ` With its header that is ${lines.toLocaleString('en-US')} lines${lines === EXCEL_MAX_ROWS ? ', exactly' : ', more than'} Excel's maximum of ${EXCEL_MAX_ROWS.toLocaleString('en-US')}: if the data was ever saved from Excel, rows past that limit were cut off, so check the source.`
      : '';
  const parts = Math.ceil(rows / MAX_ROWS);
  return (
    `${name} has ${rows.toLocaleString('en-US')} data rows; one browser tab checks at most ${MAX_ROWS.toLocaleString('en-US')}. ` +
    `Each row takes up to about ${(PEAK_BYTES_PER_ROW / 1000).toFixed(1)} KB of memory at the peak of an import (measured), so more rows put the tab at risk of running out of memory.${excel} ` +
    `Nothing was imported. Split the file into ${parts} or more parts of at most ${MAX_ROWS.toLocaleString('en-US')} rows, each with the header row, and import them one after another.`
  );
}
