// Empty and duplicate header names block the import until each is renamed or its column ignored (bad-inputs #24, #25).
import { useState } from 'react';
import type { FileIssue } from '../../domain/csv/types.ts';

export function HeaderFixes(props: {
  headers: readonly string[];
  issues: readonly FileIssue[];
  disabled: boolean;
  onApply: (names: { index: number; name: string }[], ignored: number[]) => void;
}) {
  const columns = [
    ...new Set(
      props.issues
        .filter((i) => (i.code === 'EMPTY_HEADER' || i.code === 'DUPLICATE_HEADER') && i.columnIndex !== undefined)
        .map((i) => i.columnIndex as number),
    ),
  ].sort((a, b) => a - b);
  const [names, setNames] = useState<Record<number, string>>({});
  const [ignored, setIgnored] = useState<Record<number, boolean>>({});
  if (columns.length === 0) return null;
  return (
    <fieldset className="panel" style={{ boxShadow: 'none' }}>
      <legend className="section-title">Name or ignore these columns</legend>
      <p className="subtle">Every column needs a unique, non-empty header so its values can be mapped to a field.</p>
      {columns.map((c) => (
        <div key={c} className="row">
          <label className="field" style={{ minWidth: 280 }}>
            <span className="field__label">
              Header of column {c + 1} (now “{props.headers[c] ?? ''}”)
            </span>
            <input
              className="input input--small"
              value={names[c] ?? props.headers[c] ?? ''}
              disabled={ignored[c] === true}
              onChange={(e) => setNames({ ...names, [c]: e.currentTarget.value })}
            />
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={ignored[c] === true} onChange={(e) => setIgnored({ ...ignored, [c]: e.currentTarget.checked })} />
            Ignore column {c + 1}
          </label>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="btn btn--small"
          disabled={props.disabled}
          onClick={() =>
            props.onApply(
              columns.filter((c) => names[c] !== undefined && !ignored[c]).map((c) => ({ index: c, name: names[c] ?? '' })),
              columns.filter((c) => ignored[c] === true),
            )
          }
        >
          Apply header changes
        </button>
      </div>
    </fieldset>
  );
}
