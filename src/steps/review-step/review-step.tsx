// Step 4 — Review: every row in the grid with cell highlights, per-column issue counts, "Show only rows with
// issues", inline edits that revalidate, exclude/include a row, and one-click column clean-ups (explained, with
// before/after, applied only on confirmation). Rows predicted to be skipped are counted up front; a block
// (file-level error, or a ragged row still included) stops the import with its message. Validation runs off the
// main thread: the grid is usable at once, shows "Checking N of M rows…" meanwhile, and Next waits for the result.
import { useMemo, useState } from 'react';
import { Banner } from '../../components/banner/banner.tsx';
import { DataGrid } from '../../components/data-grid/data-grid.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import type { ParsedTable, SourceRow } from '../../domain/csv/types.ts';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import type { Mapping } from '../../domain/mapping/mapping.ts';
import type { ReviewEdits } from '../../domain/wizard/wizard-state.ts';
import { formatInt } from '../../lib/format.ts';
import type { PackedFix } from '../../worker/column-fixes.ts';
import { FixDialog } from './fix-dialog.tsx';
import { applyFix, effectiveRows, fileBlockCount, gridRowOf, reviewBlocks, withCellEdit, withFileIssues, withRowIncluded, type ValidateRows, type ValidationView } from './review-model.ts';
import { FixList, ReviewBanner, ReviewSummary } from './review-parts.tsx';
import { useReviewValidation } from './use-review-validation.ts';

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
  const { table, mapping, fields, edits, validate, onEditsChange, onNext } = props;
  const rows = useMemo(() => effectiveRows(table, edits), [table, edits]);
  const [onlyIssues, setOnlyIssues] = useState(false);
  const [fix, setFix] = useState<PackedFix | null>(null);
  const [tried, setTried] = useState(false);
  const excluded = edits.excluded;
  const sending = table.rows.length - excluded.size;
  // What Next does once a pending check is in: the file's blocks are known now, the table's come with the view.
  const goIfClear = (view: ValidationView): void => {
    if (fileBlockCount(table, excluded) === 0 && view.tableBlocks.length === 0 && sending > 0) onNext(edits);
  };
  const check = useReviewValidation(validate, rows, edits.editedRows, table.headers.length, goIfClear);
  const { validation } = check;
  const model = useMemo(() => withFileIssues(validation, table.issues), [table, validation]);

  const byApi = useMemo(() => new Map(fields.map((f) => [f.apiName, f])), [fields]);
  const visible = useMemo(() => {
    const all = table.rows.map((_, i) => i);
    return onlyIssues ? all.filter((i) => model.byRow.has(i)) : all;
  }, [table.rows, onlyIssues, model]);

  const skipsIncluded = validation.predictedSkips.filter((r) => !excluded.has(r)).length;
  const blocks = reviewBlocks(table, model, validation.tableBlocks, excluded);
  const canGo = blocks.length === 0 && sending > 0;

  const next = (): void => {
    setTried(true);
    // Rows that could not be checked are not sent: the failure banner says how to retry.
    if (check.failure !== null) return;
    if (check.checking) check.waitForCheck();
    else if (canGo) onNext(edits);
  };

  return (
    <StepFrame
      title="Review the rows"
      lead="Fix cells inline, exclude rows you don't want, or apply a clean-up to a whole column. Nothing is sent yet."
      onBack={props.onBack}
      primary={
        <button type="button" className="btn btn--primary" onClick={next} aria-describedby={blocks.length > 0 ? 'review-blocks' : undefined} aria-busy={check.nextWaiting}>
          {check.nextWaiting ? 'Next (waiting for the check)…' : 'Next'}
        </button>
      }
    >
      {check.progress !== null ? (
        <div data-review-checking="">
          <ProgressBar
            label="Checking rows"
            value={check.progress.done}
            max={check.progress.total}
            valueText={`Checking ${formatInt(check.progress.done)} of ${formatInt(check.progress.total)} rows…`}
          />
        </div>
      ) : null}
      {check.failure !== null ? (
        <Banner tone="error" title="The rows could not be checked">
          <p>{check.failure} Go back and forward again to retry, or reload the page.</p>
        </Banner>
      ) : null}

      <ReviewSummary sending={sending} excluded={excluded.size} skips={skipsIncluded} rowsWithIssues={model.byRow.size} pending={check.firstPending} />
      <ReviewBanner blocks={blocks} skips={skipsIncluded} tried={tried} sending={sending} />
      <FixList fixes={validation.fixes} headers={table.headers} onPreview={setFix} />

      <DataGrid
        ariaLabel="Rows to import"
        columns={table.headers.map((h, col) => {
          const api = mapping.columns[col]?.apiName;
          const f = api ? byApi.get(api) : undefined;
          return { key: String(col), header: h, subheader: f ? `→ ${f.label}` : 'not imported', issueCounts: model.countsByColumn[col] ?? { error: 0, warning: 0 } };
        })}
        rowCount={visible.length}
        totalRowCount={table.rows.length}
        getRow={(i) => {
          const rowIndex = visible[i] ?? 0;
          return gridRowOf(rowIndex, rows[rowIndex] as SourceRow, model.byRow.get(rowIndex), excluded.has(rowIndex));
        }}
        showOnlyIssues={onlyIssues}
        onShowOnlyIssuesChange={setOnlyIssues}
        onEditCell={(rowId, col, value) => onEditsChange(withCellEdit(edits, table.rows, Number(rowId), col, value))}
        onToggleRow={(rowId, included) => onEditsChange(withRowIncluded(edits, Number(rowId), included))}
        emptyMessage={onlyIssues ? 'No row has an issue.' : 'No rows.'}
        height={Math.min(440, 66 + table.rows.length * 36)}
      />

      <FixDialog
        fix={fix}
        headers={table.headers}
        rows={table.rows}
        onApply={(f) => {
          onEditsChange({ ...edits, editedRows: applyFix(edits.editedRows, table.rows, f) });
          setFix(null);
        }}
        onClose={() => setFix(null)}
      />
    </StepFrame>
  );
}
