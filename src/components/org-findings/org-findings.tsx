// "What the org check found": one plain line per flagged row (line, what Zoho will do and why, the record id),
// the first ones listed and the rest counted; the grid holds every row. Presentational.
const fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export interface OrgFinding {
  rowIndex: number;
  line: number;
  text: string;
  severity: 'error' | 'warning';
}

/** `findings`: the first lines to list; `total`: every flagged row (the rest are counted, not listed). */
export function OrgFindings(props: { findings: readonly OrgFinding[]; total: number }) {
  const { total } = props;
  if (total === 0) return null;
  return (
    <details className="stack" open={total <= 10}>
      <summary className="section-title">What the org check found ({fmt.format(total)})</summary>
      <ul className="issue-list" aria-label="What the org check found" tabIndex={0}>
        {props.findings.map((f) => (
          <li key={f.rowIndex} className={f.severity === 'error' ? 'count--skipped' : undefined}>
            Line {fmt.format(f.line)}: {f.text}
          </li>
        ))}
        {total > props.findings.length ? (
          <li>…and {fmt.format(total - props.findings.length)} more: turn on “Show only rows with issues” to see them in the grid.</li>
        ) : null}
      </ul>
    </details>
  );
}
