// Downloadable CSVs that are safe to open in Excel (security S8): UTF-8 BOM, CRLF, RFC 4180 quoting, and
// formula leaders escaped with a leading `'` in user-derived cells only (not in columns we generate).

import { quoteField } from './serialise.ts';

const FORMULA_LEADERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '\0']);

export function startsWithFormulaLeader(value: string): boolean {
  return value.length > 0 && FORMULA_LEADERS.has(value[0] as string);
}

export function escapeFormula(value: string): string {
  return startsWithFormulaLeader(value) ? `'${value}` : value;
}

export interface ExcelSafeInput {
  header: readonly string[];
  rows: Iterable<readonly string[]>;
  /** 0-based columns whose values we generate (STATUS, RECORD_ID, line numbers…): not escaped. */
  generatedColumns?: readonly number[];
}

export function toExcelSafeCsv(input: ExcelSafeInput): string {
  return [...excelSafeCsvChunks(input)].join('');
}

/** Lines per chunk of `excelSafeCsvChunks`: about 3.5 MB of text for a 20-column row of ~350 characters. */
export const CSV_CHUNK_ROWS = 10_000;

/**
 * The same CSV as `toExcelSafeCsv`, given in pieces of at most `rowsPerChunk` rows (the BOM and the header lead the
 * first). A file of a million rows is ~350 MB of text: built as one string, with the array of its lines beside it,
 * it no longer fits the tab's JS heap (the tab crashed on Download merged CSV at 1M, docs/benchmarks.md §6), while a
 * caller can turn each piece into bytes and let it go.
 */
export function* excelSafeCsvChunks(input: ExcelSafeInput, rowsPerChunk = CSV_CHUNK_ROWS): Generator<string, void, undefined> {
  const generated = new Set(input.generatedColumns ?? []);
  const line = (cells: readonly string[]): string => {
    let out = '';
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i] ?? '';
      if (i > 0) out += ',';
      out += quoteField(generated.has(i) ? v : escapeFormula(v));
    }
    return out + '\r\n';
  };
  let parts = ['\uFEFF', line(input.header)];
  let rows = 0;
  for (const r of input.rows) {
    parts.push(line(r));
    if (++rows === rowsPerChunk) {
      yield parts.join('');
      parts = [];
      rows = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}
