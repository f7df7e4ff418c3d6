// The presentational pieces of Review around the grid: the summary figures, the banner of what blocks the import
// (or of the rows predicted to be skipped), and the list of suggested column clean-ups.
import { Banner } from '../../components/banner/banner.tsx';
import { formatInt, plural } from '../../lib/format.ts';
import type { PackedFix } from '../../worker/column-fixes.ts';

export function ReviewSummary(props: { sending: number; excluded: number; skips: number; rowsWithIssues: number; pending: boolean }) {
  const { sending, excluded, skips, rowsWithIssues, pending } = props;
  return (
    <dl className="facts" aria-label="Review summary">
      <div className="fact">
        <dt>Rows to send</dt>
        <dd>{formatInt(sending)}</dd>
      </div>
      <div className="fact">
        <dt>Excluded</dt>
        <dd>{formatInt(excluded)}</dd>
      </div>
      <div className="fact">
        <dt>Predicted to be skipped</dt>
        <dd className={skips > 0 ? 'count--skipped' : undefined}>{pending ? '…' : formatInt(skips)}</dd>
      </div>
      <div className="fact">
        <dt>Rows with issues</dt>
        <dd>{pending ? '…' : formatInt(rowsWithIssues)}</dd>
      </div>
    </dl>
  );
}

/** What stops Next (a block), else the rows predicted to be skipped, else (after Next) that every row is excluded. */
export function ReviewBanner(props: { blocks: readonly string[]; skips: number; tried: boolean; sending: number }) {
  const { blocks, skips, tried, sending } = props;
  if (blocks.length > 0) {
    return (
      <div id="review-blocks">
        <Banner tone={tried ? 'error' : 'warning'} title="The import can’t start until these are resolved" live={tried}>
          <ul className="issue-list" tabIndex={0}>
            {blocks.map((b, i) => (
              <li key={i}>{b}</li>
            ))}
          </ul>
        </Banner>
      </div>
    );
  }
  if (skips > 0) {
    return (
      <Banner tone="warning" title={`${plural(skips, 'row')} will probably be skipped by Zoho`} live={false}>
        <p>Fix the highlighted cells or exclude those rows; otherwise they are sent and reported as skipped with the reason.</p>
      </Banner>
    );
  }
  if (tried && sending === 0) {
    return (
      <Banner tone="error" title="Every row is excluded">
        <p>Include at least one row to import.</p>
      </Banner>
    );
  }
  return null;
}

export function FixList(props: { fixes: readonly PackedFix[]; headers: readonly string[]; onPreview: (fix: PackedFix) => void }) {
  const { fixes, headers, onPreview } = props;
  if (fixes.length === 0) return null;
  return (
    <section className="stack" aria-labelledby="fixes-title">
      <h3 className="section-title" id="fixes-title">
        Suggested clean-ups
      </h3>
      <div className="fix-list">
        {fixes.map((f, i) => (
          <div className="fix-item" key={i}>
            <span>
              <strong>{headers[f.column]}</strong> — {f.label}: {plural(f.changeCount, 'cell')}
            </span>
            <button type="button" className="btn btn--small" onClick={() => onPreview(f)}>
              Preview {f.label} in “{headers[f.column]}”
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}
