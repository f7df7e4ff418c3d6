// "Will add N · will update M · will skip K": the predicted outcome of an import, shown before it starts.
// Colour is never the only signal: each count carries its word.
const fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function OutcomeLine(props: { add: number; update: number; skip: number; label?: string; note?: string | undefined }) {
  return (
    <div className="stack" style={{ gap: 'var(--space-1)' }}>
      <p className="outcome-line" aria-label={props.label ?? 'Predicted outcome'} role="group">
        <span className="count--added">Will add {fmt.format(props.add)}</span>
        {' · '}
        <span className="count--updated">will update {fmt.format(props.update)}</span>
        {' · '}
        <span className="count--skipped">will skip {fmt.format(props.skip)}</span>
      </p>
      {props.note ? (
        <p className="subtle" style={{ margin: 0 }}>
          {props.note}
        </p>
      ) : null}
    </div>
  );
}
