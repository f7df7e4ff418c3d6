// A workbook with several non-empty sheets (e.g. Accounts, Contacts, Deals): instead of one sheet, the admin may tick
// several and import them as one run of related modules (issue 11), each sheet a source of its own like a CSV file.
import { useState } from 'react';
import type { WorkbookInfo } from '../../domain/sheets/types.ts';
import { plural } from '../../lib/format.ts';

export function SeveralSheetsPanel(props: {
  workbook: WorkbookInfo;
  disabled: boolean;
  /** The ticked sheets in the workbook's order; the shown sheet keeps the header row chosen above. */
  onStart: (sheets: { name: string; headerRow?: number }[]) => void;
}) {
  const { workbook: wb } = props;
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const candidates = wb.sheets.filter((s) => s.nonEmptyRows > 0);
  if (candidates.length < 2) return null;
  const chosen = candidates.filter((s) => ticked.has(s.name));
  return (
    <fieldset className="field">
      <legend className="field__label">Or import several sheets as one run</legend>
      <p className="field__hint">
        Each ticked sheet goes into its own module (guessed from its name); lookups between them are linked in the run, parents first. Untick the sheets that
        are not records (notes, lists).
      </p>
      {candidates.map((s) => (
        <label key={s.name} className="row">
          <input
            type="checkbox"
            checked={ticked.has(s.name)}
            disabled={props.disabled}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              setTicked((t) => {
                const next = new Set(t);
                if (on) next.add(s.name);
                else next.delete(s.name);
                return next;
              });
            }}
          />
          {s.name} — {plural(s.nonEmptyRows, 'row')}
        </label>
      ))}
      <div className="row">
        <button
          type="button"
          className="btn"
          disabled={props.disabled || chosen.length < 2}
          onClick={() =>
            props.onStart(
              // Only the sheet on show has a header row the admin may have changed; the others take the suggested one.
              chosen.map((s) => (s.name === wb.sheet && wb.headerRow !== wb.suggestedHeaderRow ? { name: s.name, headerRow: wb.headerRow } : { name: s.name })),
            )
          }
        >
          Import {chosen.length >= 2 ? plural(chosen.length, 'sheet') : 'several sheets'} as one run
        </button>
        {chosen.length < 2 ? <span className="subtle">Tick at least two sheets.</span> : null}
      </div>
    </fieldset>
  );
}
