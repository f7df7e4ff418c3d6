// Decoded text → ParsedTable with papaparse: delimiter detection with evidence, the real parse pinned to one
// delimiter, every row keeping its 1-based source line, and file/row issues (bad-inputs #2, #5, #14–#34).

import Papa from 'papaparse';
import type { DecodedText, Delimiter, DelimiterCandidate, DelimiterInfo, FileIssue, LineEnding, ParseOptions, ParsedTable, SourceRow } from './types.ts';
import { DELIMITER_CANDIDATES, LIMITS } from './types.ts';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SAMPLE_CHARS = 64 * 1024;
const SAMPLE_ROWS = 100;

export const DELIMITER_NAMES: Record<Delimiter, string> = {
  ',': 'comma (,)',
  ';': 'semicolon (;)',
  '\t': 'tab',
  '|': 'pipe (|)',
  ':': 'colon (:)',
};

export interface LineEndingCounts {
  crlf: number;
  lf: number;
  cr: number;
}

export function countLineEndings(text: string): LineEndingCounts {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === CR) crlf++;
    else lf++;
  }
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) !== LF) cr++;
  }
  return { crlf, lf, cr };
}

function lineEndingOf(c: LineEndingCounts): LineEnding {
  const kinds = (c.crlf > 0 ? 1 : 0) + (c.lf > 0 ? 1 : 0) + (c.cr > 0 ? 1 : 0);
  if (kinds === 0) return 'none';
  if (kinds > 1) return 'mixed';
  return c.crlf > 0 ? 'CRLF' : c.lf > 0 ? 'LF' : 'CR';
}

/** Turn every line break outside quotes into LF so one pinned newline parses a mixed file (bad-inputs #15). */
export function normaliseLineBreaks(text: string): string {
  const out: string[] = [];
  let inQuote = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) inQuote = !inQuote;
    else if (c === CR && !inQuote) {
      out.push(text.slice(from, i), '\n');
      if (text.charCodeAt(i + 1) === LF) i++;
      from = i + 1;
    }
  }
  out.push(text.slice(from));
  return out.join('');
}

function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) n++;
  }
  return n;
}

/** Field-count evidence for each candidate delimiter on the first lines (bad-inputs #29, #30). */
export function detectDelimiter(text: string): DelimiterCandidate[] {
  let sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  if (text.length > SAMPLE_CHARS) {
    const cut = Math.max(sample.lastIndexOf('\n'), sample.lastIndexOf('\r'));
    if (cut > 0) sample = sample.slice(0, cut);
  }
  const newline = sample.includes('\r\n') ? '\r\n' : sample.includes('\n') ? '\n' : sample.includes('\r') ? '\r' : '\n';
  const out: DelimiterCandidate[] = [];
  for (const char of DELIMITER_CANDIDATES) {
    const res = Papa.parse<string[]>(sample, { delimiter: char, newline, quoteChar: '"', skipEmptyLines: 'greedy', preview: SAMPLE_ROWS });
    const counts = res.data.map((r) => r.length);
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 1;
    let modeRows = 0;
    for (const [count, rows] of freq) {
      if (rows > modeRows || (rows === modeRows && count > mode)) {
        mode = count;
        modeRows = rows;
      }
    }
    const sampled = counts.length;
    const consistency = sampled ? modeRows / sampled : 0;
    // A delimiter that never splits a line is no evidence at all.
    const score = mode > 1 ? Math.round(consistency * 1000) / 1000 : 0;
    out.push({ char, consistentRows: modeRows, sampledRows: sampled, fieldCountMode: mode, score });
  }
  return out;
}

function rank(candidates: readonly DelimiterCandidate[]): DelimiterCandidate[] {
  return [...candidates].sort((a, b) => b.score - a.score || b.fieldCountMode - a.fieldCountMode);
}

function issue(partial: Omit<FileIssue, 'severity' | 'scope'> & Partial<Pick<FileIssue, 'severity' | 'scope'>>): FileIssue {
  return { severity: 'error', scope: 'file', ...partial };
}

const SEP_LINE = /^sep=(.)(\r\n|\n|\r|$)/i;

type RawRecord = SourceRow;

/**
 * A copy of a cell that does not share the decoded file's memory. V8 cuts a long substring as a view of its parent,
 * so one header name kept after the rows are packed (decision 146) held the whole decoded file alive: 320 MB at a
 * million rows. Prepending a character makes the copy flat; the view that `slice` returns points into that copy.
 */
function ownText(cell: string): string {
  return (' ' + cell).slice(1);
}

/** Parse decoded text. Pure; never throws on bad data — problems come back as issues. */
export function parseTable(decoded: DecodedText, opts: ParseOptions = {}): ParsedTable {
  const issues: FileIssue[] = [...decoded.issues];
  const emptyDelimiter: DelimiterInfo = { char: opts.delimiter ?? ',', detected: false, candidates: [], fromSepLine: false };
  const finish = (t: Omit<ParsedTable, 'blocked' | 'issues' | 'encoding'>): ParsedTable => ({
    ...t,
    encoding: decoded.encoding,
    issues,
    blocked: issues.some((i) => i.severity === 'error' && i.scope === 'file') || !decoded.encoding.confirmed,
  });
  const noTable = (lineEnding: LineEnding = 'none'): ParsedTable =>
    finish({
      delimiter: emptyDelimiter,
      headers: [],
      headerLine: 0,
      rows: [],
      stats: { dataRows: 0, blankLines: 0, bytes: decoded.bytes, lineEnding, columns: 0 },
    });

  if (decoded.text === null) return noTable();
  let text = decoded.text;

  // Excel's `sep=;` first line: a delimiter hint, not data (bad-inputs #28).
  let lineOffset = 0;
  let sepHint: Delimiter | null = null;
  const sep = SEP_LINE.exec(text);
  if (sep) {
    const ch = sep[1] as string;
    const known = (DELIMITER_CANDIDATES as readonly string[]).includes(ch);
    if (known) {
      sepHint = ch as Delimiter;
      text = text.slice(sep[0].length);
      lineOffset = 1;
      issues.push(
        issue({
          code: 'SEP_LINE',
          severity: 'info',
          line: 1,
          message: `Line 1 "sep=${ch}" is Excel's delimiter hint: the file is read with ${DELIMITER_NAMES[sepHint]} and that line is not imported.`,
        }),
      );
    }
  }

  const endings = countLineEndings(text);
  const lineEnding = lineEndingOf(endings);
  if (text.trim() === '') {
    issues.push(
      issue({
        code: 'NO_DATA_ROWS',
        message: 'The file holds no header and no data rows (only blank lines). Choose a CSV file with a header row and at least one data row.',
      }),
    );
    return noTable(lineEnding);
  }

  // Delimiter: user pin > sep= line > detection.
  const candidates = detectDelimiter(text);
  const ranked = rank(candidates);
  let delimiter: DelimiterInfo;
  if (opts.delimiter) delimiter = { char: opts.delimiter, detected: false, candidates, fromSepLine: false };
  else if (sepHint) delimiter = { char: sepHint, detected: false, candidates, fromSepLine: true };
  else {
    const best = ranked[0];
    if (!best || best.score === 0) {
      delimiter = { char: ',', detected: false, candidates, fromSepLine: false };
      issues.push(
        issue({
          code: 'NO_DELIMITER',
          message:
            'No delimiter (, ; tab | :) splits the lines, so the file has a single column. Confirm "single column" to continue, or pick the delimiter your file uses.',
        }),
      );
    } else {
      delimiter = { char: best.char, detected: true, candidates, fromSepLine: false };
      const runnerUp = ranked[1];
      if (runnerUp && runnerUp.fieldCountMode > 1 && runnerUp.score >= 0.5) {
        issues.push(
          issue({
            code: 'AMBIGUOUS_DELIMITER',
            severity: 'warning',
            message: `Both ${DELIMITER_NAMES[best.char]} (${best.fieldCountMode} columns on ${best.consistentRows} of ${best.sampledRows} sampled lines) and ${DELIMITER_NAMES[runnerUp.char]} (${runnerUp.fieldCountMode} columns on ${runnerUp.consistentRows} of ${runnerUp.sampledRows}) split this file. ${DELIMITER_NAMES[best.char]} was chosen: check the preview and change the delimiter if the columns look wrong.`,
          }),
        );
      }
    }
  }

  // The real parse, pinned to one delimiter and one newline (mixed endings are normalised outside quotes).
  let newline: Newline = '\n';
  if (lineEnding === 'mixed') text = normaliseLineBreaks(text);
  else if (lineEnding === 'CRLF') newline = '\r\n';
  else if (lineEnding === 'CR') newline = '\r';

  const comment = opts.commentChar;
  const firstLine = 1 + lineOffset;
  const records: RawRecord[] | null = comment
    ? parseWithComments(text, delimiter.char, newline, comment, firstLine, issues)
    : parsePlain(text, delimiter.char, newline, endings, firstLine, issues);
  if (records === null)
    return finish({ delimiter, headers: [], headerLine: 0, rows: [], stats: { dataRows: 0, blankLines: 0, bytes: decoded.bytes, lineEnding, columns: 0 } });
  return finish(buildTable(records, delimiter, decoded.bytes, lineEnding, opts, issues));
}

type Newline = '\n' | '\r\n' | '\r';

function isBlank(cells: readonly string[]): boolean {
  for (const c of cells) {
    // Most cells start with a visible ASCII character: decide without trim().
    const ch = c.charCodeAt(0);
    if (ch > 32 && ch < 127) return false;
    if (c.trim() !== '') return false;
  }
  return true;
}

function unclosed(line: number): FileIssue {
  return issue({
    code: 'UNCLOSED_QUOTE',
    line,
    message: `The quote opened on line ${line} is never closed, so the rest of the file would be read as one value. Close the quote (or double a quote inside the value as "") and load the file again.`,
  });
}

function tooWide(line: number, fields: number): FileIssue {
  return issue({
    code: 'ROW_TOO_WIDE',
    line,
    message: `Line ${line} has ${fields.toLocaleString('en')} fields; this importer reads at most ${LIMITS.maxFieldsPerRow.toLocaleString('en')} (and Zoho accepts ${LIMITS.maxColumnsZoho} columns). Check the delimiter, or split the file.`,
  });
}

function tooLong(line: number, index: number, chars: number): FileIssue {
  return issue({
    code: 'FIELD_TOO_LONG',
    line,
    columnIndex: index,
    message: `Field ${index + 1} on line ${line} holds ${chars.toLocaleString('en')} characters, over this importer's cap of ${LIMITS.maxFieldChars.toLocaleString('en')}. A quote may be missing; fix the line and load the file again.`,
  });
}

function breaksInCells(cells: readonly string[], upTo = cells.length): number {
  let n = 0;
  for (let k = 0; k < upTo; k++) {
    const c = cells[k] as string;
    if (c.indexOf('\n') !== -1 || c.indexOf('\r') !== -1) n += countBreaks(c, 0, c.length);
  }
  return n;
}

/**
 * The usual path: one bulk papaparse call, then start lines by arithmetic. Quoted values keep their line breaks
 * byte-exact, so a record spans 1 + (breaks inside its cells) physical lines; when the file's break count equals
 * its record count no record spans lines and no cell needs looking at.
 */
function parsePlain(text: string, delim: Delimiter, newline: Newline, endings: LineEndingCounts, firstLine: number, issues: FileIssue[]): RawRecord[] | null {
  const res = Papa.parse<string[]>(text, { delimiter: delim, newline, quoteChar: '"', escapeChar: '"', skipEmptyLines: false });
  const data = res.data;
  const trailing = endsWithBreak(text);
  const lastRow = data[data.length - 1];
  if (trailing && lastRow && lastRow.length === 1 && lastRow[0] === '') data.pop(); // trailing newline: no phantom row
  const missing = res.errors.find((e) => e.code === 'MissingQuotes');
  const breaks = endings.crlf + endings.lf + endings.cr;
  const simple = !missing && breaks === data.length - (trailing ? 0 : 1);
  const checkLong = text.length > LIMITS.maxFieldChars;
  const records = new Array<RawRecord>(data.length);
  let line = firstLine;
  for (let i = 0; i < data.length; i++) {
    const cells = data[i] as string[];
    if (missing && missing.row === i) {
      // Papa swallowed the rest of the file into this record's last field: the quote opened there.
      issues.push(unclosed(line + breaksInCells(cells, cells.length - 1)));
      return null;
    }
    if (cells.length > LIMITS.maxFieldsPerRow) {
      issues.push(tooWide(line, cells.length));
      return null;
    }
    if (checkLong) {
      const long = cells.findIndex((c) => c.length > LIMITS.maxFieldChars);
      if (long !== -1) {
        issues.push(tooLong(line, long, (cells[long] as string).length));
        return null;
      }
    }
    records[i] = { line, cells };
    line += simple ? 1 : 1 + breaksInCells(cells);
  }
  if (missing) {
    issues.push(unclosed(line));
    return null;
  }
  if (text.indexOf('"') !== -1) inspectAllQuotes(text, delim, endings.cr > 0, firstLine, issues);
  return records;
}

/** Opt-in `#` comments (bad-inputs #34): step mode, so comment lines can be stepped over for the line count. */
function parseWithComments(text: string, delim: Delimiter, newline: Newline, comment: string, firstLine: number, issues: FileIssue[]): RawRecord[] | null {
  const records: RawRecord[] = [];
  const n = text.length;
  let prev = 0;
  let line = firstLine;
  let fatal = false;
  Papa.parse<string[]>(text, {
    delimiter: delim,
    newline,
    quoteChar: '"',
    escapeChar: '"',
    skipEmptyLines: false,
    comments: comment,
    step: (res, parser) => {
      if (fatal) return;
      const cells = res.data;
      const end = res.meta.cursor;
      let start = prev;
      while (start < end && text.startsWith(comment, start)) {
        const nl = text.indexOf(newline, start);
        if (nl === -1 || nl >= end) break;
        start = nl + newline.length;
        line++;
      }
      prev = end;
      if (start >= n && cells.length === 1 && cells[0] === '') return;
      const startLine = line;
      line += end < n || endsWithBreak(text) ? 1 + breaksInCells(cells) : 0;
      if (res.errors.some((e) => e.code === 'MissingQuotes')) {
        issues.push(unclosed(startLine + breaksInCells(cells, cells.length - 1)));
        fatal = true;
        parser.abort();
        return;
      }
      if (cells.length > LIMITS.maxFieldsPerRow) {
        issues.push(tooWide(startLine, cells.length));
        fatal = true;
        parser.abort();
        return;
      }
      const long = end - start > LIMITS.maxFieldChars ? cells.findIndex((c) => c.length > LIMITS.maxFieldChars) : -1;
      if (long !== -1) {
        issues.push(tooLong(startLine, long, (cells[long] as string).length));
        fatal = true;
        parser.abort();
        return;
      }
      records.push({ line: startLine, cells });
    },
  });
  if (fatal) return null;
  if (text.indexOf('"') !== -1) inspectAllQuotes(text, delim, text.indexOf('\r') !== -1, firstLine, issues);
  return records;
}

function endsWithBreak(text: string): boolean {
  const c = text.charCodeAt(text.length - 1);
  return c === LF || c === CR;
}

/**
 * Quote checks over the raw text, jumping from quote to quote (papaparse's rules): a quote at a field start opens
 * a quoted value (`""` escapes; a closing quote must be followed by spaces and a delimiter/newline, else papaparse
 * keeps searching — flagged); spaces then a quote at a field start → SPACE_BEFORE_QUOTE; any other quote is a
 * literal → STRAY_QUOTE. Line and column positions are physical (CRLF, LF and lone CR each end a line).
 */
function inspectAllQuotes(text: string, delim: string, hasCR: boolean, firstLine: number, issues: FileIssue[]): void {
  const n = text.length;
  let line = firstLine;
  let lineStart = 0;
  let scanned = 0;
  let nextLF = -1;
  let nextCR = hasCR ? -1 : Infinity;
  const advance = (to: number): void => {
    for (;;) {
      if (nextLF !== Infinity && nextLF < scanned) {
        const f = text.indexOf('\n', scanned);
        nextLF = f === -1 ? Infinity : f;
      }
      if (nextCR !== Infinity && nextCR < scanned) {
        const f = text.indexOf('\r', scanned);
        nextCR = f === -1 ? Infinity : f;
      }
      const nb = Math.min(nextLF, nextCR);
      if (nb >= to) break;
      scanned = nb + 1;
      if (nb === nextCR && text.charCodeAt(nb + 1) === LF) continue; // CRLF counts once, at its LF
      line++;
      lineStart = nb + 1;
    }
    scanned = Math.max(scanned, to);
  };
  const isBoundary = (j: number): boolean => {
    if (j < 0) return true;
    const c = text.charCodeAt(j);
    return c === LF || c === CR || text.startsWith(delim, j - delim.length + 1);
  };
  const afterClose = (k: number): boolean => {
    let j = k + 1;
    while (j < n && text.charCodeAt(j) === 32) j++;
    if (j >= n) return true;
    const c = text.charCodeAt(j);
    return c === LF || c === CR || text.startsWith(delim, j);
  };
  let q = text.indexOf('"');
  while (q !== -1) {
    advance(q);
    let j = q - 1;
    while (j >= lineStart && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j--;
    if (j === q - 1 && isBoundary(j)) {
      // Opening quote: find the closing one.
      let k = text.indexOf('"', q + 1);
      let flagged = false;
      for (;;) {
        if (k === -1) return; // unclosed: reported by the parse
        if (text.charCodeAt(k + 1) === QUOTE) {
          k = text.indexOf('"', k + 2);
          continue;
        }
        if (afterClose(k)) break;
        if (!flagged) {
          advance(k);
          const col = k - lineStart + 1;
          issues.push(
            issue({
              code: 'STRAY_QUOTE',
              severity: 'warning',
              scope: 'row',
              line,
              column: col,
              message: `Line ${line}, column ${col}: a quote inside a quoted value is not doubled (""), so the value runs on to the next quote that ends it. Double the quote or fix the value.`,
            }),
          );
          flagged = true;
        }
        k = text.indexOf('"', k + 1);
      }
      q = text.indexOf('"', k + 1);
      continue;
    }
    const col = q - lineStart + 1;
    if (j < q - 1 && isBoundary(j)) {
      issues.push(
        issue({
          code: 'SPACE_BEFORE_QUOTE',
          scope: 'row',
          line,
          column: col,
          message: `Line ${line}, column ${col}: a quote follows spaces after the delimiter, so the value is not read as quoted (its delimiters and quotes are kept literally). Remove the spaces before the quote, or exclude the row.`,
        }),
      );
    } else {
      issues.push(
        issue({
          code: 'STRAY_QUOTE',
          severity: 'warning',
          scope: 'row',
          line,
          column: col,
          message: `Line ${line}, column ${col}: a quote inside an unquoted value was kept as a literal " character. If that is not intended, fix the value.`,
        }),
      );
    }
    q = text.indexOf('"', q + 1);
  }
}

/** Header, blank-line, header-name and ragged-row rules over records already split into cells (CSV and spreadsheet rows alike). */
export function buildTable(
  records: readonly RawRecord[],
  delimiter: DelimiterInfo,
  bytes: number,
  lineEnding: LineEnding,
  opts: ParseOptions,
  issues: FileIssue[],
): Omit<ParsedTable, 'blocked' | 'issues' | 'encoding'> {
  let blankLines = 0;
  let headerRec: RawRecord | undefined;
  const data: SourceRow[] = [];
  const blankAt: number[] = [];
  for (const r of records) {
    if (isBlank(r.cells)) {
      blankLines++;
      blankAt.push(r.line);
      continue;
    }
    if (!headerRec) {
      headerRec = r;
      continue;
    }
    data.push(r);
  }
  if (blankLines > 0) {
    const shown = blankAt.slice(0, 10).join(', ') + (blankAt.length > 10 ? ` and ${blankAt.length - 10} more` : '');
    issues.push(
      issue({
        code: 'BLANK_LINES',
        severity: 'info',
        lines: blankAt.slice(0, 200),
        line: blankAt[0],
        message: `${blankLines} empty line${blankLines > 1 ? 's' : ''} ignored (line${blankLines > 1 ? 's' : ''} ${shown}): blank, whitespace-only or delimiter-only.`,
      }),
    );
  }
  if (!headerRec) {
    issues.push(
      issue({ code: 'NO_DATA_ROWS', message: 'The file holds no header and no data rows. Choose a CSV file with a header row and at least one data row.' }),
    );
    return { delimiter, headers: [], headerLine: 0, rows: [], stats: { dataRows: 0, blankLines, bytes, lineEnding, columns: 0 } };
  }
  let headers = headerRec.cells.map(ownText);
  let rows = data;

  // Trailing delimiter on every line: an unnamed last column, dropped only if empty in every row (#23).
  const last = headers.length - 1;
  if (last > 0 && (headers[last] ?? '').trim() === '' && !opts.headerNames?.some((h) => h.index === last)) {
    const width = headers.length;
    const allEmpty = rows.every((r) => r.cells.length < width || (r.cells.length === width && (r.cells[last] ?? '').trim() === ''));
    if (allEmpty) {
      headers = headers.slice(0, last);
      rows = rows.map((r) => (r.cells.length === width ? { line: r.line, cells: r.cells.slice(0, last) } : r));
      issues.push(
        issue({
          code: 'TRAILING_EMPTY_COLUMN',
          severity: 'info',
          columnIndex: last,
          message: `Every line ends with a delimiter, giving an unnamed column ${last + 1} that is empty in every row; it was dropped.`,
        }),
      );
    }
  }

  for (const h of opts.headerNames ?? []) {
    if (h.index >= 0 && h.index < headers.length) headers[h.index] = h.name;
  }
  const ignored = new Set(opts.ignoredColumns ?? []);
  const headerLine = headerRec.line;

  const seen = new Map<string, number>();
  headers.forEach((h, idx) => {
    if (ignored.has(idx)) return;
    const key = h.trim().toLowerCase();
    if (key === '') {
      issues.push(
        issue({
          code: 'EMPTY_HEADER',
          columnIndex: idx,
          line: headerLine,
          message: `Column ${idx + 1} has no header name (line ${headerLine}). Name the column or ignore it.`,
        }),
      );
      return;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push(
        issue({
          code: 'DUPLICATE_HEADER',
          columnIndex: idx,
          line: headerLine,
          message: `Columns ${first + 1} and ${idx + 1} are both named "${h.trim()}". Rename or ignore one of them so no values are lost.`,
        }),
      );
    } else seen.set(key, idx);
  });

  if (headers.length > LIMITS.maxColumnsZoho) {
    issues.push(
      issue({
        code: 'TOO_MANY_COLUMNS',
        scope: 'mapping',
        message: `The file has ${headers.length} columns; Zoho's Bulk Write accepts at most ${LIMITS.maxColumnsZoho} columns per file. Leave columns unmapped so at most ${LIMITS.maxColumnsZoho} are sent.`,
      }),
    );
  }
  if (rows.length === 0) {
    issues.push(
      issue({
        code: 'NO_DATA_ROWS',
        line: headerLine,
        message: `The file has a header row (line ${headerLine}) but no data rows. Add at least one record below the header.`,
      }),
    );
  }

  const width = headers.length;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as SourceRow;
    if (r.cells.length === width) continue;
    const diff = r.cells.length - width;
    const detail =
      diff > 0
        ? `${diff} extra cell${diff > 1 ? 's' : ''} (${r.cells
            .slice(width)
            .map((c) => JSON.stringify(c.length > 40 ? `${c.slice(0, 40)}…` : c))
            .slice(0, 3)
            .join(', ')}) kept`
        : `${-diff} cell${diff < -1 ? 's' : ''} missing`;
    issues.push(
      issue({
        code: 'RAGGED_ROW',
        scope: 'row',
        line: r.line,
        rowIndex: i,
        message: `Line ${r.line} has ${r.cells.length} field${r.cells.length === 1 ? '' : 's'} but the header has ${width}: ${detail}. Fix the line or exclude the row.`,
      }),
    );
  }

  return { delimiter, headers, headerLine, rows, stats: { dataRows: rows.length, blankLines, bytes, lineEnding, columns: width } };
}
