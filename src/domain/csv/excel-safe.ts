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
  const parts = ['\uFEFF', line(input.header)];
  for (const r of input.rows) parts.push(line(r));
  return parts.join('');
}
