// One sheet of a workbook → the same ParsedTable a CSV gives, so mapping, review, split and import treat both
// alike. Line numbers are the spreadsheet's row numbers; rows above the chosen header row are not data; every row
// is as wide as the widest row (empty trailing cells are empty strings), so nothing is dropped or shifted.

import { cellText, type CellText } from './cell-text.ts';
import { buildTable } from '../csv/parse.ts';
import type { FileIssue, ParseOptions, ParsedTable, SourceRow } from '../csv/types.ts';
import type { SheetCell, SheetRow, WorkbookInfo } from './types.ts';

/** How many non-blank rows the header-row picker offers (and the suggestion looks at). */
export const HEADER_CHOICES = 20;

const isBlankRow = (cells: readonly string[]): boolean => cells.every((c) => c.trim() === '');

function nonEmptyCount(cells: ReadonlyArray<SheetCell | undefined>): number {
  let n = 0;
  for (const c of cells) if (c !== undefined && !(c.kind === 'text' && c.value.trim() === '')) n++;
  return n;
}

/**
 * The row that looks like the header: among the first non-blank rows, the first whose filled cells are all text and
 * which fills at least half as many cells as the widest of them, and at least two when any row does (a title row
 * above the header fills one); failing
 * that (a header with a year as a number), the first row that wide. 0 for an empty sheet.
 */
export function suggestHeaderRow(rows: readonly SheetRow[]): number {
  const sample: SheetRow[] = [];
  for (const r of rows) {
    if (sample.length === HEADER_CHOICES) break;
    if (nonEmptyCount(r.cells) > 0) sample.push(r);
  }
  const first = sample[0];
  if (!first) return 0;
  const widest = Math.max(...sample.map((r) => nonEmptyCount(r.cells)));
  // A one-cell row (a title) is the header only of a one-column sheet.
  const needed = widest >= 2 ? Math.max(2, Math.ceil(widest / 2)) : 1;
  const wide = sample.filter((r) => nonEmptyCount(r.cells) >= needed);
  const header = wide.find((r) => r.cells.every((c) => c === undefined || c.kind === 'text')) ?? wide[0] ?? first;
  return header.row;
}

function preview(cells: readonly string[]): string {
  const shown = cells.filter((c) => c.trim() !== '').join(' · ');
  return shown.length > 80 ? `${shown.slice(0, 80)}…` : shown;
}

export interface SheetTableInput {
  /** The sheet's rows with at least one cell, ascending by row number. */
  rows: readonly SheetRow[];
  date1904: boolean;
  /** The workbook's size in bytes. */
  bytes: number;
  info: Omit<WorkbookInfo, 'headerRow' | 'suggestedHeaderRow' | 'headerChoices'>;
  /** The admin's header row (1-based spreadsheet row); default: the suggestion. */
  headerRow?: number;
  parse?: ParseOptions;
  fileName: string;
}

const issue = (i: Omit<FileIssue, 'severity' | 'scope'> & Partial<Pick<FileIssue, 'severity' | 'scope'>>): FileIssue => ({
  severity: 'error',
  scope: 'file',
  ...i,
});

export function sheetTable(input: SheetTableInput): ParsedTable {
  const { rows, date1904, bytes, info, fileName } = input;
  const suggested = suggestHeaderRow(rows);
  // Every cell's text in one pass (no object per cell: a 100,000-row sheet has millions); the rare problem cells aside.
  const texts: Array<{ row: number; cells: string[] }> = new Array<{ row: number; cells: string[] }>(rows.length);
  const problems: Array<{ row: number; col: number; problem: NonNullable<CellText['problem']> }> = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as SheetRow;
    const cells = new Array<string>(r.cells.length);
    for (let j = 0; j < r.cells.length; j++) {
      const c = r.cells[j];
      if (c === undefined) cells[j] = '';
      else if (c.kind === 'text') cells[j] = c.value;
      else {
        const ct = cellText(c, date1904);
        cells[j] = ct.text;
        if (ct.problem) problems.push({ row: r.row, col: j, problem: ct.problem });
      }
    }
    texts[i] = { row: r.row, cells };
  }
  const headerChoices: WorkbookInfo['headerChoices'] = [];
  for (const r of texts) {
    if (headerChoices.length === HEADER_CHOICES) break;
    if (!isBlankRow(r.cells)) headerChoices.push({ row: r.row, preview: preview(r.cells) });
  }
  const chosen = input.headerRow !== undefined && headerChoices.some((c) => c.row === input.headerRow) ? input.headerRow : suggested;
  const workbook: WorkbookInfo = { ...info, headerRow: chosen, suggestedHeaderRow: suggested, headerChoices };
  const issues: FileIssue[] = [];
  const blank: ParsedTable = {
    encoding: { name: 'utf-8', source: 'utf8', bom: false, confirmed: true },
    delimiter: { char: ',', detected: false, candidates: [], fromSepLine: false },
    headers: [],
    headerLine: 0,
    rows: [],
    issues,
    stats: { dataRows: 0, blankLines: 0, bytes, lineEnding: 'none', columns: 0 },
    blocked: true,
    workbook,
  };
  if (chosen === 0) {
    issues.push(
      issue({
        code: 'SHEET_EMPTY',
        message: `Sheet "${info.sheet}" of ${fileName} is empty: it has no header and no data rows. Pick another sheet, or fill this one and choose the file again.`,
      }),
    );
    return blank;
  }

  // From the header row down: the spreadsheet's blank rows become blank records (counted, never merged).
  const start = texts.findIndex((r) => r.row >= chosen);
  const fromHeader = start < 0 ? [] : texts.slice(start);
  let width = 0;
  for (const r of fromHeader) {
    for (let i = r.cells.length - 1; i >= width; i--) {
      if (r.cells[i] !== '') {
        width = i + 1;
        break;
      }
    }
  }
  const records: SourceRow[] = [];
  let previous = chosen - 1;
  for (const r of fromHeader) {
    for (let gap = previous + 1; gap < r.row; gap++) records.push({ line: gap, cells: [] });
    previous = r.row;
    // Cells past `width` are empty by its definition; missing trailing cells become empty strings.
    const cells = r.cells;
    const had = cells.length;
    cells.length = width;
    for (let i = had; i < width; i++) cells[i] = '';
    records.push({ line: r.row, cells });
  }

  const above = headerChoices.filter((c) => c.row < chosen).map((c) => c.row);
  if (above.length > 0) {
    issues.push(
      issue({
        code: 'ROWS_ABOVE_HEADER',
        severity: 'info',
        line: above[0],
        lines: above,
        message: `Row${above.length > 1 ? 's' : ''} ${above.join(', ')} above the header (row ${chosen}) ${above.length > 1 ? 'are' : 'is'} not imported. Pick another header row if that is wrong.`,
      }),
    );
  }
  if (info.merged.length > 0) {
    const shown = info.merged.slice(0, 10).join(', ') + (info.merged.length > 10 ? ` and ${info.merged.length - 10} more` : '');
    issues.push(
      issue({
        code: 'MERGED_CELLS',
        severity: 'info',
        message: `Merged cells (${shown}): each keeps its value in its top-left cell; the other cells of the range are read as empty.`,
      }),
    );
  }

  const table = buildTable(records, blank.delimiter, bytes, 'none', input.parse ?? {}, issues);
  // Cells without a usable value block their row (fix it in Review or exclude it), never the file.
  const indexOfLine = new Map<number, number>();
  if (problems.length > 0) table.rows.forEach((r, i) => indexOfLine.set(r.line, i));
  for (const { row, col, problem } of problems) {
    const rowIndex = indexOfLine.get(row);
    if (rowIndex === undefined) continue;
    const column = `column ${col + 1}${table.headers[col] ? ` (${table.headers[col]})` : ''}`;
    issues.push(
      problem.kind === 'error'
        ? issue({
            code: 'CELL_ERROR',
            scope: 'row',
            line: row,
            rowIndex,
            columnIndex: col,
            message: `Row ${row}, ${column}: the cell holds the spreadsheet error ${problem.shown}. Fix the value in Review or exclude the row.`,
          })
        : issue({
            code: 'FORMULA_NO_VALUE',
            scope: 'row',
            line: row,
            rowIndex,
            columnIndex: col,
            message: `Row ${row}, ${column}: the formula =${problem.formula} has no calculated value saved in the file. Open the file in Excel or LibreOffice, save it so the result is stored, and choose it again — or fix the value in Review.`,
          }),
    );
  }
  return { ...table, encoding: blank.encoding, issues, blocked: issues.some((i) => i.severity === 'error' && i.scope === 'file'), workbook };
}
