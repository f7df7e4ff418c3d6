// CSV in and out for the emulator: decode the uploaded bytes (strict UTF-8, BOM dropped), parse with the
// delimiters Zoho detects (`, ; : |`), and serialise result files (RFC 4180 quoting, CRLF).
import Papa from 'papaparse';
import { ZohoError } from './errors.ts';

export interface ParsedCsv {
  header: string[];
  rows: string[][];
}

export function decodeUtf8(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ZohoError(400, 'INVALID_FILE_FORMAT', 'The CSV is not valid UTF-8; save it as UTF-8 and upload again.', {});
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The longest header cell accepted at upload (decision 066): an API name, or `Lookup.find_by`, is far shorter.
 *  Without it a 24 MB header name was stored, echoed into errors and JSON-escaped six-fold (issue 12 D2). */
export const HEADER_CELL_MAX = 255;

/** Refuse a header cell longer than HEADER_CELL_MAX, naming its 1-based column; the cell itself is not echoed. */
export function checkHeaderCells(header: readonly string[]): void {
  const i = header.findIndex((h) => h.length > HEADER_CELL_MAX);
  if (i < 0) return;
  throw new ZohoError(
    400,
    'INVALID_FILE_FORMAT',
    `The header of column ${i + 1} is ${header[i]!.length} characters long; a header holds a field API name (at most ${HEADER_CELL_MAX} characters). Check that the first row is the header row and that the file is a CSV.`,
    { column: i + 1, limit: HEADER_CELL_MAX },
  );
}

export function parseCsv(text: string): ParsedCsv {
  const res = Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: true,
    delimitersToGuess: [',', ';', ':', '|'],
  });
  const fatal = res.errors.find((e) => e.type === 'Quotes');
  if (fatal) {
    const line = typeof fatal.row === 'number' ? fatal.row + 1 : 0;
    throw new ZohoError(400, 'INVALID_FILE_FORMAT', `The CSV has an unclosed quote near record ${line}; fix the quoting and upload again.`, {});
  }
  const [header, ...rows] = res.data;
  if (!header || header.length === 0 || header.every((h) => h.trim() === '')) {
    throw new ZohoError(400, 'INVALID_FILE_FORMAT', 'The CSV is empty: the first row must hold the column headers.', {});
  }
  return { header, rows };
}

const NEEDS_QUOTES = /[",\r\n]/;
export function csvCell(v: string): string {
  return NEEDS_QUOTES.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}
export const csvLine = (cells: readonly string[]): string => cells.map(csvCell).join(',') + '\r\n';
