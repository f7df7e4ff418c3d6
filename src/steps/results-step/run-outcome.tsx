// One run's outcome (the import, or a retry of its skipped rows — rendered the same way, nested).
import { useMemo, useState } from 'react';
import type { Connection } from '../../api/connection.ts';
import { describeApiError } from '../../api/errors.ts';
import { Banner } from '../../components/banner/banner.tsx';
import { DataGrid } from '../../components/data-grid/data-grid.tsx';
import type { CellIssue, GridRow } from '../../components/data-grid/grid-model.ts';
import { StackedBar } from '../../components/stacked-bar/stacked-bar.tsx';
import { toExcelSafeCsv } from '../../domain/csv/excel-safe.ts';
import type { SourceRow } from '../../domain/csv/types.ts';
import { resultExportCsv, rowsToRetry } from '../../domain/jobs/reconcile.ts';
import type { RowOutcome } from '../../domain/jobs/types.ts';
import { safeFileName, saveBytes } from '../../lib/download.ts';
import { formatDateTime, formatInt, plural } from '../../lib/format.ts';
import { historyStore, useRun } from '../../lib/history-store.ts';
import { runCounts } from '../../lib/history.ts';
import { runMemory } from '../../lib/run-memory.ts';
import { newRunEntry, sendRun, type SendProgress } from '../../lib/send-run.ts';
import { JobTracker } from './job-tracker.tsx';
import type { RetryApi } from './results-step.tsx';
import { retryOperation } from './retry-plan.ts';
import { useRunResults } from './use-run-results.ts';

type RetryState = { kind: 'idle' } | { kind: 'sending'; progress: SendProgress | null } | { kind: 'failed'; message: string; runId: string | null };

export function RunOutcome(props: { connection: Connection; runId: string; retry: RetryApi | null; newRunId: () => string; depth: number }) {
  const { connection } = props;
  const run = useRun(props.runId);
  const memory = runMemory.get(props.runId);
  const done = !!run && run.jobs.length > 0 && run.jobs.every((j) => j.status === 'COMPLETED' || j.status === 'FAILED');
  const results = useRunResults(connection, done ? run : undefined, memory);
  const merged = results.merged;

  const [edits, setEdits] = useState<ReadonlyMap<number, string[]>>(new Map());
  const [excluded, setExcluded] = useState<ReadonlySet<number>>(new Set());
  const [retryRunId, setRetryRunId] = useState<string | null>(null);
  const [retryState, setRetryState] = useState<RetryState>({ kind: 'idle' });

  const skipped = useMemo(() => (merged && memory ? rowsToRetry(merged, memory.sourceRows) : null), [merged, memory]);
  const outcomeByRow = useMemo(() => new Map<number, RowOutcome>((skipped?.outcomes ?? []).map((o) => [o.rowIndex, o])), [skipped]);
  const fieldToColumn = useMemo(() => {
    const m = new Map<string, number>();
    for (const [col, api] of memory?.columnFields ?? []) m.set(api, col);
    return m;
  }, [memory]);

  if (!run) return null;
  const counts = merged ? merged.counts : { ...runCounts(run), unprocessed: 0 };
  const reconcileFailed = !!merged && !merged.reconciled;
  const anyFailed = run.jobs.some((j) => j.status === 'FAILED');
  const label = props.depth === 0 ? 'All jobs' : 'Retry';

  const downloadZips = () => {
    run.jobs.forEach((j, i) => {
      const f = results.files[i];
      if (f) saveBytes(f.zip, safeFileName(`${run.module}-${j.jobId ?? j.index}-result.zip`), 'application/zip');
    });
  };
  const downloadMerged = (only?: ('SKIPPED' | 'UNPROCESSED')[]) => {
    if (!merged || !memory) return;
    const csv = resultExportCsv({ headers: memory.sourceHeaders, rows: memory.sourceRows, result: merged, ...(only ? { only } : {}) });
    saveBytes(csv, safeFileName(`${run.module}-${props.runId}${only ? '-skipped' : '-result'}.csv`), 'text/csv;charset=utf-8');
  };
  const downloadSent = () => {
    if (!memory) return;
    const csv = toExcelSafeCsv({ header: ['Line', ...memory.sourceHeaders], rows: memory.sourceRows.map((r) => [String(r.line), ...r.cells]), generatedColumns: [0] });
    saveBytes(csv, safeFileName(`${run.module}-${props.runId}-rows-sent.csv`), 'text/csv;charset=utf-8');
  };

  const retryRows = (skipped?.rows ?? []).map((r, i): { rowIndex: number; row: SourceRow } => ({ rowIndex: skipped?.rowIndexes[i] ?? -1, row: r }));
  const gridRows: GridRow[] = retryRows.map(({ rowIndex, row }) => {
    const cells = edits.get(rowIndex) ?? row.cells;
    const o = outcomeByRow.get(rowIndex);
    const cellIssues = new Map<number, CellIssue[]>();
    if (!edits.has(rowIndex)) {
      for (const e of o?.errors ?? []) {
        const col = fieldToColumn.get(e.apiName);
        if (col === undefined) continue;
        cellIssues.set(col, [...(cellIssues.get(col) ?? []), { severity: 'error', message: e.reason }]);
      }
    }
    return { id: rowIndex, line: row.line, cells, excluded: excluded.has(rowIndex), cellIssues };
  });
  const plan = retryOperation(run, { unprocessed: (skipped?.outcomes ?? []).some((o) => o.status === 'UNPROCESSED'), uniqueMapped: memory?.uniqueFields[0] ?? null });
  const toSend = retryRows.filter((r) => !excluded.has(r.rowIndex));

  const startRetry = async () => {
    if (!props.retry || !memory || toSend.length === 0) return;
    setRetryState({ kind: 'sending', progress: null });
    let id: string | null = null;
    try {
      const split = await props.retry.prepare({
        rowIndexes: toSend.map((r) => r.rowIndex),
        edits: toSend.filter((r) => edits.has(r.rowIndex)).map((r) => ({ rowIndex: r.rowIndex, cells: edits.get(r.rowIndex) ?? [] })),
      });
      id = props.newRunId();
      const newId = id;
      const sourceRows = memory.sourceRows.map((r, i) => (edits.has(i) ? { line: r.line, cells: edits.get(i) ?? r.cells } : r));
      runMemory.set(newId, { ...memory, sentHeader: split.header, parts: split.jobs.map(({ zip: _zip, ...p }) => p), sourceRows });
      historyStore.put(
        newRunEntry({
          runId: newId,
          now: new Date(),
          connectionKind: connection.kind,
          apiDomain: connection.apiDomain,
          module: run.module,
          moduleLabel: run.moduleLabel,
          operation: plan.operation,
          findBy: plan.findBy,
          fileName: run.fileName,
          totalRows: split.totalRows,
          parts: split.jobs,
          retryOf: run.runId,
        }),
      );
      setRetryRunId(newId);
      const retry = props.retry;
      await sendRun(connection, newId, split.jobs, (fileId) => retry.requestFor(fileId, plan.operation, plan.findBy), (p) => setRetryState({ kind: 'sending', progress: p }));
      setRetryState({ kind: 'idle' });
    } catch (e) {
      setRetryState({ kind: 'failed', message: describeApiError(e), runId: id });
    }
  };

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
          {reconcileFailed ? (
            <Banner tone="error" title="Could not reconcile the result with the rows sent">
              <p>The result file does not line up with what was uploaded, so these counts cannot be trusted row by row. Both files are offered below; compare them before acting.</p>
              <ul className="issue-list" tabIndex={0}>
                {merged.problems.slice(0, 20).map((p, i) => (
                  <li key={i}>
                    Job {p.job + 1}
                    {p.line !== undefined ? `, line ${formatInt(p.line)}` : ''}: {p.message}
                  </li>
                ))}
              </ul>
            </Banner>
          ) : anyFailed ? (
            <Banner tone="error" title="A job failed">
              <p>Rows the failed job never reached are counted as unprocessed; download them or retry them below.</p>
            </Banner>
          ) : merged && counts.skipped === 0 && counts.unprocessed === 0 ? (
            <Banner tone="success" title={props.depth === 0 ? 'Import finished: every row was written' : 'Retry finished: every row was written'} />
          ) : null}

          {!memory ? (
            <Banner tone="info" title="Counts from Zoho’s job details" live={false}>
              <p>This tab no longer holds the uploaded rows (the page was reloaded), so skipped rows can’t be joined back here. Download the result ZIP to see them.</p>
            </Banner>
          ) : null}

          <section className="stack" aria-label={`${label}: outcome`}>
            <StackedBar counts={counts} caption={`${label}: ${plural(counts.total, 'row')}`} />
          </section>

          <div className="row">
            <button type="button" className={`btn${skipped && skipped.rows.length > 0 && props.retry ? '' : ' btn--primary'}`} onClick={downloadZips}>
              Download result
            </button>
            {merged && memory ? (
              <button type="button" className="btn" onClick={() => downloadMerged()}>
                Download merged CSV (Excel-safe)
              </button>
            ) : null}
            {reconcileFailed && memory ? (
              <button type="button" className="btn" onClick={downloadSent}>
                Download the rows sent
              </button>
            ) : null}
          </div>

          <JobCountsTable run={run} />

          {skipped && skipped.rows.length > 0 && memory ? (
            <section className="stack" aria-labelledby={`skipped-${props.runId}`}>
              <h3 className="section-title" id={`skipped-${props.runId}`}>
                {plural(skipped.rows.length, 'row')} not written
              </h3>
              <ul className="issue-list" tabIndex={0}>
                {groupReasons(skipped.outcomes).map((g) => (
                  <li key={g.reason}>
                    {g.lines.length === 1 ? 'Line' : 'Lines'} {g.lines.slice(0, 12).map(formatInt).join(', ')}
                    {g.lines.length > 12 ? ` and ${formatInt(g.lines.length - 12)} more` : ''}: {g.reason}
                  </li>
                ))}
              </ul>
              <DataGrid
                ariaLabel={`Rows not written (${label})`}
                columns={memory.sourceHeaders.map((h, i) => ({ key: String(i), header: h, ...(memory.columnFields.get(i) ? { subheader: memory.columnFields.get(i) ?? '' } : {}) }))}
                rowCount={gridRows.length}
                getRow={(i) => gridRows[i] as GridRow}
                height={Math.min(360, 66 + gridRows.length * 36)}
                onEditCell={(rowId, col, value) => {
                  const idx = Number(rowId);
                  const base = edits.get(idx) ?? memory.sourceRows[idx]?.cells ?? [];
                  const next = [...base];
                  next[col] = value;
                  setEdits(new Map(edits).set(idx, next));
                }}
                onToggleRow={(rowId, included) => {
                  const s = new Set(excluded);
                  if (included) s.delete(Number(rowId));
                  else s.add(Number(rowId));
                  setExcluded(s);
                }}
              />
              <p className="subtle">{plan.why}</p>
              <div className="row">
                {props.retry && retryRunId === null ? (
                  <button type="button" className="btn btn--primary" disabled={toSend.length === 0 || retryState.kind === 'sending'} onClick={() => void startRetry()}>
                    Retry skipped rows
                  </button>
                ) : null}
                <button type="button" className="btn" onClick={() => downloadMerged(['SKIPPED', 'UNPROCESSED'])}>
                  Download rows not written (CSV)
                </button>
              </div>
              {retryState.kind === 'sending' ? (
                <p className="subtle" role="status">
                  {retryState.progress ? `${retryState.progress.phase === 'upload' ? 'Uploading' : 'Creating the job for'} ${plural(toSend.length, 'row')}…` : 'Preparing the rows…'}
                </p>
              ) : null}
              {retryState.kind === 'failed' ? (
                <Banner tone="error" title="The retry could not be sent">
                  <p>{retryState.message}</p>
                  {retryState.runId === null ? (
                    <button type="button" className="btn btn--small" onClick={() => void startRetry()}>
                      Retry
                    </button>
                  ) : null}
                </Banner>
              ) : null}
            </section>
          ) : null}
        </>
      ) : null}

      {retryRunId !== null ? (
        <section className="panel" aria-label="Retry of the skipped rows" style={{ boxShadow: 'none' }}>
          <h3 className="section-title">Retry of the skipped rows</h3>
          <RunOutcome connection={connection} runId={retryRunId} retry={props.retry} newRunId={props.newRunId} depth={props.depth + 1} />
        </section>
      ) : null}
      {props.depth === 0 ? <p className="subtle">Started {formatDateTime(run.createdAt)}.</p> : null}
    </div>
  );
}

function JobCountsTable(props: { run: NonNullable<ReturnType<typeof useRun>> }) {
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="table">
        <caption className="visually-hidden">Counts per job</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Job id</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col" className="num">
              Added
            </th>
            <th scope="col" className="num">
              Updated
            </th>
            <th scope="col" className="num">
              Skipped
            </th>
          </tr>
        </thead>
        <tbody>
          {props.run.jobs.map((j) => (
            <tr key={j.index}>
              <td>{j.index + 1}</td>
              <td className="mono">{j.jobId ?? '—'}</td>
              <td>{j.status === 'COMPLETED' ? 'Completed' : j.status === 'FAILED' ? 'Failed' : j.status}</td>
              <td className="num">{formatInt(j.total)}</td>
              <td className="num">{formatInt(j.added)}</td>
              <td className="num">{formatInt(j.updated)}</td>
              <td className="num">{formatInt(j.skipped)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Skipped rows grouped by their plain-language reason, so 85 unprocessed rows read as one line, not 85. */
function groupReasons(outcomes: readonly RowOutcome[]): { reason: string; lines: number[] }[] {
  const groups = new Map<string, number[]>();
  for (const o of outcomes) {
    const reason = o.status === 'UNPROCESSED' ? 'never processed (the job stopped before these rows).' : o.errors.map((e) => e.reason).join(' ') || o.errorsText || 'skipped without a reason from Zoho.';
    const lines = groups.get(reason);
    if (lines) lines.push(o.line);
    else groups.set(reason, [o.line]);
  }
  return [...groups].map(([reason, lines]) => ({ reason, lines }));
}
