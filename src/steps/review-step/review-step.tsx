// Step 4 — Review: every row in the grid with cell highlights, per-column issue counts, "Show only rows with
// issues", inline edits that revalidate, exclude/include a row, and one-click column clean-ups (explained, with
// before/after, applied only on confirmation). Rows predicted to be skipped are counted up front; a block
// (file-level error, or a ragged row still included) stops the import with its message. Validation runs off the
// main thread: the grid is usable at once, shows "Checking N of M rows…" meanwhile, and Next waits for the result.
import { useDeferredValue, useMemo, useState } from 'react';
import { Banner } from '../../components/banner/banner.tsx';
import { DataGrid } from '../../components/data-grid/data-grid.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import type { ParsedTable, SourceRow } from '../../domain/csv/types.ts';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import type { Mapping } from '../../domain/mapping/mapping.ts';
import type { ReviewEdits } from '../../domain/wizard/wizard-state.ts';
import { formatInt } from '../../lib/format.ts';
import { runInSlices } from '../../lib/time-slices.ts';
import type { PackedFix } from '../../worker/column-fixes.ts';
import { FixDialog } from './fix-dialog.tsx';
import {
  FixApplication,
  effectiveRows,
  fileBlockCount,
  gridRowOf,
  reviewBlocks,
  withCellEdit,
  withFileIssues,
  withRowIncluded,
  type RowIndexes,
  type ValidateRows,
  type ValidationView,
} from './review-model.ts';
import { changingRows, orgCellText, predictedOutcome, withOrgIssues, type HeldOrgCheck, type OrgCheckApi, type PredictedOutcome } from './org-check-model.ts';
import { OrgCheckSection } from './org-check-section.tsx';
import { FixList, ReviewBanner, ReviewSummary } from './review-parts.tsx';
import { useOrgCheck } from './use-org-check.ts';
import { useReviewValidation } from './use-review-validation.ts';

// Changes of a clean-up applied per step of a slice (each a few µs, but while V8 marks a large heap the marking work
// falls on the code that allocates: a step of 2,000 changes took up to 80–110 ms then at a million rows, and a slice
// can only end between steps).
const APPLY_STEP_CHANGES = 250;

/** The check against the org as the wizard offers it (decision 090); null when there is nothing to check against. */
export interface ReviewOrgCheck {
  api: OrgCheckApi;
  operation: 'insert' | 'update' | 'upsert';
  enabled: boolean;
  onEnabledChange: (on: boolean) => void;
  /** The last finished check (held by the wizard, memory only), and where a new one goes. */
  held: HeldOrgCheck | null;
  /** `read`: the org was read anew for it (a run), not predicted again against the read held before. */
  onHeld: (h: HeldOrgCheck, read?: boolean) => void;
}

export function ReviewStep(props: {
  table: ParsedTable;
  mapping: Mapping;
  fields: readonly FieldModel[];
  edits: ReviewEdits;
  /** Pre-flight validation of the rows as they stand (in the import worker). */
  validate: ValidateRows;
  onEditsChange: (e: ReviewEdits) => void;
  onBack: () => void;
  /** `predicted`: will add / update / skip as Review saw it last (the Import step shows it before Start). */
  onNext: (e: ReviewEdits, predicted: PredictedOutcome, predictedSkips: RowIndexes) => void;
  orgCheck: ReviewOrgCheck | null;
  /** Clean-ups the wizard computes outside validation (owner names → e-mails), shown with the others. */
  extraFixes?: readonly PackedFix[];
}) {
  const { table, mapping, fields, edits, validate, onEditsChange, orgCheck } = props;
  const rows = useMemo(() => effectiveRows(table, edits), [table, edits]);
  const [onlyIssues, setOnlyIssues] = useState(false);
  const [fix, setFix] = useState<PackedFix | null>(null);
  const [tried, setTried] = useState(false);
  const excluded = edits.excluded;
  const sending = table.rows.length - excluded.size;
  // A stale check (its read is gone and the rows changed) describes nothing any more: only the file-only prediction.
  const held = orgCheck?.enabled && orgCheck.held?.stale === undefined ? orgCheck.held : null;
  const outcomeOf = (view: ValidationView): PredictedOutcome =>
    predictedOutcome({ rows, excluded, fileSkips: view.predictedSkips, check: held, operation: orgCheck?.operation ?? 'insert' });
  const onNext = (e: ReviewEdits, view: ValidationView): void => props.onNext(e, outcomeOf(view), view.predictedSkips);
  // What Next does once a pending check is in: the file's blocks are known now, the table's come with the view.
  const goIfClear = (view: ValidationView): void => {
    if (fileBlockCount(table, excluded) === 0 && view.tableBlocks.length === 0 && sending > 0) onNext(edits, view);
  };
  const check = useReviewValidation(validate, rows, table.headers.length, goIfClear);
  const { validation } = check;
  const org = useOrgCheck(orgCheck?.api ?? null, rows, excluded, orgCheck?.enabled ? orgCheck.held : null, (h, read) => orgCheck?.onHeld(h, read));
  const [onlyChanging, setOnlyChanging] = useState(false);
  const model = useMemo(() => withOrgIssues(withFileIssues(validation.byRow, table.issues), held, rows), [table, validation, held, rows]);
  // The counts over every row follow an edit in a render of their own: the edit itself shows at once, and at a
  // million rows their passes (will add/update/skip, what will change) are not part of the edit's task.
  const countedRows = useDeferredValue(rows);
  const countedExcluded = useDeferredValue(excluded);
  const outcome = useMemo(
    () =>
      predictedOutcome({
        rows: countedRows,
        excluded: countedExcluded,
        fileSkips: validation.predictedSkips,
        check: held,
        operation: orgCheck?.operation ?? 'insert',
      }),
    [countedRows, countedExcluded, validation.predictedSkips, held, orgCheck?.operation],
  );
  const countsCurrent = countedRows === rows && countedExcluded === excluded;

  const byApi = useMemo(() => new Map(fields.map((f) => [f.apiName, f])), [fields]);
  const changing = useMemo(() => (held && onlyChanging ? new Set(changingRows(held.view, held.rows, rows, new Set())) : null), [held, onlyChanging, rows]);
  // The rows the grid lists: null = every row in order (no list of a million indexes to build without a filter).
  const visible = useMemo(() => {
    if (!onlyIssues && changing === null) return null;
    const out: number[] = [];
    for (let i = 0; i < table.rows.length; i++) if ((!onlyIssues || model.byRow.has(i)) && (changing === null || changing.has(i))) out.push(i);
    return out;
  }, [table.rows, onlyIssues, model, changing]);

  // With a check held the count is the merged one (a file-only skip, else the org's outcome); without, the file's.
  const skipsIncluded = held ? outcome.skip : countIncluded(validation.predictedSkips, excluded);
  const blocks = reviewBlocks(table, model, validation.tableBlocks, excluded);
  const canGo = blocks.length === 0 && sending > 0;

  const next = (): void => {
    setTried(true);
    // Rows that could not be checked are not sent: the failure banner says how to retry.
    if (check.failure !== null) return;
    if (check.checking) check.waitForCheck();
    // The check on screen: its outcome is the memo above, not worked out again inside the click (unless the counts
    // have not caught up with the last edit yet).
    else if (canGo) props.onNext(edits, countsCurrent ? outcome : outcomeOf(validation), validation.predictedSkips);
  };
  const fixes = [...validation.fixes, ...(props.extraFixes ?? []), ...(held ? held.view.fixes : [])];
  const orgColumn = held ? table.headers.length : -1;

  return (
    <StepFrame
      title="Review the rows"
      lead="Fix cells inline, exclude rows you don't want, or apply a clean-up to a whole column. Nothing is sent yet."
      onBack={props.onBack}
      primary={
        <button
          type="button"
          className="btn btn--primary"
          onClick={next}
          aria-describedby={blocks.length > 0 ? 'review-blocks' : undefined}
          aria-busy={check.nextWaiting}
        >
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
      {orgCheck ? (
        <OrgCheckSection
          plan={orgCheck.api.plan}
          enabled={orgCheck.enabled}
          onEnabledChange={orgCheck.onEnabledChange}
          status={org.status}
          onStart={org.start}
          onCancel={org.cancel}
          held={held}
          rows={countedRows}
          excluded={countedExcluded}
          outcome={outcome}
          operation={orgCheck.operation}
          fields={fields}
          ignoresEmpty={mapping.columns.some((c) => c.apiName !== null && c.ignoreEmpty === true)}
          onlyChanging={onlyChanging}
          onOnlyChangingChange={setOnlyChanging}
          onExclude={(list) => onEditsChange({ ...edits, excluded: new Set([...excluded, ...list]) })}
          updating={org.updating}
        />
      ) : null}
      <FixList fixes={fixes} headers={table.headers} onPreview={setFix} />

      <DataGrid
        ariaLabel="Rows to import"
        columns={[
          ...table.headers.map((h, col) => {
            const api = mapping.columns[col]?.apiName;
            const f = api ? byApi.get(api) : undefined;
            return {
              key: String(col),
              header: h,
              subheader: f ? `→ ${f.label}` : 'not imported',
              issueCounts: model.countsByColumn[col] ?? { error: 0, warning: 0 },
            };
          }),
          // After a check: what each row does in the org, in words (derived, never edited).
          ...(held ? [{ key: 'org', header: 'In the org', subheader: 'what the import will do', readOnly: true }] : []),
        ]}
        rowCount={visible === null ? table.rows.length : visible.length}
        totalRowCount={table.rows.length}
        getRow={(i) => {
          const rowIndex = visible === null ? i : (visible[i] ?? 0);
          const row = gridRowOf(rowIndex, rows[rowIndex] as SourceRow, model.byRow.get(rowIndex), excluded.has(rowIndex));
          return held ? { ...row, cells: withCell(row.cells, orgColumn, orgCellText(held, rows, excluded, rowIndex, org.updating)) } : row;
        }}
        showOnlyIssues={onlyIssues}
        onShowOnlyIssuesChange={setOnlyIssues}
        onEditCell={(rowId, col, value) => {
          if (col < table.headers.length) onEditsChange(withCellEdit(edits, table.rows, Number(rowId), col, value));
        }}
        onToggleRow={(rowId, included) => onEditsChange(withRowIncluded(edits, Number(rowId), included))}
        emptyMessage={onlyChanging ? 'No row changes a record.' : onlyIssues ? 'No row has an issue.' : 'No rows.'}
        height={Math.min(440, 66 + table.rows.length * 36)}
      />

      <FixDialog
        fix={fix}
        headers={table.headers}
        rows={table.rows}
        onApply={async (f, onProgress, signal) => {
          // In slices of the main thread: a clean-up of a million cells in one go was one 1.3 s task.
          const applying = new FixApplication(edits.editedRows, table.rows, f);
          await runInSlices(
            () => {
              const done = applying.step(APPLY_STEP_CHANGES);
              onProgress(applying.done);
              return done;
            },
            { signal },
          );
          onEditsChange({ ...edits, editedRows: applying.result() });
          setFix(null);
        }}
        onClose={() => setFix(null)}
      />
    </StepFrame>
  );
}

/** The row's cells with the derived cell at `at` (a ragged short row is padded so the derived cell stays in its column). */
function withCell(cells: readonly string[], at: number, text: string): string[] {
  const out = cells.slice(0, at);
  while (out.length < at) out.push('');
  out.push(text);
  return out;
}

/** How many of the predicted skips are still sent (no array of a million kept rows to count). */
function countIncluded(skips: RowIndexes, excluded: ReadonlySet<number>): number {
  if (excluded.size === 0) return skips.length;
  let n = 0;
  for (let k = 0; k < skips.length; k++) if (!excluded.has(skips[k] as number)) n++;
  return n;
}
