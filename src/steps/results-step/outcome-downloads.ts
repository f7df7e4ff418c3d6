// The files Results offers: Zoho's result ZIPs as they came, the merged result joined to the source rows (all rows,
// or only those not written) as Excel-safe CSV, and the rows sent (for comparing when the result does not reconcile).
import type { JobResultFile } from '../../api/download-result.ts';
import { toExcelSafeCsv } from '../../domain/csv/excel-safe.ts';
import { resultExportChunks } from '../../domain/jobs/reconcile.ts';
import type { ReconcileResult } from '../../domain/jobs/types.ts';
import { safeFileName, saveBytes, saveTextChunks } from '../../lib/download.ts';
import type { HistoryRun } from '../../lib/history.ts';
import type { RunMemory } from '../../lib/run-memory.ts';

export function downloadZips(run: HistoryRun, files: readonly (JobResultFile | undefined)[]): void {
  run.jobs.forEach((j, i) => {
    const f = files[i];
    if (f) saveBytes(f.zip, safeFileName(`${run.module}-${j.jobId ?? j.index}-result.zip`), 'application/zip');
  });
}

export function downloadMerged(run: HistoryRun, merged: ReconcileResult, memory: RunMemory, only?: ('SKIPPED' | 'UNPROCESSED')[]): void {
  // In pieces: at a million rows the file as one string (plus its rows) ran the tab out of memory.
  const chunks = resultExportChunks({ headers: memory.sourceHeaders, rows: memory.sourceRows, result: merged, ...(only ? { only } : {}) });
  saveTextChunks(chunks, safeFileName(`${run.module}-${run.runId}${only ? '-skipped' : '-result'}.csv`), 'text/csv;charset=utf-8');
}

export function downloadSent(run: HistoryRun, memory: RunMemory): void {
  const csv = toExcelSafeCsv({
    header: ['Line', ...memory.sourceHeaders],
    rows: memory.sourceRows.map((r) => [String(r.line), ...r.cells]),
    generatedColumns: [0],
  });
  saveBytes(csv, safeFileName(`${run.module}-${run.runId}-rows-sent.csv`), 'text/csv;charset=utf-8');
}
