// The presentational pieces of Upload: the load progress, the file summary, the encoding and delimiter overrides,
// and the lists of file issues (blocking, row problems for Review, notes).
import { Banner } from '../../components/banner/banner.tsx';
import { ProgressBar } from '../../components/progress-bar/progress-bar.tsx';
import { TruncatedText } from '../../components/truncated-text/truncated-text.tsx';
import { DELIMITER_CANDIDATES, type Delimiter, type FileIssue, type ParsedTable } from '../../domain/csv/types.ts';
import type { SourceFile } from '../../domain/wizard/wizard-state.ts';
import { delimiterName, formatBytes, formatInt, plural } from '../../lib/format.ts';
import type { OpenOptions, Phase } from '../../worker/protocol.ts';
import type { LoadProgress } from './use-source-loader.ts';

const PHASE_LABEL: Record<Phase, string> = {
  read: 'Reading the file',
  decode: 'Decoding characters',
  parse: 'Parsing rows',
  validate: 'Checking values',
  serialise: 'Preparing rows',
  zip: 'Compressing',
};

const COMMON_ENCODINGS = [
  'utf-8',
  'windows-1252',
  'iso-8859-1',
  'iso-8859-15',
  'utf-16le',
  'utf-16be',
  'shift_jis',
  'euc-jp',
  'gb18030',
  'big5',
  'euc-kr',
  'windows-1250',
  'windows-1251',
];

export function LoadProgressBar(props: { progress: LoadProgress | null }) {
  const { progress } = props;
  return (
    <ProgressBar
      label={progress ? PHASE_LABEL[progress.phase] : 'Starting…'}
      value={progress?.done ?? 0}
      max={progress?.total ?? 0}
      indeterminate={!progress || progress.total <= 0}
      valueText={
        progress && progress.total > 0 && (progress.phase === 'read' || progress.phase === 'decode')
          ? `${formatBytes(progress.done)} of ${formatBytes(progress.total)}`
          : undefined
      }
    />
  );
}

export function FileSummary(props: { source: SourceFile<ParsedTable>; table: ParsedTable }) {
  const { source, table } = props;
  return (
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
      {table.workbook ? (
        <div className="fact">
          <dt>Sheet</dt>
          <dd>
            <TruncatedText text={table.workbook.sheet} />
            <span className="badge">{table.workbook.format}</span>
          </dd>
        </div>
      ) : (
        <TextFormatFacts table={table} />
      )}
    </dl>
  );
}

/** A CSV's encoding and delimiter (a workbook has neither). */
function TextFormatFacts(props: { table: ParsedTable }) {
  const { table } = props;
  return (
    <>
      <div className="fact">
        <dt>Encoding</dt>
        <dd>
          <span>{table.encoding.name}</span>
          {!table.encoding.confirmed ? (
            <span className="badge badge--warning">needs confirming</span>
          ) : (
            <span className="badge">{table.encoding.source === 'user' ? 'chosen' : 'detected'}</span>
          )}
        </dd>
      </div>
      <div className="fact">
        <dt>Delimiter</dt>
        <dd>
          <span>{delimiterName(table.delimiter.char)}</span>
          <span className="badge">{table.delimiter.fromSepLine ? 'from sep= line' : table.delimiter.detected ? 'detected' : 'chosen'}</span>
        </dd>
      </div>
    </>
  );
}

/** Encoding (detected, or chosen from the list) and delimiter (one click each); every change re-parses. */
export function FormatOverrides(props: { table: ParsedTable; options: OpenOptions; disabled: boolean; onReparse: (next: OpenOptions) => void }) {
  const { table, options, onReparse } = props;
  const loading = props.disabled;
  return (
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
            onReparse({ ...options, decode });
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
                title={
                  cand
                    ? `${formatInt(cand.consistentRows)} of ${formatInt(cand.sampledRows)} sampled rows have ${formatInt(cand.fieldCountMode)} fields`
                    : undefined
                }
                onClick={() => !active && onReparse({ ...options, parse: { ...options.parse, delimiter: d } })}
              >
                {delimiterName(d)}
              </button>
            );
          })}
        </div>
        <p className="field__hint">
          {table.stats.blankLines > 0 ? `${plural(table.stats.blankLines, 'empty line')} ignored. ` : ''}Line endings: {table.stats.lineEnding}.
        </p>
      </div>
    </div>
  );
}

const UNREADABLE: ReadonlySet<FileIssue['code']> = new Set([
  'NOT_CSV',
  'EMPTY_FILE',
  'WORKBOOK_UNREADABLE',
  'WORKBOOK_ENCRYPTED',
  'WORKBOOK_EMPTY',
  'FILE_TOO_LARGE',
]);

/** Nothing in the file can be read as a table (empty, a PDF, a damaged or encrypted workbook…): summary and overrides would only be noise. */
export function notText(t: ParsedTable): boolean {
  return t.issues.some((i) => i.severity === 'error' && UNREADABLE.has(i.code));
}

function where(i: FileIssue): string {
  if (i.line !== undefined) return `Line ${formatInt(i.line)}${i.column !== undefined ? `:${i.column}` : ''}: `;
  return '';
}

export function IssueList(props: { issues: readonly FileIssue[] }) {
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

export function OtherIssues(props: { issues: readonly FileIssue[] }) {
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
