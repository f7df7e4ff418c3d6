// Step 4 — Review: every row in the grid with cell highlights, per-column issue counts, "Show only rows with
// issues", inline edits that revalidate, exclude/include a row, and one-click column clean-ups (explained, with
// before/after, applied only on confirmation). Rows predicted to be skipped are counted up front; a block
// (file-level error, or a ragged row still included) stops the import with its message. Validation runs off the
// main thread: the grid is usable at once, shows "Checking N of M rows…" meanwhile, and Next waits for the result.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Banner } from '../../components/banner/banner.tsx';
import { DataGrid } from '../../components/data-grid/data-grid.tsx';
import type { CellIssue, GridRow } from '../../components/data-grid/grid-model.ts';
import { ModalDialog } from '../../components/modal-dialog/modal-dialog.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import { TruncatedText } from '../../components/truncated-text/truncated-text.tsx';
import type { ParsedTable, SourceRow } from '../../domain/csv/types.ts';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import type { Mapping } from '../../domain/mapping/mapping.ts';
import type { ReviewEdits } from '../../domain/wizard/wizard-state.ts';
import { formatInt, plural } from '../../lib/format.ts';
import type { PackedFix } from '../../worker/column-fixes.ts';
import { applyFix, effectiveRows, emptyIssueIndex, withFileIssues, type CellIssueView } from './review-model.ts';

const PROGRESS_DELAY_MS = 150;

export interface ValidationView {
  /** rowIndex → column (-1 = the row as a whole) → issues. */
  byRow: Map<number, Map<number, CellIssueView[]>>;
  countsByColumn: { error: number; warning: number }[];
  /** Problems of the whole table (mapping-level), each a block. */
  tableBlocks: string[];
  /** 0-based row indexes predicted to be skipped by Zoho. */
  predictedSkips: readonly number[];
  /** One-click column clean-ups offered for the rows as they stand, in column order. */
  fixes: readonly PackedFix[];
}

/** Validates the rows as they stand; reports rows checked so far; stops when the signal aborts. */
export type ValidateRows = (
  rows: readonly SourceRow[],
  editedRows: ReadonlyMap<number, readonly string[]>,
  hooks: { onProgress: (done: number, total: number) => void; signal: AbortSignal },
) => Promise<ValidationView>;

export function ReviewStep(props: {
  table: ParsedTable;
  mapping: Mapping;
  fields: readonly FieldModel[];
  edits: ReviewEdits;
  /** Pre-flight validation of the rows as they stand (in the import worker). */
  validate: ValidateRows;
  onEditsChange: (e: ReviewEdits) => void;
  onBack: () => void;
  onNext: (e: ReviewEdits) => void;
}) {
  const { table, mapping, fields, edits, validate } = props;
  const rows = useMemo(() => effectiveRows(table, edits), [table, edits]);
  // The last finished validation with the rows and validator (mapping, exclusions) it describes; while either
  // differs, a check is in progress.
  const [checked, setChecked] = useState<{ rows: readonly SourceRow[]; validate: ValidateRows; view: ValidationView } | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [showProgress, setShowProgress] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // Next pressed during a check waits for it: the flag is read when the result arrives.
  const [nextWaiting, setNextWaiting] = useState(false);
  const waitingRef = useRef(false);
  const goIfClear = useRef<(view: ValidationView) => void>(() => undefined);
  useEffect(() => {
    // Leaving Review (Back) or a newer edit aborts this run; the worker stops between row slices.
    const ac = new AbortController();
    // The bar appears only for a check that takes a while, so a quick one (small file, excluding a row) does not flash.
    const slow = setTimeout(() => setShowProgress(true), PROGRESS_DELAY_MS);
    const done = (): void => {
      clearTimeout(slow);
      setShowProgress(false);
      setProgress(null);
    };
    validate(rows, edits.editedRows, { signal: ac.signal, onProgress: (d, total) => { if (!ac.signal.aborted) setProgress({ done: d, total }); } }).then(
      (view) => {
        if (ac.signal.aborted) return;
        setChecked({ rows, validate, view });
        done();
        setFailure(null);
        if (waitingRef.current) {
          waitingRef.current = false;
          setNextWaiting(false);
          goIfClear.current(view);
        }
      },
      (err: unknown) => {
        if (ac.signal.aborted) return;
        done();
        waitingRef.current = false;
        setNextWaiting(false);
        setFailure(err instanceof Error ? err.message : String(err));
      },
    );
    return () => {
      clearTimeout(slow);
      ac.abort();
    };
  }, [validate, rows, edits.editedRows]);
  const checking = checked?.rows !== rows || checked.validate !== validate;
  const validation: ValidationView = useMemo(
    () => checked?.view ?? { byRow: new Map(), countsByColumn: emptyIssueIndex(table.headers.length).countsByColumn, tableBlocks: [], predictedSkips: [], fixes: [] },
    [checked, table.headers.length],
  );
  const model = useMemo(() => withFileIssues(validation, table.issues), [table, validation]);
  const [onlyIssues, setOnlyIssues] = useState(false);
  const [fix, setFix] = useState<PackedFix | null>(null);
  const [tried, setTried] = useState(false);

  const byApi = useMemo(() => new Map(fields.map((f) => [f.apiName, f])), [fields]);
  const columnField = (col: number) => {
    const api = mapping.columns[col]?.apiName;
    return api ? byApi.get(api) : undefined;
  };
  const visible = useMemo(() => {
    const all = table.rows.map((_, i) => i);
    return onlyIssues ? all.filter((i) => model.byRow.has(i)) : all;
  }, [table.rows, onlyIssues, model]);

  const fixes = validation.fixes;

  const excluded = edits.excluded;
  const skipsIncluded = validation.predictedSkips.filter((r) => !excluded.has(r)).length;
  const raggedIncluded = [...model.rowBlocks.keys()].filter((r) => !excluded.has(r));
  const fileBlocks = table.issues.filter((i) => i.scope === 'file' && i.severity === 'error').map((i) => i.message);
  const blocks = [
    ...fileBlocks,
    ...validation.tableBlocks,
    ...raggedIncluded.slice(0, 20).map((r) => `${model.rowBlocks.get(r) ?? ''} Exclude the row (or fix the file and upload it again).`),
  ];
  const sending = table.rows.length - excluded.size;
  const canGo = blocks.length === 0 && sending > 0;
  // What Next does once a pending check is in: the file's blocks are known now, the table's come with the view.
  const fileBlockCount = fileBlocks.length + raggedIncluded.length;
  const { onNext } = props;
  useEffect(() => {
    goIfClear.current = (view) => {
      if (fileBlockCount === 0 && view.tableBlocks.length === 0 && sending > 0) onNext(edits);
    };
  }, [fileBlockCount, sending, onNext, edits]);

  const setCell = (rowIndex: number, col: number, value: string) => {
    const base = edits.editedRows.get(rowIndex) ?? table.rows[rowIndex]?.cells ?? [];
    const next = [...base];
    next[col] = value;
    props.onEditsChange({ ...edits, editedRows: new Map(edits.editedRows).set(rowIndex, next) });
  };
  const confirmFix = (f: PackedFix) => {
    props.onEditsChange({ ...edits, editedRows: applyFix(edits.editedRows, table.rows, f) });
    setFix(null);
  };

  const getRow = (i: number): GridRow => {
    const rowIndex = visible[i] ?? 0;
    const src = rows[rowIndex] as SourceRow;
    const issues = model.byRow.get(rowIndex);
    let cellIssues: Map<number, CellIssue[]> | undefined;
    if (issues) {
      cellIssues = new Map();
      for (const [col, list] of issues) {
        // Row-wide issues (ragged rows, table rules) are shown on the first cell.
        const c = col < 0 ? 0 : col;
        cellIssues.set(c, [...(cellIssues.get(c) ?? []), ...list]);
      }
    }
    return { id: rowIndex, line: src.line, cells: src.cells, excluded: excluded.has(rowIndex), ...(cellIssues ? { cellIssues } : {}) };
  };

  return (
    <StepFrame
      title="Review the rows"
      lead="Fix cells inline, exclude rows you don't want, or apply a clean-up to a whole column. Nothing is sent yet."
      onBack={props.onBack}
      primary={
        <button
          type="button"
          className="btn btn--primary"
          onClick={() => {
            setTried(true);
            // Rows that could not be checked are not sent: the failure banner says how to retry.
            if (failure !== null) return;
            if (checking) {
              waitingRef.current = true;
              setNextWaiting(true);
            } else if (canGo) props.onNext(edits);
          }}
          aria-describedby={blocks.length > 0 ? 'review-blocks' : undefined}
          aria-busy={nextWaiting}
        >
          {nextWaiting ? 'Next (waiting for the check)…' : 'Next'}
        </button>
      }
    >
      {checking && showProgress && progress !== null ? (
        <div data-review-checking="">
          <ProgressBar
            label="Checking rows"
            value={progress.done}
            max={progress.total}
            valueText={`Checking ${formatInt(progress.done)} of ${formatInt(progress.total)} rows…`}
          />
        </div>
      ) : null}
      {failure !== null ? (
        <Banner tone="error" title="The rows could not be checked">
          <p>{failure} Go back and forward again to retry, or reload the page.</p>
        </Banner>
      ) : null}

      <dl className="facts" aria-label="Review summary">
        <div className="fact">
          <dt>Rows to send</dt>
          <dd>{formatInt(sending)}</dd>
        </div>
        <div className="fact">
          <dt>Excluded</dt>
          <dd>{formatInt(excluded.size)}</dd>
        </div>
        <div className="fact">
          <dt>Predicted to be skipped</dt>
          <dd className={skipsIncluded > 0 ? 'count--skipped' : undefined}>{checked === null ? '…' : formatInt(skipsIncluded)}</dd>
        </div>
        <div className="fact">
          <dt>Rows with issues</dt>
          <dd>{checked === null ? '…' : formatInt(model.byRow.size)}</dd>
        </div>
      </dl>

      {blocks.length > 0 ? (
        <div id="review-blocks">
          <Banner tone={tried ? 'error' : 'warning'} title="The import can’t start until these are resolved" live={tried}>
            <ul className="issue-list" tabIndex={0}>
              {blocks.map((b, i) => (
                <li key={i}>{b}</li>
              ))}
            </ul>
          </Banner>
        </div>
      ) : skipsIncluded > 0 ? (
        <Banner tone="warning" title={`${plural(skipsIncluded, 'row')} will probably be skipped by Zoho`} live={false}>
          <p>Fix the highlighted cells or exclude those rows; otherwise they are sent and reported as skipped with the reason.</p>
        </Banner>
      ) : tried && sending === 0 ? (
        <Banner tone="error" title="Every row is excluded">
          <p>Include at least one row to import.</p>
        </Banner>
      ) : null}

      {fixes.length > 0 ? (
        <section className="stack" aria-labelledby="fixes-title">
          <h3 className="section-title" id="fixes-title">
            Suggested clean-ups
          </h3>
          <div className="fix-list">
            {fixes.map((f, i) => (
              <div className="fix-item" key={i}>
                <span>
                  <strong>{table.headers[f.column]}</strong> — {f.label}: {plural(f.changeCount, 'cell')}
                </span>
                <button type="button" className="btn btn--small" onClick={() => setFix(f)}>
                  Preview {f.label} in “{table.headers[f.column]}”
                </button>
              </div>
            ))}
          </div>
        </section>
      ) : null}

      <DataGrid
        ariaLabel="Rows to import"
        columns={table.headers.map((h, col) => {
          const f = columnField(col);
          return { key: String(col), header: h, subheader: f ? `→ ${f.label}` : 'not imported', issueCounts: model.countsByColumn[col] ?? { error: 0, warning: 0 } };
        })}
        rowCount={visible.length}
        totalRowCount={table.rows.length}
        getRow={getRow}
        showOnlyIssues={onlyIssues}
        onShowOnlyIssuesChange={setOnlyIssues}
        onEditCell={(rowId, col, value) => setCell(Number(rowId), col, value)}
        onToggleRow={(rowId, included) => {
          const s = new Set(excluded);
          if (included) s.delete(Number(rowId));
          else s.add(Number(rowId));
          props.onEditsChange({ ...edits, excluded: s });
        }}
        emptyMessage={onlyIssues ? 'No row has an issue.' : 'No rows.'}
        height={Math.min(440, 66 + table.rows.length * 36)}
      />

      <ModalDialog title={fix ? `${fix.label} — ${table.headers[fix.column] ?? ''}` : ''} isOpen={fix !== null} onClose={() => setFix(null)}>
        {fix ? (
          <>
            <p>{fix.summary}</p>
            {fix.note ? <p className="subtle">{fix.note}</p> : null}
            <div className="table-wrap" tabIndex={0} style={{ maxHeight: 300 }}>
              <table className="table before-after">
                <caption className="visually-hidden">Before and after</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      Line
                    </th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                  </tr>
                </thead>
                <tbody>
                  {fix.preview.map((c) => (
                    <tr key={c.row}>
                      <td className="num">{formatInt(table.rows[c.row]?.line ?? c.row + 2)}</td>
                      <td className="before">
                        <TruncatedText text={c.before} maxWidth={260} />
                      </td>
                      <td className="after">
                        <TruncatedText text={c.after} maxWidth={260} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {fix.changeCount > 50 ? <p className="subtle">…and {formatInt(fix.changeCount - 50)} more changes.</p> : null}
            {fix.unconvertibleCount > 0 ? (
              <Banner tone="warning" title={`${plural(fix.unconvertibleCount, 'value')} can’t be converted and stay as they are`} live={false}>
                <ul className="issue-list" tabIndex={0}>
                  {fix.unconvertible.map((u) => (
                    <li key={u.row}>
                      Line {formatInt(table.rows[u.row]?.line ?? u.row + 2)}: “{u.value}” — {u.reason}
                    </li>
                  ))}
                </ul>
              </Banner>
            ) : null}
            <div className="row">
              <button type="button" className="btn btn--primary" onClick={() => confirmFix(fix)}>
                Apply to {plural(fix.changeCount, 'cell')}
              </button>
              <button type="button" className="btn" onClick={() => setFix(null)}>
                Cancel
              </button>
            </div>
          </>
        ) : null}
      </ModalDialog>
    </StepFrame>
  );
}
