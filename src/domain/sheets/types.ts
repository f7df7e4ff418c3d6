// Plain-data shapes of a spreadsheet as the worker reads it (the parser's own objects never leave the worker):
// which sheets a workbook has, and one sheet as a grid of cells already reduced to what the cell→text rules need.

export type WorkbookFormat = 'xlsx' | 'xls' | 'ods';

/** One sheet of a workbook, for the sheet picker (every sheet is listed, empty ones too). */
export interface SheetInfo {
  name: string;
  /** Rows that hold at least one non-empty cell. 0: the sheet is empty. */
  nonEmptyRows: number;
}

/** One cell as the parser gave it, before conversion to the text a CSV cell would hold. */
export type SheetCell =
  | { kind: 'text'; value: string }
  | {
      kind: 'number';
      value: number;
      /** The parser's formatted text (what the cell shows), when it has one. */ formatted?: string;
      /** The cell's number format. */ format?: string;
      /** The format shows a date or time. */ isDate: boolean;
    }
  | { kind: 'boolean'; value: boolean }
  /** An Excel error value (#N/A, #DIV/0!…), as Excel shows it. */
  | { kind: 'error'; text: string }
  /** A formula whose result was never calculated and stored (no cached value). */
  | { kind: 'uncalculated'; formula: string };

/** One non-blank row of a sheet: its 1-based spreadsheet row number and its cells (undefined = empty cell). */
export interface SheetRow {
  row: number;
  cells: ReadonlyArray<SheetCell | undefined>;
}

/** What the upload step shows about a workbook: its sheets, the one read, and the header row used. */
export interface WorkbookInfo {
  format: WorkbookFormat;
  sheets: SheetInfo[];
  /** The sheet the rows come from. */
  sheet: string;
  /** 1-based spreadsheet row used as the header (0 when the sheet is empty). */
  headerRow: number;
  /** The header row chosen automatically for this sheet (the admin may pick another). */
  suggestedHeaderRow: number;
  /** The first non-blank rows of the sheet (up to 20), for the header-row picker: row number and a short preview. */
  headerChoices: Array<{ row: number; preview: string }>;
  /** The workbook counts dates from 1904 (older Mac Excel) instead of 1900. */
  date1904: boolean;
  /** Merged ranges of the sheet, as A1 references (their value is in the top-left cell; the other cells are empty). */
  merged: string[];
}

/** The admin's choice for a workbook: which sheet, and which row is the header (default: the suggestion). */
export interface SheetChoice {
  sheet?: string;
  headerRow?: number;
}
