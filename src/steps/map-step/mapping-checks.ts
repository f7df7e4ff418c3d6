// What blocks the mapping from going on (plain data for the Map step): mandatory fields with neither a column
// nor a default on insert/upsert, the match field not mapped on update/upsert, columns mapped to fields the
// module lacks or can't write, more than 200 sent columns.
import type { Operation } from '../../domain/fields/field-meta.ts';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import { mappedApiNames, resolveMapping, type Mapping } from '../../domain/mapping/mapping.ts';

export interface MappingBlock {
  apiName: string | null;
  message: string;
}

export const MAX_SENT_COLUMNS = 200;

export function mappingBlocks(mapping: Mapping, fields: readonly FieldModel[], operation: Operation, findBy: string | null): MappingBlock[] {
  const out: MappingBlock[] = [];
  const mapped = mappedApiNames(mapping);
  if (operation !== 'update') {
    for (const f of fields) {
      if (f.mandatory && f.writable.ok && !mapped.has(f.apiName)) {
        out.push({ apiName: f.apiName, message: `${f.label} (${f.apiName}) is mandatory: map a column to it, or give it a default value for every row.` });
      }
    }
  }
  if (operation !== 'insert' && findBy && !mapped.has(findBy)) {
    out.push({ apiName: findBy, message: `Records are matched by ${findBy}, so a column must be mapped to ${findBy}.` });
  }
  for (const p of resolveMapping(mapping, fields).problems) out.push({ apiName: p.apiName, message: p.message });
  const sent = mapping.columns.filter((c) => c.apiName !== null).length;
  if (sent > MAX_SENT_COLUMNS)
    out.push({ apiName: null, message: `${sent} columns are mapped; Zoho accepts at most ${MAX_SENT_COLUMNS} per file. Unmap ${sent - MAX_SENT_COLUMNS}.` });
  return out;
}

/**
 * Up to `n` distinct non-empty sample values of a column, from its first `maxRows` rows. The bound matters: a
 * column of two values (true/false) never yields a third, and reading a packed row's cells costs a cut per cell, so
 * an unbounded scan of a million-row file blocked the Map step's first render for seconds (issue 13).
 */
export function columnSamples(rows: readonly { cells: readonly string[] }[], column: number, n = 3, maxRows = 1_000): string[] {
  const out: string[] = [];
  const end = Math.min(rows.length, maxRows);
  for (let i = 0; i < end; i++) {
    const v = (rows[i] as { cells: readonly string[] }).cells[column];
    if (v !== undefined && v.trim() !== '' && !out.includes(v)) out.push(v);
    if (out.length >= n) break;
  }
  return out;
}
