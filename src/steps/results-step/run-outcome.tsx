// One run's outcome (the import, or a retry of its skipped rows — rendered the same way, nested).
import { useMemo } from 'react';
import type { Connection } from '../../api/connection.ts';
import { describeApiError } from '../../api/errors.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { DataGrid } from '../../components/data-grid/data-grid.tsx';
import type { GridRow } from '../../components/data-grid/grid-model.ts';
import { StackedBar } from '../../components/stacked-bar/stacked-bar.tsx';
import type { SourceRow } from '../../domain/csv/types.ts';
import { rowsToRetry } from '../../domain/jobs/reconcile.ts';
import type { RowOutcome } from '../../domain/jobs/types.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { useRun } from '../../lib/history-store.ts';
import { runCounts } from '../../lib/history.ts';
import { runMemory } from '../../lib/run-memory.ts';
import { JobTracker } from './job-tracker.tsx';
import { downloadMerged, downloadSent, downloadZips } from './outcome-downloads.ts';
import { retryGridRows } from './outcome-model.ts';
import { JobCountsTable, OutcomeBanner, RetryStatus, SkippedReasons } from './outcome-parts.tsx';
import { PreparedDownload } from './prepared-download.tsx';
import { retryOperation, type RetryApi } from './retry-plan.ts';
import { useRetryRun } from './use-retry-run.ts';
import { useRunResults, type RunResults } from './use-run-results.ts';

export function RunOutcome(props: {
  connection: Connection;
  runId: string;
  retry: RetryApi | null;
  newRunId: () => string;
  depth: number;
  /** What to say when this tab no longer holds the rows (a module of a multi-module run says which file to pick). */
  noMemoryText?: string;
  /** The run's results when the caller reads them already (Results shares them with its undo panel: one reconcile). */
  results?: RunResults;
}) {
  const { connection } = props;
  const run = useRun(props.runId);
  const memory = runMemory.get(props.runId);
  const done = !!run && run.jobs.length > 0 && run.jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED');
  const own = useRunResults(connection, done && !props.results ? run : undefined, memory);
  const results = props.results ?? own;
  const merged = results.merged;

  const skipped = useMemo(() => (merged && memory ? rowsToRetry(merged, memory.sourceRows) : null), [merged, memory]);
  const outcomeByRow = useMemo(() => new Map<number, RowOutcome>((skipped?.outcomes ?? []).map((o) => [o.rowIndex, o])), [skipped]);
  const fieldToColumn = useMemo(() => {
    const m = new Map<string, number>();
    for (const [col, api] of memory?.columnFields ?? []) m.set(api, col);
    return m;
  }, [memory]);
  const plan = retryOperation(run ?? { operation: 'insert', findBy: null }, {
    unprocessed: (skipped?.outcomes ?? []).some((o) => o.status === 'UNPROCESSED'),
    uniqueMapped: memory?.uniqueFields[0] ?? null,
  });
  const retry = useRetryRun({ connection, run, memory, retry: props.retry, newRunId: props.newRunId, plan });

  if (!run) return null;
  const counts = merged ? merged.counts : { ...runCounts(run), unprocessed: 0 };
  const reconcileFailed = !!merged && !merged.reconciled;
  const label = props.depth === 0 ? 'All jobs' : 'Retry';
  const retryRows = (skipped?.rows ?? []).map((r, i): { rowIndex: number; row: SourceRow } => ({ rowIndex: skipped?.rowIndexes[i] ?? -1, row: r }));
  const gridRows = retryGridRows(retryRows, outcomeByRow, fieldToColumn, retry.edits, retry.excluded);
  const toSend = retryRows.filter((r) => !retry.excluded.has(r.rowIndex));
  const hasSkipped = !!skipped && skipped.rows.length > 0;

  return (
    <div className="stack">
      {!done ? <JobTracker connection={connection} run={run} /> : null}

      {done && !results.ready && !results.error ? <p className="subtle">Fetching the result files…</p> : null}
      {results.error ? (
        <Banner tone="error" title="A result file could not be downloaded">
          <p>{describeApiError(results.error)}</p>
          <button type="button" className="btn btn--small" onClick={results.refetch}>
            Retry
          </button>
        </Banner>
      ) : null}

      {done && results.ready ? (
        <>
          <OutcomeBanner
            merged={merged}
            anyFailed={run.jobs.some((j) => j.status === 'FAILED')}
            allWritten={counts.skipped === 0 && counts.unprocessed === 0}
            depth={props.depth}
          />

          {!memory ? (
            <Banner tone="info" title="Counts from Zoho’s job details" live={false}>
              <p>
                {props.noMemoryText ??
                  'This tab no longer holds the uploaded rows (the page was reloaded), so skipped rows can’t be joined back here. Download the result ZIP to see them.'}
              </p>
            </Banner>
          ) : null}

          <section className="stack" aria-label={`${label}: outcome`}>
            <StackedBar counts={counts} caption={`${label}: ${plural(counts.total, 'row')}`} />
          </section>

          <div className="row">
            <button type="button" className={`btn${hasSkipped && props.retry ? '' : ' btn--primary'}`} onClick={() => downloadZips(run, results.files)}>
              Download result
            </button>
            {merged && memory ? (
              <PreparedDownload
                className="btn"
                label="Download merged CSV (Excel-safe)"
                preparing="Making the merged CSV"
                make={(opts) => downloadMerged(run, merged, memory, undefined, opts)}
              />
            ) : null}
            {reconcileFailed && memory ? (
              <button type="button" className="btn" onClick={() => downloadSent(run, memory)}>
                Download the rows sent
              </button>
            ) : null}
          </div>

          <JobCountsTable run={run} />

          {hasSkipped && merged && memory ? (
            <section className="stack" aria-labelledby={`skipped-${props.runId}`}>
              <h3 className="section-title" id={`skipped-${props.runId}`}>
                {plural(skipped.rows.length, 'row')} not written
              </h3>
              <SkippedReasons outcomes={skipped.outcomes} />
              <DataGrid
                ariaLabel={`Rows not written (${label})`}
                columns={memory.sourceHeaders.map((h, i) => ({
                  key: String(i),
                  header: h,
                  ...(memory.columnFields.get(i) ? { subheader: memory.columnFields.get(i) ?? '' } : {}),
                }))}
                rowCount={gridRows.length}
                getRow={(i) => gridRows[i] as GridRow}
                height={Math.min(360, 66 + gridRows.length * 36)}
                onEditCell={(rowId, col, value) => retry.editCell(Number(rowId), col, value)}
                onToggleRow={(rowId, included) => retry.setIncluded(Number(rowId), included)}
              />
              <p className="subtle">{plan.why}</p>
              <div className="row">
                {props.retry && retry.retryRunId === null ? (
                  <button
                    type="button"
                    className="btn btn--primary"
                    disabled={toSend.length === 0 || retry.state.kind === 'sending'}
                    onClick={() => void retry.start(toSend)}
                  >
                    Retry skipped rows
                  </button>
                ) : null}
                <PreparedDownload
                  className="btn"
                  label="Download rows not written (CSV)"
                  preparing="Making the CSV of the rows not written"
                  make={(opts) => downloadMerged(run, merged, memory, ['SKIPPED', 'UNPROCESSED'], opts)}
                />
              </div>
              <RetryStatus state={retry.state} rows={toSend.length} onRetry={() => void retry.start(toSend)} />
            </section>
          ) : null}
        </>
      ) : null}

      {retry.retryRunId !== null ? (
        <section className="panel" aria-label="Retry of the skipped rows" style={{ boxShadow: 'none' }}>
          <h3 className="section-title">Retry of the skipped rows</h3>
          <RunOutcome connection={connection} runId={retry.retryRunId} retry={props.retry} newRunId={props.newRunId} depth={props.depth + 1} />
        </section>
      ) : null}
      {props.depth === 0 ? <p className="subtle">Started {formatDateTime(run.createdAt)}.</p> : null}
    </div>
  );
}
