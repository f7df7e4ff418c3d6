// Small accessible stacked bar of a job's outcome (added / updated / skipped / unprocessed) with text labels.
import { useMemo } from 'react';
import { describeOutcome, toSegments } from './stacked-bar-model.ts';
import type { OutcomeCounts } from './stacked-bar-model.ts';
import './stacked-bar.css';

export interface StackedBarProps {
  readonly counts: OutcomeCounts;
  /** Visible caption, e.g. "Job 1 of 3" or "All jobs". */
  readonly caption?: string;
  /** BCP 47 locale for Intl.NumberFormat; defaults to the browser's. */
  readonly locale?: string;
  /** The legend repeats the numbers as text ("Added 6"); hide it when the page already shows them. */
  readonly showLegend?: boolean;
}

export function StackedBar({ counts, caption, locale, showLegend = true }: StackedBarProps) {
  const format = useMemo(() => {
    const nf = new Intl.NumberFormat(locale);
    return (n: number) => nf.format(n);
  }, [locale]);
  const segments = toSegments(counts);
  const summary = describeOutcome(counts, format);
  return (
    <figure className="sb">
      {caption ? <figcaption className="sb-caption">{caption}</figcaption> : null}
      <div className="sb-bar" role="img" aria-label={summary}>
        {segments
          .filter((s) => s.percent > 0)
          .map((s) => (
            <div key={s.key} className={`sb-seg sb-seg--${s.key}`} style={{ width: `${s.percent}%` }} />
          ))}
      </div>
      {showLegend ? (
        <ul className="sb-legend">
          {segments.map((s) => (
            <li key={s.key} className="sb-legend__item">
              <span className={`sb-swatch sb-seg--${s.key}`} aria-hidden="true" />
              <span>
                {s.label} {format(s.count)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}
