// The guard before a file puts the tab at risk (issue 13, decision 130): a file is refused, with a message saying
// what, why and what to do, when checking it would need more memory than the tab's budget — by its size before a
// byte is read, and by its row count once parsed, before a row is sent to the main thread. The figures come from
// bench:scale (docs/benchmarks.md §6): what the page and its workers retain once Review shows a file.

/**
 * Retained memory per byte of CSV: the most an import holds (Results, after the jobs; 2.95 at Review), page and
 * worker heaps and ArrayBuffers, bench:scale's 1,000,000-row file (docs/benchmarks.md §6, session 10: 1,307 MB for
 * 320.6 MB). It was 7.5 when the guard was made (decision 130) and is re-measured when the rows' memory changes.
 */
export const RETAINED_BYTES_PER_FILE_BYTE = 4.1;
/** Retained memory per data row of bench:scale's 20-column rows (≈ 320 bytes each), for the row message. */
export const RETAINED_BYTES_PER_ROW = 1_310;
/**
 * The largest file accepted: the 1,000,000-row bench file (320.6 MB), the largest run end to end, with a margin. Not
 * raised with the lower ratio: no larger file has been run, a file is decoded as one string (V8 caps a string at
 * ~536 million characters) and reading it takes more memory for a while than the tab keeps afterwards.
 */
export const MAX_FILE_BYTES = 347_000_000;
/** What the wizard lets one tab hold: what the largest accepted file retains (≈ 1.4 GB). */
export const TAB_BUDGET_BYTES = MAX_FILE_BYTES * RETAINED_BYTES_PER_FILE_BYTE;
/** The most data rows accepted: the largest size checked end to end (bench:scale). */
export const MAX_ROWS = 1_000_000;
/** Excel's sheet height: a file of exactly this many lines was probably cut off by Excel. */
export const EXCEL_MAX_ROWS = 1_048_576;

const MB = 1_000_000;
const mb = (bytes: number): string => `${Math.round(bytes / MB).toLocaleString('en-US')} MB`;
const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(1)} GB`;

/** The memory the tab would retain once a CSV of `fileBytes` is checked on Review (the measured ratio). */
export function estimateRetainedBytes(fileBytes: number): number {
  return fileBytes * RETAINED_BYTES_PER_FILE_BYTE;
}

/** null when a file of this size may be opened; else why not and what to do. */
export function fileSizeRefusal(name: string, fileBytes: number): string | null {
  if (fileBytes <= MAX_FILE_BYTES) return null;
  const parts = Math.ceil(fileBytes / MAX_FILE_BYTES);
  return (
    `${name} is ${mb(fileBytes)}, more than the ${mb(MAX_FILE_BYTES)} one browser tab can check safely. ` +
    `Checking a file takes about ${RETAINED_BYTES_PER_FILE_BYTE} times its size in memory (measured), so this one would need about ` +
    `${gb(estimateRetainedBytes(fileBytes))}, past the ${gb(TAB_BUDGET_BYTES)} the wizard allows one tab (the most it has been measured to hold through an import). ` +
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
    `Each checked row takes about ${(RETAINED_BYTES_PER_ROW / 1000).toFixed(1)} KB of memory (measured), so more rows put the tab at risk of running out of memory.${excel} ` +
    `Nothing was imported. Split the file into ${parts} or more parts of at most ${MAX_ROWS.toLocaleString('en-US')} rows, each with the header row, and import them one after another.`
  );
}
