// Decoded text → ParsedTable with papaparse: delimiter detection with evidence, the real parse pinned to one
// delimiter, every row keeping its 1-based source line, and file/row issues (bad-inputs #2, #5, #14–#34).

import Papa from 'papaparse';
import type {
  DecodedText, Delimiter, DelimiterCandidate, DelimiterInfo, FileIssue, LineEnding, ParseOptions, ParsedTable, SourceRow,
} from './types.ts';
import { DELIMITER_CANDIDATES, LIMITS } from './types.ts';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SAMPLE_CHARS = 64 * 1024;
const SAMPLE_ROWS = 100;

export const DELIMITER_NAMES: Record<Delimiter, string> = {
  ',': 'comma (,)', ';': 'semicolon (;)', '\t': 'tab', '|': 'pipe (|)', ':': 'colon (:)',
};

export interface LineEndingCounts { crlf: number; lf: number; cr: number }

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
      if (rows > modeRows || (rows === modeRows && count > mode)) { mode = count; modeRows = rows; }
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

interface RawRecord { line: number; cells: string[]; blank: boolean }

/** Parse decoded text. Pure; never throws on bad data — problems come back as issues. */
export function parseTable(decoded: DecodedText, opts: ParseOptions = {}): ParsedTable {
  const issues: FileIssue[] = [...decoded.issues];
  const emptyDelimiter: DelimiterInfo = { char: opts.delimiter ?? ',', detected: false, candidates: [], fromSepLine: false };
  const finish = (t: Omit<ParsedTable, 'blocked' | 'issues' | 'encoding'>): ParsedTable => ({
    ...t, encoding: decoded.encoding, issues,
    blocked: issues.some((i) => i.severity === 'error' && i.scope === 'file') || !decoded.encoding.confirmed,
  });
  const noTable = (lineEnding: LineEnding = 'none'): ParsedTable =>
    finish({ delimiter: emptyDelimiter, headers: [], headerLine: 0, rows: [], stats: { dataRows: 0, blankLines: 0, bytes: decoded.bytes, lineEnding, columns: 0 } });

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
      issues.push(issue({ code: 'SEP_LINE', severity: 'info', line: 1, message: `Line 1 "sep=${ch}" is Excel's delimiter hint: the file is read with ${DELIMITER_NAMES[sepHint]} and that line is not imported.` }));
    }
  }

  const endings = countLineEndings(text);
  const lineEnding = lineEndingOf(endings);
  if (text.trim() === '') {
    issues.push(issue({ code: 'NO_DATA_ROWS', message: 'The file holds no header and no data rows (only blank lines). Choose a CSV file with a header row and at least one data row.' }));
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
      issues.push(issue({ code: 'NO_DELIMITER', message: 'No delimiter (, ; tab | :) splits the lines, so the file has a single column. Confirm "single column" to continue, or pick the delimiter your file uses.' }));
    } else {
      delimiter = { char: best.char, detected: true, candidates, fromSepLine: false };
      const runnerUp = ranked[1];
      if (runnerUp && runnerUp.fieldCountMode > 1 && runnerUp.score >= 0.5) {
        issues.push(issue({
          code: 'AMBIGUOUS_DELIMITER', severity: 'warning',
          message: `Both ${DELIMITER_NAMES[best.char]} (${best.fieldCountMode} columns on ${best.consistentRows} of ${best.sampledRows} sampled lines) and ${DELIMITER_NAMES[runnerUp.char]} (${runnerUp.fieldCountMode} columns on ${runnerUp.consistentRows} of ${runnerUp.sampledRows}) split this file. ${DELIMITER_NAMES[best.char]} was chosen: check the preview and change the delimiter if the columns look wrong.`,
        }));
      }
    }
  }

  // The real parse, pinned to one delimiter and one newline (mixed endings are normalised outside quotes).
  let newline: '\n' | '\r\n' | '\r' = '\n';
  if (lineEnding === 'mixed') text = normaliseLineBreaks(text);
  else if (lineEnding === 'CRLF') newline = '\r\n';
  else if (lineEnding === 'CR') newline = '\r';

  const records: RawRecord[] = [];
  const n = text.length;
  let prev = 0;
  let line = 1 + lineOffset;
  let nextQuote = text.indexOf('"');
  let fatal = false;
  const comment = opts.commentChar;

  Papa.parse<string[]>(text, {
    delimiter: delimiter.char, newline, quoteChar: '"', escapeChar: '"', skipEmptyLines: false,
    ...(comment ? { comments: comment } : {}),
    step: (res, parser) => {
      if (fatal) return;
      const cells = res.data;
      const end = res.meta.cursor;
      let start = prev;
      if (comment) {
        // Comment lines (opt-in only, bad-inputs #34) sit between records: step over them for the line count.
        while (start < end && text.startsWith(comment, start)) {
          const nl = text.indexOf(newline, start);
          if (nl === -1 || nl >= end) break;
          start = nl + newline.length;
          line++;
        }
      }
      prev = end;
      if (start >= n && cells.length === 1 && cells[0] === '') return; // trailing newline: no phantom row
      const startLine = line;
      const hasQuote = nextQuote !== -1 && nextQuote < end;
      if (hasQuote) {
        line += countBreaks(text, start, end);
        inspectQuotes(text, start, end, delimiter.char, startLine, issues);
        nextQuote = text.indexOf('"', end);
      } else {
        line += end < n || endsWithBreak(text) ? 1 : 0;
      }
      for (const e of res.errors) {
        if (e.code === 'MissingQuotes') {
          const at = typeof e.index === 'number' ? e.index - 1 : start;
          const qLine = startLine + countBreaks(text, start, Math.max(start, at));
          issues.push(issue({ code: 'UNCLOSED_QUOTE', line: qLine, message: `The quote opened on line ${qLine} is never closed, so the rest of the file would be read as one value. Close the quote (or double a quote inside the value as "") and load the file again.` }));
          fatal = true;
          parser.abort();
          return;
        }
      }
      if (cells.length > LIMITS.maxFieldsPerRow) {
        issues.push(issue({ code: 'ROW_TOO_WIDE', line: startLine, message: `Line ${startLine} has ${cells.length.toLocaleString('en')} fields; this importer reads at most ${LIMITS.maxFieldsPerRow.toLocaleString('en')} (and Zoho accepts ${LIMITS.maxColumnsZoho} columns). Check the delimiter, or split the file.` }));
        fatal = true;
        parser.abort();
        return;
      }
      if (end - start > LIMITS.maxFieldChars) {
        const long = cells.findIndex((c) => c.length > LIMITS.maxFieldChars);
        if (long !== -1) {
          issues.push(issue({ code: 'FIELD_TOO_LONG', line: startLine, columnIndex: long, message: `Field ${long + 1} on line ${startLine} holds ${(cells[long] ?? '').length.toLocaleString('en')} characters, over this importer's cap of ${LIMITS.maxFieldChars.toLocaleString('en')}. A quote may be missing; fix the line and load the file again.` }));
          fatal = true;
          parser.abort();
          return;
        }
      }
      const blank = !hasQuote && cells.every((c) => c.trim() === '');
      records.push({ line: startLine, cells, blank });
    },
  });

  if (fatal) return finish({ delimiter, headers: [], headerLine: 0, rows: [], stats: { dataRows: 0, blankLines: 0, bytes: decoded.bytes, lineEnding, columns: 0 } });
  return finish(buildTable(records, delimiter, decoded.bytes, lineEnding, opts, issues));
}

function endsWithBreak(text: string): boolean {
  const c = text.charCodeAt(text.length - 1);
  return c === LF || c === CR;
}

/** Per-record quote checks on the raw text (only for records that contain a quote; rare in most files). */
function inspectQuotes(text: string, start: number, end: number, delim: string, startLine: number, issues: FileIssue[]): void {
  let line = startLine;
  let lineStart = start;
  let i = start;
  let fieldStart = true;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (fieldStart && c === QUOTE) {
      // Quoted field: skip to the closing quote ("" is an escaped quote).
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1 || q >= end) { i = end; break; }
        for (let k = i; k < q; k++) {
          const ck = text.charCodeAt(k);
          if (ck === LF || (ck === CR && text.charCodeAt(k + 1) !== LF)) { line++; lineStart = k + 1; }
        }
        if (text.charCodeAt(q + 1) === QUOTE) { i = q + 2; continue; }
        i = q + 1;
        break;
      }
      fieldStart = false;
      continue;
    }
    if (text.startsWith(delim, i)) { fieldStart = true; i += delim.length; continue; }
    if (c === LF || c === CR) { i++; continue; }
    if (fieldStart && (c === 32 || c === 9)) {
      let j = i;
      while (j < end && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      if (text.charCodeAt(j) === QUOTE) {
        const col = j - lineStart + 1;
        issues.push(issue({ code: 'SPACE_BEFORE_QUOTE', scope: 'row', line, column: col, message: `Line ${line}, column ${col}: a quote follows spaces after the delimiter, so the value is not read as quoted (its delimiters and quotes are kept literally). Remove the spaces before the quote, or exclude the row.` }));
        i = j + 1;
        fieldStart = false;
        continue;
      }
    }
    if (c === QUOTE) {
      const col = i - lineStart + 1;
      issues.push(issue({ code: 'STRAY_QUOTE', severity: 'warning', scope: 'row', line, column: col, message: `Line ${line}, column ${col}: a quote inside an unquoted value was kept as a literal " character. If that is not intended, fix the value.` }));
    }
    fieldStart = false;
    i++;
  }
}

function buildTable(
  records: readonly RawRecord[], delimiter: DelimiterInfo, bytes: number, lineEnding: LineEnding, opts: ParseOptions, issues: FileIssue[],
): Omit<ParsedTable, 'blocked' | 'issues' | 'encoding'> {
  let blankLines = 0;
  let headerRec: RawRecord | undefined;
  const data: SourceRow[] = [];
  const blankAt: number[] = [];
  for (const r of records) {
    if (r.blank) { blankLines++; blankAt.push(r.line); continue; }
    if (!headerRec) { headerRec = r; continue; }
    data.push({ line: r.line, cells: r.cells });
  }
  if (blankLines > 0) {
    const shown = blankAt.slice(0, 10).join(', ') + (blankAt.length > 10 ? ` and ${blankAt.length - 10} more` : '');
    issues.push(issue({ code: 'BLANK_LINES', severity: 'info', lines: blankAt.slice(0, 200), line: blankAt[0], message: `${blankLines} empty line${blankLines > 1 ? 's' : ''} ignored (line${blankLines > 1 ? 's' : ''} ${shown}): blank, whitespace-only or delimiter-only.` }));
  }
  if (!headerRec) {
    issues.push(issue({ code: 'NO_DATA_ROWS', message: 'The file holds no header and no data rows. Choose a CSV file with a header row and at least one data row.' }));
    return { delimiter, headers: [], headerLine: 0, rows: [], stats: { dataRows: 0, blankLines, bytes, lineEnding, columns: 0 } };
  }
  let headers = [...headerRec.cells];
  let rows = data;

  // Trailing delimiter on every line: an unnamed last column, dropped only if empty in every row (#23).
  const last = headers.length - 1;
  if (last > 0 && (headers[last] ?? '').trim() === '' && !opts.headerNames?.some((h) => h.index === last)) {
    const width = headers.length;
    const allEmpty = rows.every((r) => r.cells.length < width || (r.cells.length === width && (r.cells[last] ?? '').trim() === ''));
    if (allEmpty) {
      headers = headers.slice(0, last);
      rows = rows.map((r) => (r.cells.length === width ? { line: r.line, cells: r.cells.slice(0, last) } : r));
      issues.push(issue({ code: 'TRAILING_EMPTY_COLUMN', severity: 'info', columnIndex: last, message: `Every line ends with a delimiter, giving an unnamed column ${last + 1} that is empty in every row; it was dropped.` }));
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
      issues.push(issue({ code: 'EMPTY_HEADER', columnIndex: idx, line: headerLine, message: `Column ${idx + 1} has no header name (line ${headerLine}). Name the column or ignore it.` }));
      return;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push(issue({ code: 'DUPLICATE_HEADER', columnIndex: idx, line: headerLine, message: `Columns ${first + 1} and ${idx + 1} are both named "${h.trim()}". Rename or ignore one of them so no values are lost.` }));
    } else seen.set(key, idx);
  });

  if (headers.length > LIMITS.maxColumnsZoho) {
    issues.push(issue({ code: 'TOO_MANY_COLUMNS', scope: 'mapping', message: `The file has ${headers.length} columns; Zoho's Bulk Write accepts at most ${LIMITS.maxColumnsZoho} columns per file. Leave columns unmapped so at most ${LIMITS.maxColumnsZoho} are sent.` }));
  }
  if (rows.length === 0) {
    issues.push(issue({ code: 'NO_DATA_ROWS', line: headerLine, message: `The file has a header row (line ${headerLine}) but no data rows. Add at least one record below the header.` }));
  }

  const width = headers.length;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as SourceRow;
    if (r.cells.length === width) continue;
    const diff = r.cells.length - width;
    const detail = diff > 0
      ? `${diff} extra cell${diff > 1 ? 's' : ''} (${r.cells.slice(width).map((c) => JSON.stringify(c.length > 40 ? `${c.slice(0, 40)}…` : c)).slice(0, 3).join(', ')}) kept`
      : `${-diff} cell${diff < -1 ? 's' : ''} missing`;
    issues.push(issue({ code: 'RAGGED_ROW', scope: 'row', line: r.line, rowIndex: i, message: `Line ${r.line} has ${r.cells.length} field${r.cells.length === 1 ? '' : 's'} but the header has ${width}: ${detail}. Fix the line or exclude the row.` }));
  }

  return { delimiter, headers, headerLine, rows, stats: { dataRows: rows.length, blankLines, bytes, lineEnding, columns: width } };
}
