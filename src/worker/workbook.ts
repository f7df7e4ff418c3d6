// Workbooks (.xlsx, .xls, .ods) in the worker: SheetJS reads the bytes (decision 110), and its cell objects are
// reduced here to plain SheetCells; everything after that — cell text, header row, the table — is domain code.
// The parser's objects never leave this module.

import { read, SSF, utils, type CellObject, type WorkBook, type WorkSheet } from '@e965/xlsx';
import type { FileIssue, ParseOptions, ParsedTable } from '../domain/csv/types.ts';
import { sheetTable } from '../domain/sheets/sheet-table.ts';
import type { SheetCell, SheetChoice, SheetInfo, SheetRow, WorkbookFormat } from '../domain/sheets/types.ts';

/** Workbooks above this size are refused before parsing: the whole workbook is unpacked in memory (bad-inputs W6). */
export const MAX_WORKBOOK_BYTES = 50 * 1024 * 1024;

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/** An opened workbook: every sheet's name (for the picker, and for reading several sheets in one run) and its rows. */
export interface OpenWorkbook {
  format: WorkbookFormat;
  sheets: SheetInfo[];
  date1904: boolean;
  /** The sheet's rows that hold at least one cell, ascending, with their 1-based row numbers. */
  rowsOf(sheet: string): SheetRow[];
  /** The sheet's merged ranges as A1 references. */
  mergedOf(sheet: string): string[];
}

export type WorkbookRead = { ok: true; book: OpenWorkbook } | { ok: false; issue: FileIssue };

// SheetJS types its number-format library as any; this is the one function used from it.
const ssf = SSF as { is_date: (format: string) => boolean };

const fileIssue = (code: FileIssue['code'], message: string): FileIssue => ({ code, severity: 'error', scope: 'file', message });

function formatOf(book: WorkBook, bytes: Uint8Array, fileName: string): WorkbookFormat {
  if (book.bookType === 'ods' || /\.ods$/i.test(fileName)) return 'ods';
  if (startsWith(bytes, CFB_MAGIC) || /\.xls$/i.test(fileName)) return 'xls';
  return 'xlsx';
}

function toSheetCell(c: CellObject | undefined): SheetCell | undefined {
  if (c === undefined) return undefined;
  const v = c.v;
  // A formula without a stored result: SheetJS gives no value (type e or z); the value is unknown, not empty.
  if (v === undefined || v === null) return c.f !== undefined && c.f !== '' ? { kind: 'uncalculated', formula: c.f } : undefined;
  switch (c.t) {
    case 's':
      return { kind: 'text', value: String(v) };
    case 'b':
      return { kind: 'boolean', value: v === true };
    case 'e':
      return { kind: 'error', text: c.w ?? utils.format_cell(c) };
    case 'n': {
      const format = typeof c.z === 'string' ? c.z : undefined;
      const isDate = format !== undefined && format !== 'General' && ssf.is_date(format);
      return { kind: 'number', value: v as number, isDate, ...(c.w !== undefined ? { formatted: c.w } : {}), ...(format !== undefined ? { format } : {}) };
    }
    default:
      // Dates as Date objects only come with cellDates, which is off; anything else is kept as the text it shows.
      return { kind: 'text', value: c.w ?? String(v) };
  }
}

function denseRows(ws: WorkSheet): Array<Array<CellObject | undefined> | undefined> {
  return (ws['!data'] as Array<Array<CellObject | undefined> | undefined> | undefined) ?? [];
}

function countNonEmptyRows(ws: WorkSheet): number {
  let n = 0;
  for (const row of denseRows(ws)) {
    if (!row) continue;
    if (row.some((c) => c !== undefined && (c.v !== undefined || c.f !== undefined) && !(c.t === 's' && String(c.v).trim() === ''))) n++;
  }
  return n;
}

/** Reads the workbook bytes. Never throws: a damaged, encrypted, empty or too large workbook gives a file issue naming the file. */
export function openWorkbook(bytes: Uint8Array, fileName: string): WorkbookRead {
  if (bytes.length > MAX_WORKBOOK_BYTES) {
    const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
    return {
      ok: false,
      issue: fileIssue(
        'FILE_TOO_LARGE',
        `${fileName} is ${mb(bytes.length)}; workbooks up to ${mb(MAX_WORKBOOK_BYTES)} are read in the browser. Save the sheet as CSV UTF-8 (no size limit here) or split the workbook, then choose that file.`,
      ),
    };
  }
  let book: WorkBook;
  try {
    book = read(bytes, { type: 'array', dense: true, cellNF: true, cellText: true, cellDates: false, cellFormula: true, cellStyles: false });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (/password|encrypt/i.test(why) && !/unsupported zip/i.test(why))
      return {
        ok: false,
        issue: fileIssue(
          'WORKBOOK_ENCRYPTED',
          `${fileName} is password-protected, so it cannot be read here. Open it in Excel or LibreOffice, remove the password (File ▸ Info ▸ Protect Workbook, or save without a password), save, and choose it again — or save the sheet as CSV UTF-8.`,
        ),
      };
    return {
      ok: false,
      issue: fileIssue(
        'WORKBOOK_UNREADABLE',
        `${fileName} looks like a spreadsheet (Excel workbook or ZIP) but cannot be read (${why}): it is damaged, not a workbook, or protected. Open it in Excel or LibreOffice and save it again as .xlsx — or save it as CSV (File ▸ Save As ▸ CSV UTF-8) — then choose that file.`,
      ),
    };
  }
  const sheets: SheetInfo[] = book.SheetNames.map((name) => {
    const ws = book.Sheets[name];
    return { name, nonEmptyRows: ws ? countNonEmptyRows(ws) : 0 };
  });
  if (sheets.length === 0)
    return {
      ok: false,
      issue: fileIssue('WORKBOOK_EMPTY', `${fileName} has no sheets. Choose a workbook with a sheet that holds a header row and at least one data row.`),
    };
  if (sheets.every((s) => s.nonEmptyRows === 0))
    return {
      ok: false,
      issue: fileIssue(
        'WORKBOOK_EMPTY',
        `Every sheet of ${fileName} is empty (${sheets.map((s) => `"${s.name}"`).join(', ')}). Choose a workbook with a header row and at least one data row.`,
      ),
    };
  const date1904 = book.Workbook?.WBProps?.date1904 === true;
  return {
    ok: true,
    book: {
      format: formatOf(book, bytes, fileName),
      sheets,
      date1904,
      rowsOf(name) {
        const ws = book.Sheets[name];
        if (!ws) return [];
        const out: SheetRow[] = [];
        denseRows(ws).forEach((row, r) => {
          if (!row || row.length === 0) return;
          out.push({ row: r + 1, cells: Array.from(row, toSheetCell) });
        });
        return out;
      },
      mergedOf(name) {
        return (book.Sheets[name]?.['!merges'] ?? []).map((m) => utils.encode_range(m));
      },
    },
  };
}

/** The table of one sheet: the chosen one, else the first that is not empty. */
export function workbookTable(book: OpenWorkbook, fileName: string, bytes: number, choice: SheetChoice = {}, parse?: ParseOptions): ParsedTable {
  const sheet = book.sheets.find((s) => s.name === choice.sheet) ?? book.sheets.find((s) => s.nonEmptyRows > 0);
  // openWorkbook refuses a workbook whose sheets are all empty, so an open one always has a sheet to show.
  if (!sheet) throw new Error(`${fileName} has no sheet with rows.`);
  return sheetTable({
    rows: book.rowsOf(sheet.name),
    date1904: book.date1904,
    bytes,
    info: { format: book.format, sheets: book.sheets, sheet: sheet.name, date1904: book.date1904, merged: book.mergedOf(sheet.name) },
    ...(choice.headerRow !== undefined ? { headerRow: choice.headerRow } : {}),
    ...(parse ? { parse } : {}),
    fileName,
  });
}

/** A table that is only its file issue (the workbook could not be read): blocked, no rows. */
export function failedWorkbookTable(issue: FileIssue, bytes: number): ParsedTable {
  return {
    encoding: { name: 'utf-8', source: 'utf8', bom: false, confirmed: true },
    delimiter: { char: ',', detected: false, candidates: [], fromSepLine: false },
    headers: [],
    headerLine: 0,
    rows: [],
    issues: [issue],
    stats: { dataRows: 0, blankLines: 0, bytes, lineEnding: 'none', columns: 0 },
    blocked: true,
  };
}
