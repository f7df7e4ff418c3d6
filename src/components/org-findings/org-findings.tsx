// "What the org check found": one plain line per flagged row (line, what Zoho will do and why, the record id),
// the first ones listed and the rest counted; the grid holds every row. Presentational.
const fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export interface OrgFinding {
  rowIndex: number;
  line: number;
  text: string;
  severity: 'error' | 'warning';
}

export function OrgFindings(props: { findings: readonly OrgFinding[]; shown?: number }) {
  const shown = props.shown ?? 50;
  if (props.findings.length === 0) return null;
  return (
    <details className="stack" open={props.findings.length <= 10}>
      <summary className="section-title">What the org check found ({fmt.format(props.findings.length)})</summary>
      <ul className="issue-list" aria-label="What the org check found" tabIndex={0}>
        {props.findings.slice(0, shown).map((f) => (
          <li key={f.rowIndex} className={f.severity === 'error' ? 'count--skipped' : undefined}>
            Line {fmt.format(f.line)}: {f.text}
          </li>
        ))}
        {props.findings.length > shown ? <li>…and {fmt.format(props.findings.length - shown)} more: turn on “Show only rows with issues” to see them in the grid.</li> : null}
      </ul>
    </details>
  );
}
