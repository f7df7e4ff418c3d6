// Step 2 — Upload: pick or drop a CSV; the worker decodes and parses it (progress shown); the user sees rows,
// columns, encoding and delimiter (each overridable in one click) and every file-level issue with its line.
// An encoding that is only a guess must be confirmed with the changed-lines preview before going on.
import { useRef, useState } from 'react';
import { Banner } from '../../components/banner/banner.tsx';
import { FileDrop } from '../../components/file-drop/file-drop.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { StepFrame } from '../../components/step-frame/step-frame.tsx';
import { TruncatedText } from '../../components/truncated-text/truncated-text.tsx';
import { DELIMITER_CANDIDATES, type Delimiter, type FileIssue, type ParsedTable } from '../../domain/csv/types.ts';
import type { SourceFile } from '../../domain/wizard/wizard-state.ts';
import { delimiterName, formatBytes, formatInt, plural } from '../../lib/format.ts';
import type { OpenOptions, Phase } from '../../worker/protocol.ts';
import { EncodingProposalPanel } from './encoding-proposal.tsx';
import { HeaderFixes } from './header-fixes.tsx';

export interface LoadProgress {
  phase: Phase;
  done: number;
  total: number;
}

/** What the step needs from the worker client (wired by the app). */
export interface SourceLoader {
  open: (file: File, options: OpenOptions, hooks: { onProgress: (p: LoadProgress) => void; signal: AbortSignal }) => Promise<ParsedTable>;
  reparse: (options: OpenOptions, hooks: { onProgress: (p: LoadProgress) => void; signal: AbortSignal }) => Promise<ParsedTable>;
}

const PHASE_LABEL: Record<Phase, string> = {
  read: 'Reading the file',
  decode: 'Decoding characters',
  parse: 'Parsing rows',
  validate: 'Checking values',
  serialise: 'Preparing rows',
  zip: 'Compressing',
};

const COMMON_ENCODINGS = ['utf-8', 'windows-1252', 'iso-8859-1', 'iso-8859-15', 'utf-16le', 'utf-16be', 'shift_jis', 'euc-jp', 'gb18030', 'big5', 'euc-kr', 'windows-1250', 'windows-1251'];

type Status = { kind: 'idle' } | { kind: 'loading'; progress: LoadProgress | null } | { kind: 'failed'; message: string; issues: FileIssue[] };

export function UploadStep(props: {
  loader: SourceLoader;
  initial: SourceFile<ParsedTable> | undefined;
  newSourceId: () => string;
  onBack: () => void;
  onNext: (s: SourceFile<ParsedTable>) => void;
}) {
  const [source, setSource] = useState<SourceFile<ParsedTable> | undefined>(props.initial);
  const [options, setOptions] = useState<OpenOptions>({});
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);

  const run = async (work: (hooks: { onProgress: (p: LoadProgress) => void; signal: AbortSignal }) => Promise<ParsedTable>, meta: { name: string; size: number; sourceId: string }) => {
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setStatus({ kind: 'loading', progress: null });
    try {
      const table = await work({ onProgress: (p) => setStatus({ kind: 'loading', progress: p }), signal: ctrl.signal });
      if (ctrl.signal.aborted) return;
      setSource({ ...meta, table });
      setStatus({ kind: 'idle' });
    } catch (e) {
      if (ctrl.signal.aborted) return;
      const issues = typeof e === 'object' && e !== null && 'issues' in e && Array.isArray((e).issues) ? (e as { issues: FileIssue[] }).issues : [];
      setStatus({ kind: 'failed', message: e instanceof Error ? e.message : String(e), issues });
    }
  };

  const openFile = (file: File) => {
    setSource(undefined);
    const fresh: OpenOptions = {};
    setOptions(fresh);
    void run((h) => props.loader.open(file, fresh, h), { name: file.name, size: file.size, sourceId: props.newSourceId() });
  };

  const reparse = (next: OpenOptions) => {
    if (!source) return;
    setOptions(next);
    // A re-parse changes the rows, so it is a new source for mappings and edits.
    void run((h) => props.loader.reparse(next, h), { name: source.name, size: source.size, sourceId: props.newSourceId() });
  };

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
        <button type="button" className="btn btn--primary" disabled={!canContinue} onClick={() => source && props.onNext(source)} aria-describedby={table?.blocked ? 'upload-block' : undefined}>
          Next
        </button>
      }
    >
      <FileDrop onFile={openFile} disabled={loading} />

      <div style={{ minHeight: 44 }} aria-live="polite">
        {loading ? (
          <ProgressBar
            label={status.progress ? PHASE_LABEL[status.progress.phase] : 'Starting…'}
            value={status.progress?.done ?? 0}
            max={status.progress?.total ?? 0}
            indeterminate={!status.progress || status.progress.total <= 0}
            valueText={status.progress && status.progress.total > 0 && (status.progress.phase === 'read' || status.progress.phase === 'decode') ? `${formatBytes(status.progress.done)} of ${formatBytes(status.progress.total)}` : undefined}
          />
        ) : null}
      </div>

      {status.kind === 'failed' ? (
        <Banner tone="error" title="This file cannot be imported">
          <p>{status.message}</p>
          {status.issues.length > 0 ? <IssueList issues={status.issues} /> : null}
        </Banner>
      ) : null}

      {table && source && notText(table) ? (
        <Banner tone="error" title={`${source.name} cannot be read as a CSV file`}>
          <IssueList issues={fileErrors} />
        </Banner>
      ) : table && source ? (
        <>
          <dl className="facts" aria-label="File summary">
            <div className="fact">
              <dt>File</dt>
              <dd>
                <TruncatedText text={source.name} />
              </dd>
            </div>
            <div className="fact">
              <dt>Data rows</dt>
              <dd>{formatInt(table.stats.dataRows)}</dd>
            </div>
            <div className="fact">
              <dt>Columns</dt>
              <dd>{formatInt(table.headers.length)}</dd>
            </div>
            <div className="fact">
              <dt>Size</dt>
              <dd>{formatBytes(source.size)}</dd>
            </div>
            <div className="fact">
              <dt>Encoding</dt>
              <dd>
                <span>{table.encoding.name}</span>
                {!table.encoding.confirmed ? <span className="badge badge--warning">needs confirming</span> : <span className="badge">{table.encoding.source === 'user' ? 'chosen' : 'detected'}</span>}
              </dd>
            </div>
            <div className="fact">
              <dt>Delimiter</dt>
              <dd>
                <span>{delimiterName(table.delimiter.char)}</span>
                <span className="badge">{table.delimiter.fromSepLine ? 'from sep= line' : table.delimiter.detected ? 'detected' : 'chosen'}</span>
              </dd>
            </div>
          </dl>

          <div className="grid-2">
            <div className="field">
              <label className="field__label" htmlFor="encoding-override">
                Character encoding
              </label>
              <select
                id="encoding-override"
                className="select"
                value={options.decode?.encoding ?? ''}
                disabled={loading}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  const decode = { ...options.decode };
                  if (v) decode.encoding = v;
                  else delete decode.encoding;
                  reparse({ ...options, decode });
                }}
              >
                <option value="">Detect automatically ({table.encoding.name})</option>
                {[...new Set([...(table.encoding.alternatives ?? []), ...COMMON_ENCODINGS])].map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <span className="field__label" id="delimiter-label">
                Delimiter
              </span>
              <div className="row" role="group" aria-labelledby="delimiter-label">
                {DELIMITER_CANDIDATES.map((d: Delimiter) => {
                  const cand = table.delimiter.candidates.find((c) => c.char === d);
                  const active = table.delimiter.char === d;
                  return (
                    <button
                      key={d}
                      type="button"
                      className={`btn btn--small${active ? ' btn--primary' : ''}`}
                      aria-pressed={active}
                      disabled={loading}
                      title={cand ? `${formatInt(cand.consistentRows)} of ${formatInt(cand.sampledRows)} sampled rows have ${formatInt(cand.fieldCountMode)} fields` : undefined}
                      onClick={() => !active && reparse({ ...options, parse: { ...options.parse, delimiter: d } })}
                    >
                      {delimiterName(d)}
                    </button>
                  );
                })}
              </div>
              <p className="field__hint">{table.stats.blankLines > 0 ? `${plural(table.stats.blankLines, 'empty line')} ignored. ` : ''}Line endings: {table.stats.lineEnding}.</p>
            </div>
          </div>

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

/** Nothing in the file is CSV text (empty, a workbook, a PDF…): summary and overrides would only be noise. */
function notText(t: ParsedTable): boolean {
  return t.issues.some((i) => i.severity === 'error' && (i.code === 'NOT_CSV' || i.code === 'EMPTY_FILE'));
}

function where(i: FileIssue): string {
  if (i.line !== undefined) return `Line ${formatInt(i.line)}${i.column !== undefined ? `:${i.column}` : ''}: `;
  return '';
}

function IssueList(props: { issues: readonly FileIssue[] }) {
  const shown = props.issues.slice(0, 100);
  return (
    <>
      <ul className="issue-list" tabIndex={0}>
        {shown.map((i, n) => (
          <li key={`${i.code}-${n}`}>
            {where(i)}
            {i.message}
          </li>
        ))}
      </ul>
      {props.issues.length > shown.length ? <p className="subtle">…and {formatInt(props.issues.length - shown.length)} more.</p> : null}
    </>
  );
}

function OtherIssues(props: { issues: readonly FileIssue[] }) {
  if (props.issues.length === 0) return null;
  const rowErrors = props.issues.filter((i) => i.severity === 'error');
  const warnings = props.issues.filter((i) => i.severity !== 'error');
  return (
    <>
      {rowErrors.length > 0 ? (
        <Banner tone="warning" title={`${plural(rowErrors.length, 'row problem')} to fix or exclude in Review`} live={false}>
          <IssueList issues={rowErrors} />
        </Banner>
      ) : null}
      {warnings.length > 0 ? (
        <Banner tone="info" title={`${plural(warnings.length, 'note')} about this file`} live={false}>
          <IssueList issues={warnings} />
        </Banner>
      ) : null}
    </>
  );
}
