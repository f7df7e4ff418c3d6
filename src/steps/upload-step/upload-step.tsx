// Step 2 — Upload: pick or drop a CSV; the worker decodes and parses it (progress shown); the user sees rows,
// columns, encoding and delimiter (each overridable in one click) and every file-level issue with its line.
// An encoding that is only a guess must be confirmed with the changed-lines preview before going on.
import { Banner } from '../../components/banner/banner.tsx';
import { FileDrop } from '../../components/file-drop/file-drop.tsx';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import type { ParsedTable } from '../../domain/csv/types.ts';
import type { SourceFile } from '../../domain/wizard/wizard-state.ts';
import { EncodingProposalPanel } from './encoding-proposal.tsx';
import { HeaderFixes } from './header-fixes.tsx';
import { FileSummary, FormatOverrides, IssueList, LoadProgressBar, notText, OtherIssues } from './upload-parts.tsx';
import { useSourceLoader, type SourceLoader } from './use-source-loader.ts';
import { SeveralSheetsPanel } from './several-sheets.tsx';
import { SheetChoicePanel } from './sheet-choice.tsx';
import { useSheetChoice } from './use-sheet-choice.ts';

/** Spreadsheets are read too (issue 11): the input keeps its name "CSV file". */
const ACCEPT =
  '.csv,.txt,.tsv,text/csv,text/plain,.xlsx,.xls,.ods,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet';
const HINT = 'Drop a .csv file here, or choose one. Excel workbooks (.xlsx, .xls) and OpenDocument spreadsheets (.ods) are welcome too.';

export function UploadStep(props: {
  loader: SourceLoader;
  initial: SourceFile<ParsedTable> | undefined;
  newSourceId: () => string;
  onBack: () => void;
  onNext: (s: SourceFile<ParsedTable>) => void;
  /** Several files picked at once: a run of related modules (issue 11), handled by the caller. */
  onSeveral?: (files: File[]) => void;
  /** Several sheets of the open workbook ticked: a run of related modules too, one source per sheet. */
  onSeveralSheets?: (file: File, sheets: { name: string; headerRow?: number }[]) => void;
}) {
  const { source, file, options, status, openFile, reparse } = useSourceLoader(props.loader, props.initial, props.newSourceId);
  const sheetChoice = useSheetChoice(options, reparse);

  const table = source?.table;
  const loading = status.kind === 'loading';
  const fileErrors = table ? table.issues.filter((i) => i.severity === 'error' && i.scope === 'file') : [];
  const canContinue = !!table && !table.blocked && !loading;

  return (
    <StepFrame
      title="Upload your CSV file"
      lead="The file is read on this computer. Nothing is sent until you start the import."
      onBack={props.onBack}
      primary={
        <button
          type="button"
          className="btn btn--primary"
          disabled={!canContinue}
          onClick={() => source && props.onNext(source)}
          aria-describedby={table?.blocked ? 'upload-block' : undefined}
        >
          Next
        </button>
      }
    >
      <FileDrop
        onFile={openFile}
        onFiles={props.onSeveral}
        disabled={loading}
        accept={ACCEPT}
        hint={
          props.onSeveral
            ? `${HINT} Related CSV files (e.g. accounts, contacts, deals) can be chosen together: each goes into its own module, parents first.`
            : HINT
        }
      />

      <div style={{ minHeight: 44 }} aria-live="polite">
        {loading ? <LoadProgressBar progress={status.progress} /> : null}
      </div>

      {status.kind === 'failed' ? (
        <Banner tone="error" title="This file cannot be imported">
          <p>{status.message}</p>
          {status.issues.length > 0 ? <IssueList issues={status.issues} /> : null}
        </Banner>
      ) : null}

      {table && source && notText(table) ? (
        <Banner tone="error" title={`${source.name} cannot be read`}>
          <IssueList issues={fileErrors} />
        </Banner>
      ) : table && source ? (
        <>
          <FileSummary source={source} table={table} />
          {table.workbook ? (
            <>
              <SheetChoicePanel workbook={table.workbook} disabled={loading} onSheet={sheetChoice.pickSheet} onHeaderRow={sheetChoice.pickHeaderRow} />
              {file && props.onSeveralSheets ? (
                <SeveralSheetsPanel workbook={table.workbook} disabled={loading} onStart={(sheets) => props.onSeveralSheets?.(file, sheets)} />
              ) : null}
            </>
          ) : (
            <FormatOverrides table={table} options={options} disabled={loading} onReparse={reparse} />
          )}

          {!table.encoding.confirmed && table.encoding.proposal ? (
            <EncodingProposalPanel
              proposal={table.encoding.proposal}
              disabled={loading}
              onConfirm={(name) => reparse({ ...options, decode: { ...options.decode, encoding: name } })}
            />
          ) : null}

          <HeaderFixes
            headers={table.headers}
            issues={table.issues}
            disabled={loading}
            onApply={(headerNames, ignoredColumns) => reparse({ ...options, parse: { ...options.parse, headerNames, ignoredColumns } })}
          />

          {table.issues.some((i) => i.code === 'INVALID_UTF8') && !options.decode?.replaceInvalid ? (
            <div className="row">
              <button type="button" className="btn btn--small" onClick={() => reparse({ ...options, decode: { ...options.decode, replaceInvalid: true } })}>
                Replace invalid bytes with � and continue
              </button>
              <span className="subtle">Only if you accept that those characters are lost; otherwise fix the file or choose its real encoding.</span>
            </div>
          ) : null}

          {table.blocked ? (
            <div id="upload-block">
              <Banner tone="error" title="Fix these before continuing">
                <IssueList issues={fileErrors.length > 0 ? fileErrors : table.issues.filter((i) => i.severity === 'error')} />
              </Banner>
            </div>
          ) : null}
          <OtherIssues issues={table.issues.filter((i) => !(table.blocked && i.severity === 'error' && i.scope === 'file'))} />
        </>
      ) : status.kind === 'idle' ? (
        <p className="empty">No file yet. Choose a CSV exported from a spreadsheet or another system.</p>
      ) : null}
    </StepFrame>
  );
}
