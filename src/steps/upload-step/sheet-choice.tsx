// A workbook's sheet picker (when it has several sheets; an empty sheet says so) and its header-row choice (the
// suggested row is preselected; rows above the header are not data).
import type { WorkbookInfo } from '../../domain/sheets/types.ts';
import { formatInt, plural } from '../../lib/format.ts';

export function SheetChoicePanel(props: {
  workbook: WorkbookInfo;
  disabled: boolean;
  onSheet: (sheet: string) => void;
  onHeaderRow: (sheet: string, headerRow: number) => void;
}) {
  const { workbook: wb, disabled } = props;
  const firstRow = wb.headerChoices[0]?.row;
  return (
    <div className="grid-2">
      {wb.sheets.length > 1 ? (
        <div className="field">
          <label className="field__label" htmlFor="sheet-choice">
            Sheet
          </label>
          <select id="sheet-choice" className="select" value={wb.sheet} disabled={disabled} onChange={(e) => props.onSheet(e.currentTarget.value)}>
            {wb.sheets.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name} — {s.nonEmptyRows === 0 ? 'empty' : plural(s.nonEmptyRows, 'row')}
              </option>
            ))}
          </select>
          <p className="field__hint">
            {plural(wb.sheets.length, 'sheet')} in this workbook;{' '}
            {wb.sheets.filter((s) => s.nonEmptyRows > 0).length > 1
              ? 'one sheet is imported here, or several as one run below.'
              : 'one sheet is imported at a time.'}
          </p>
        </div>
      ) : null}
      {wb.headerChoices.length > 0 ? (
        <div className="field">
          <label className="field__label" htmlFor="header-row-choice">
            Header row
          </label>
          <select
            id="header-row-choice"
            className="select"
            value={String(wb.headerRow)}
            disabled={disabled}
            onChange={(e) => props.onHeaderRow(wb.sheet, Number(e.currentTarget.value))}
          >
            {wb.headerChoices.map((c) => (
              <option key={c.row} value={String(c.row)}>
                Row {formatInt(c.row)}
                {c.row === wb.suggestedHeaderRow ? ' (suggested)' : ''}: {c.preview}
              </option>
            ))}
          </select>
          <p className="field__hint">
            {firstRow !== undefined && wb.headerRow > firstRow ? `Rows above row ${formatInt(wb.headerRow)} are not imported. ` : ''}
            Line numbers are the sheet&apos;s row numbers{wb.date1904 ? '; dates use the 1904 date system' : ''}.
          </p>
        </div>
      ) : null}
    </div>
  );
}
