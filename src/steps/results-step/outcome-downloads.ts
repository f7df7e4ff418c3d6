// The files Results offers: Zoho's result ZIPs as they came, the merged result joined to the source rows (all rows,
// or only those not written) as Excel-safe CSV, and the rows sent (for comparing when the result does not reconcile).
import type { JobResultFile } from '../../api/download-result.ts';
import { toExcelSafeCsv } from '../../domain/csv/excel-safe.ts';
import { resultExport } from '../../domain/jobs/reconcile.ts';
import type { ReconcileResult } from '../../domain/jobs/types.ts';
import { safeFileName, saveBlob, saveBytes } from '../../lib/download.ts';
import type { HistoryRun } from '../../lib/history.ts';
import type { RunMemory } from '../../lib/run-memory.ts';
import { textBlobInSlices } from '../../lib/time-slices.ts';

export function downloadZips(run: HistoryRun, files: readonly (JobResultFile | undefined)[]): void {
  run.jobs.forEach((j, i) => {
    const f = files[i];
    if (f) saveBlob(f.zip, safeFileName(`${run.module}-${j.jobId ?? j.index}-result.zip`));
  });
}

/** Rows per piece of the merged CSV: ~20 µs a row at a million rows, so a piece is a few ms of a 30 ms slice. */
const MERGED_PIECE_ROWS = 500;

/**
 * Makes the merged result (all rows, or only those not written) as Excel-safe CSV and saves it. In pieces, each
 * encoded to bytes as it comes (the whole ~350 MB text of a million rows never exists as one string, decision 138),
 * and in slices of the main thread with `onProgress` between them (made in one task it held the tab ~20 s at a
 * million rows, decision 141). Aborting `signal` stops it before the next slice and nothing is saved.
 */
export async function downloadMerged(
  run: HistoryRun,
  merged: ReconcileResult,
  memory: RunMemory,
  only: ('SKIPPED' | 'UNPROCESSED')[] | undefined,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<void> {
  const { rows, chunks } = resultExport(
    { headers: memory.sourceHeaders, rows: memory.sourceRows, result: merged, ...(only ? { only } : {}) },
    MERGED_PIECE_ROWS,
  );
  opts.onProgress?.(0, rows);
  const blob = await textBlobInSlices(chunks, 'text/csv;charset=utf-8', {
    signal: opts.signal,
    onPiece: (n) => opts.onProgress?.(Math.min(rows, n * MERGED_PIECE_ROWS), rows),
  });
  saveBlob(blob, safeFileName(`${run.module}-${run.runId}${only ? '-skipped' : '-result'}.csv`));
}

export function downloadSent(run: HistoryRun, memory: RunMemory): void {
  const csv = toExcelSafeCsv({
    header: ['Line', ...memory.sourceHeaders],
    rows: memory.sourceRows.map((r) => [String(r.line), ...r.cells]),
    generatedColumns: [0],
  });
  saveBytes(csv, safeFileName(`${run.module}-${run.runId}-rows-sent.csv`), 'text/csv;charset=utf-8');
}
