// The column → field mapping the user builds (and may save as a profile): one entry per CSV column, plus fields
// filled only from a default value. Validated with zod when loaded from storage; resolved against field models
// into what the row rules read.
import { z } from 'zod';
import type { FieldModel } from '../fields/field-model.ts';
import type { ResolvedMapping } from '../validation/row-rules.ts';

/** The pseudo field of the record-id column: map a column to it to update/upsert with find_by `id`. */
export const RECORD_ID = 'id';

export interface ColumnMapping {
  /** 0-based CSV column. */
  column: number;
  /** Target field API name (or `id` for the record-id column); null = the column is not sent. */
  apiName: string | null;
  /** Used when the cell is empty. */
  defaultValue: string | null;
  /** Per-column override of the job's ignore_empty; null = inherit. */
  ignoreEmpty: boolean | null;
  /** Date / date-time pattern of the column (Zoho `format`). */
  format: string | null;
  /** Lookup fields: which field of the looked-up module the cells hold (`id`, or e.g. `Account_Name`). */
  findBy: string | null;
}

/** A field with no column, filled from its default value in every row (Zoho: a mapping without `index`). */
export interface DefaultOnlyMapping {
  apiName: string;
  defaultValue: string;
}

export interface Mapping {
  /** Exactly one entry per CSV column, in column order. */
  columns: ColumnMapping[];
  defaults: DefaultOnlyMapping[];
}

export const columnMappingSchema = z.object({
  column: z.number().int().min(0),
  apiName: z.string().min(1).nullable(),
  defaultValue: z.string().nullable().default(null),
  ignoreEmpty: z.boolean().nullable().default(null),
  format: z.string().min(1).nullable().default(null),
  findBy: z.string().min(1).nullable().default(null),
});

export const mappingSchema = z
  .object({
    columns: z.array(columnMappingSchema),
    defaults: z.array(z.object({ apiName: z.string().min(1), defaultValue: z.string() })).default([]),
  })
  .superRefine((m, ctx) => {
    m.columns.forEach((c, i) => {
      if (c.column !== i)
        ctx.addIssue({ code: 'custom', path: ['columns', i, 'column'], message: `Entry ${i} describes column ${c.column}; entries must be in column order.` });
    });
    const seen = new Map<string, string>();
    const claim = (apiName: string, where: string, path: (string | number)[]) => {
      const before = seen.get(apiName);
      if (before !== undefined)
        ctx.addIssue({ code: 'custom', path, message: `${apiName} is mapped twice (${before} and ${where}); a field takes one column.` });
      else seen.set(apiName, where);
    };
    m.columns.forEach((c, i) => {
      if (c.apiName !== null) claim(c.apiName, `column ${i + 1}`, ['columns', i, 'apiName']);
    });
    m.defaults.forEach((d, i) => claim(d.apiName, 'a default value', ['defaults', i, 'apiName']));
  });

export function emptyColumnMapping(column: number): ColumnMapping {
  return { column, apiName: null, defaultValue: null, ignoreEmpty: null, format: null, findBy: null };
}

export function emptyMapping(columnCount: number): Mapping {
  return { columns: Array.from({ length: columnCount }, (_, i) => emptyColumnMapping(i)), defaults: [] };
}

/**
 * Map `column` to `apiName` (or unmap with null). A field takes one column: if another column (or a default-only
 * entry) had the field, it is unmapped, and returned as `displaced` so the UI can say so.
 */
export function assignColumn(mapping: Mapping, column: number, apiName: string | null): { mapping: Mapping; displaced: number | 'default' | null } {
  let displaced: number | 'default' | null = null;
  const columns = mapping.columns.map((c) => {
    if (c.column === column) {
      if (c.apiName === apiName) return c;
      // A different field: options that belonged to the old field no longer apply.
      return { ...emptyColumnMapping(column), apiName };
    }
    if (apiName !== null && c.apiName === apiName) {
      displaced = c.column;
      return emptyColumnMapping(c.column);
    }
    return c;
  });
  const defaults = apiName === null ? mapping.defaults : mapping.defaults.filter((d) => d.apiName !== apiName);
  if (defaults.length !== mapping.defaults.length) displaced = 'default';
  return { mapping: { columns, defaults }, displaced };
}

/** Change options of one column (default value, ignore empty, format, lookup find_by). */
export function updateColumn(mapping: Mapping, column: number, patch: Partial<Omit<ColumnMapping, 'column' | 'apiName'>>): Mapping {
  return { ...mapping, columns: mapping.columns.map((c) => (c.column === column ? { ...c, ...patch } : c)) };
}

/** Set (or with null, remove) a default-only field. Refused (unchanged) when a column already maps the field. */
export function setDefaultOnly(mapping: Mapping, apiName: string, defaultValue: string | null): Mapping {
  if (mapping.columns.some((c) => c.apiName === apiName)) return mapping;
  const rest = mapping.defaults.filter((d) => d.apiName !== apiName);
  return { ...mapping, defaults: defaultValue === null ? rest : [...rest, { apiName, defaultValue }] };
}

/** API names a mapping sends (by column or default). */
export function mappedApiNames(mapping: Mapping): Set<string> {
  const out = new Set<string>();
  for (const c of mapping.columns) if (c.apiName !== null) out.add(c.apiName);
  for (const d of mapping.defaults) out.add(d.apiName);
  return out;
}

export interface ResolveProblem {
  kind: 'unknown_field' | 'not_writable';
  column: number | null;
  apiName: string;
  message: string;
}

/**
 * Resolve a mapping against the module's fields into what the row rules read: column mappings in column order,
 * then default-only ones. Unknown or non-writable fields are reported and left out.
 */
export function resolveMapping(mapping: Mapping, fields: readonly FieldModel[]): { resolved: ResolvedMapping[]; problems: ResolveProblem[] } {
  const byName = new Map(fields.map((f) => [f.apiName, f]));
  const resolved: ResolvedMapping[] = [];
  const problems: ResolveProblem[] = [];
  const take = (apiName: string, column: number | null, r: Omit<ResolvedMapping, 'field'>) => {
    const field = byName.get(apiName);
    const where = column === null ? 'A default value' : `Column ${column + 1}`;
    if (field === undefined) {
      problems.push({
        kind: 'unknown_field',
        column,
        apiName,
        message: `${where} is mapped to "${apiName}", which this module does not have. Choose another field or unmap it.`,
      });
    } else if (!field.writable.ok) {
      problems.push({ kind: 'not_writable', column, apiName, message: `${where} is mapped to ${field.label}: ${field.writable.reason} Unmap it.` });
    } else {
      resolved.push({ field, ...r });
    }
  };
  for (const c of mapping.columns) {
    // The record-id column (find_by "id") identifies records and is never written, so no field resolves it.
    if (c.apiName === null || c.apiName === RECORD_ID) continue;
    take(c.apiName, c.column, { index: c.column, defaultValue: c.defaultValue, ignoreEmpty: c.ignoreEmpty, format: c.format, findBy: c.findBy });
  }
  for (const d of mapping.defaults) {
    take(d.apiName, null, { index: null, defaultValue: d.defaultValue, ignoreEmpty: null, format: null, findBy: null });
  }
  return { resolved, problems };
}
