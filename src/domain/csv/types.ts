// Plain-data shapes produced by decode → parse: the decoded text, the parsed table with source line numbers,
// and file-level issues. Shared by the worker, the wizard steps and the jobs layer.

import type { WorkbookInfo } from '../sheets/types.ts';

export type Severity = 'error' | 'warning' | 'info';

/**
 * Who can lift an `error`:
 * - 'file': blocks the whole import until the user acts (picks an encoding, names a header, fixes the file);
 * - 'row': only that row is blocked — the user fixes or excludes the row (ragged rows);
 * - 'mapping': resolved by the column mapping (e.g. > 200 columns: unmap until ≤ 200 are sent).
 */
export type IssueScope = 'file' | 'row' | 'mapping';

export const FILE_ISSUE_CODES = [
  'EMPTY_FILE',
  'NOT_CSV',
  'ENCODING_UNCONFIRMED',
  'INVALID_UTF8',
  'INVALID_BYTES',
  'REPLACED_INVALID_BYTES',
  'NUL_BYTES',
  'SEP_LINE',
  'NO_DELIMITER',
  'AMBIGUOUS_DELIMITER',
  'NO_DATA_ROWS',
  'TOO_MANY_COLUMNS',
  'EMPTY_HEADER',
  'DUPLICATE_HEADER',
  'UNCLOSED_QUOTE',
  'STRAY_QUOTE',
  'SPACE_BEFORE_QUOTE',
  'RAGGED_ROW',
  'BLANK_LINES',
  'TRAILING_EMPTY_COLUMN',
  'FIELD_TOO_LONG',
  'ROW_TOO_WIDE',
  'FILE_TOO_LARGE',
  'FORMULA_LEADER',
  // Workbooks (.xlsx, .xls, .ods — issue 11):
  'WORKBOOK_UNREADABLE',
  'WORKBOOK_ENCRYPTED',
  'WORKBOOK_EMPTY',
  'SHEET_EMPTY',
  'ROWS_ABOVE_HEADER',
  'MERGED_CELLS',
  'CELL_ERROR',
  'FORMULA_NO_VALUE',
] as const;
export type FileIssueCode = (typeof FILE_ISSUE_CODES)[number];

export interface FileIssue {
  code: FileIssueCode;
  severity: Severity;
  scope: IssueScope;
  /** Plain-language message naming the line/column/rule and what to do. */
  message: string;
  /** 1-based source line (physical line in the file, counting the `sep=` line if any). */
  line?: number;
  /** 1-based character column within that line (for line:column positions). */
  column?: number;
  /** 0-based data row index into ParsedTable.rows (row-scoped issues). */
  rowIndex?: number;
  /** 0-based column index into ParsedTable.headers (header/column issues). */
  columnIndex?: number;
  /** All affected 1-based lines when one issue summarises several (e.g. invalid bytes, NUL bytes). */
  lines?: number[];
}

/** Magic-byte verdict for files that are not text. */
export type NonCsvKind = 'xlsx-or-zip' | 'xls' | 'pdf' | 'png' | 'jpeg' | 'gif';

export interface ChangedLine {
  line: number;
  /** The line as strict UTF-8 would show it, invalid bytes replaced by U+FFFD (for the preview only). */
  before: string;
  /** The same line decoded with the proposed encoding. */
  after: string;
}

export interface EncodingProposal {
  /** WHATWG encoding label, e.g. 'windows-1252', 'shift_jis', 'utf-16le'. */
  name: string;
  /** Lines whose characters change under the proposal (capped at 50 for the preview). */
  changedLines: ChangedLine[];
  totalChangedLines: number;
}

export type EncodingSource = 'bom' | 'utf8' | 'utf16-heuristic' | 'user' | 'fallback';

export interface EncodingInfo {
  /** The encoding the text was decoded with (or is proposed to be decoded with while unconfirmed). */
  name: string;
  source: EncodingSource;
  bom: boolean;
  /** false while the encoding is only a proposal: the import is blocked until the user confirms it. */
  confirmed: boolean;
  proposal?: EncodingProposal;
  /** Other encodings under which the bytes decode without error, for the user's picker. */
  alternatives?: string[];
  /** The user opted in to replacing invalid UTF-8 bytes with U+FFFD. */
  replacedInvalid?: boolean;
}

export interface DecodeOptions {
  /** User-chosen/confirmed encoding label; skips detection (BOM still removed). */
  encoding?: string;
  /** Explicit opt-in: replace invalid UTF-8 bytes with U+FFFD instead of blocking. */
  replaceInvalid?: boolean;
  /** Decode in chunks of this many bytes (streaming TextDecoder); output is identical for every size. */
  chunkSize?: number;
}

export interface DecodedText {
  /** Decoded text without BOM, or null when nothing can be decoded (empty file, not a CSV). */
  text: string | null;
  encoding: EncodingInfo;
  issues: FileIssue[];
  bytes: number;
  nonCsv?: NonCsvKind;
}

export type Delimiter = ',' | ';' | ':' | '|' | '\t';
export const DELIMITER_CANDIDATES: readonly Delimiter[] = [',', ';', '\t', '|', ':'];

export interface DelimiterCandidate {
  char: Delimiter;
  /** Sampled records whose field count equals the mode. */
  consistentRows: number;
  sampledRows: number;
  fieldCountMode: number;
  score: number;
}

export interface DelimiterInfo {
  char: Delimiter;
  /** true when chosen by detection, false when the user (or a `sep=` line) pinned it. */
  detected: boolean;
  candidates: DelimiterCandidate[];
  fromSepLine: boolean;
}

export type LineEnding = 'CRLF' | 'LF' | 'CR' | 'mixed' | 'none';

export interface SourceRow {
  /** 1-based physical line where the record starts (quoted newlines make records span lines). */
  line: number;
  /** Cells as parsed; never padded, never truncated: a ragged row keeps its own length. */
  cells: string[];
}

export interface TableStats {
  dataRows: number;
  /** Blank, whitespace-only and delimiter-only lines skipped (counted, never merged into records). */
  blankLines: number;
  bytes: number;
  lineEnding: LineEnding;
  columns: number;
}

export interface ParseOptions {
  /** Pin the delimiter (user override or confirmation of a single-column file). */
  delimiter?: Delimiter;
  /** Header renames, by 0-based column index (resolves empty/duplicate header blocks). */
  headerNames?: ReadonlyArray<{ index: number; name: string }>;
  /** Columns the user chose to ignore (resolves empty/duplicate header blocks for them). */
  ignoredColumns?: readonly number[];
  /** Opt-in: lines starting with `#` are comments (default: data). */
  commentChar?: '#';
}

export interface ParsedTable {
  encoding: EncodingInfo;
  delimiter: DelimiterInfo;
  /** Header cells exactly as in the file (after BOM removal and any user renames). */
  headers: string[];
  /** 1-based line of the header record. */
  headerLine: number;
  rows: SourceRow[];
  issues: FileIssue[];
  stats: TableStats;
  /** true when any issue is an error with scope 'file' (nothing may be sent). */
  blocked: boolean;
  /** Set when the file is a workbook: its sheets, the sheet and header row read (line numbers are its row numbers). */
  workbook?: WorkbookInfo;
}

/** Limits (contract §11) and parser caps (bad-inputs #32, #33). */
export const LIMITS = {
  maxColumnsZoho: 200,
  maxRowsPerJob: 25_000,
  maxZipBytes: 25 * 1024 * 1024,
  /** Parser cap: a record with more fields is refused (fails fast on 100k-column files). */
  maxFieldsPerRow: 5_000,
  /** Parser cap on one field's characters (a 1 MB field is fine; 16 M characters is not a CSV cell). */
  maxFieldChars: 16 * 1024 * 1024,
} as const;
