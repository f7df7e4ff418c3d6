// "What will change" for update and upsert: how many matched rows change something, the count per field, the
// filter "Show only rows that change" (the parent filters its grid), and one click to exclude the rows that change
// nothing. Presentational: counts in, choices out.
const fmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export interface FieldChangeCount {
  /** What a person recognises (the field label), with the API name for the unambiguous reading. */
  label: string;
  apiName: string;
  rows: number;
}

export function ChangeSummary(props: {
  /** Rows matched to an existing record (and still included). */
  matchedRows: number;
  /** Of those, rows where at least one sent value differs from the org. */
  changingRows: number;
  perField: readonly FieldChangeCount[];
  onlyChanging: boolean;
  onOnlyChangingChange: (on: boolean) => void;
  onExcludeUnchanged: () => void;
  /** ignore_empty is on for some columns: an empty cell keeps the org's value and is not counted as a change. */
  ignoreEmptyNote?: string | undefined;
}) {
  const unchanged = props.matchedRows - props.changingRows;
  return (
    <section className="stack" aria-labelledby="what-will-change-title">
      <h3 className="section-title" id="what-will-change-title">
        What will change
      </h3>
      <p style={{ margin: 0 }}>
        {fmt.format(props.changingRows)} of {fmt.format(props.matchedRows)} matched{' '}
        {props.matchedRows === 1 ? 'row changes its record' : 'rows change their record'}
        {unchanged > 0 ? `; ${fmt.format(unchanged)} would be sent with nothing to change.` : '.'} Changed cells show the value in the org and the new one (old
        → new).
      </p>
      {props.perField.length > 0 ? (
        <ul className="change-counts" aria-label="Changes per field">
          {props.perField.map((f) => (
            <li key={f.apiName} title={f.apiName}>
              {f.label}: {fmt.format(f.rows)}
            </li>
          ))}
        </ul>
      ) : null}
      {props.ignoreEmptyNote ? (
        <p className="subtle" style={{ margin: 0 }}>
          {props.ignoreEmptyNote}
        </p>
      ) : null}
      <div className="row">
        <label className="checkbox">
          <input type="checkbox" checked={props.onlyChanging} onChange={(e) => props.onOnlyChangingChange(e.target.checked)} />
          Show only rows that change
        </label>
        {unchanged > 0 ? (
          <button type="button" className="btn btn--small" onClick={props.onExcludeUnchanged}>
            Exclude {fmt.format(unchanged)} {unchanged === 1 ? 'row that changes' : 'rows that change'} nothing
          </button>
        ) : null}
      </div>
    </section>
  );
}
