// Convert the mapping to and from Zoho's `field_mappings` JSON (contract §4), so a saved profile is a valid Bulk
// Write mapping and a Bulk Write mapping can be loaded as a profile — with every unknown field or index reported.
import { z } from 'zod';
import { isValidDatePattern } from '../fields/date-format.ts';
import type { FieldModel } from '../fields/field-model.ts';
import { emptyMapping, RECORD_ID, type Mapping } from './mapping.ts';

/** One element of Zoho's `resource[].field_mappings`. */
export interface ZohoFieldMapping {
  api_name: string;
  index?: number;
  format?: string;
  find_by?: string;
  default_value?: { value: string };
  /** Per-mapping ignore_empty (the emulator honours it; sent only when the user set it). */
  ignore_empty?: boolean;
}

export const zohoFieldMappingSchema = z.object({
  api_name: z.string().min(1),
  index: z.number().int().nullish(),
  format: z.string().nullish(),
  find_by: z.string().nullish(),
  default_value: z.object({ value: z.union([z.string(), z.number(), z.boolean()]).transform(String) }).nullish(),
  ignore_empty: z.boolean().nullish(),
});

/**
 * The mapping as Zoho JSON, with `index` = the ORIGINAL CSV column (what a saved profile needs). For the file
 * actually uploaded (only mapped columns), use `projectForUpload`, which renumbers indexes.
 */
export function toZohoFieldMappings(mapping: Mapping): ZohoFieldMapping[] {
  const out: ZohoFieldMapping[] = [];
  for (const c of mapping.columns) {
    if (c.apiName === null) continue;
    out.push(columnToZoho(c.apiName, c.column, c));
  }
  for (const d of mapping.defaults) out.push({ api_name: d.apiName, default_value: { value: d.defaultValue } });
  return out;
}

export function columnToZoho(
  apiName: string,
  index: number,
  c: { defaultValue: string | null; ignoreEmpty: boolean | null; format: string | null; findBy: string | null },
): ZohoFieldMapping {
  const m: ZohoFieldMapping = { api_name: apiName, index };
  if (c.format !== null) m.format = c.format;
  if (c.findBy !== null) m.find_by = c.findBy;
  if (c.defaultValue !== null) m.default_value = { value: c.defaultValue };
  if (c.ignoreEmpty !== null) m.ignore_empty = c.ignoreEmpty;
  return m;
}

/**
 * The record id as a mappable "field" when records are matched by `id` (contract §4: find_by may be `id`). Zoho's
 * field metadata does not list it, but Bulk Write reads an `id` column for update/upsert by id.
 */
export const RECORD_ID_FIELD: FieldModel = {
  apiName: RECORD_ID,
  label: 'Record Id',
  // Ids are 19-digit strings: checked as text (bigint would cap them at 18 digits).
  dataType: 'text',
  length: 40,
  decimalPlace: null,
  mandatory: false,
  unique: { caseSensitive: true },
  readOnly: false,
  picklistValues: [],
  lookupModule: null,
  textareaType: null,
  writable: { ok: true },
};

export interface LoadProblem {
  kind: 'bad_shape' | 'unknown_field' | 'not_writable' | 'bad_index' | 'duplicate_field' | 'duplicate_index' | 'no_index_no_default' | 'invalid_format';
  /** Position in the JSON array, when the problem is one element. */
  position: number | null;
  message: string;
}

/**
 * Load Zoho `field_mappings` JSON as a mapping for a file with `columnCount` columns. Elements with problems are
 * skipped and each is reported (never silently): unknown or non-writable fields, indexes outside the file, a field
 * or column used twice, a mapping with neither index nor default, an invalid date format.
 */
export function fromZohoFieldMappings(json: unknown, columnCount: number, fields: readonly FieldModel[]): { mapping: Mapping; problems: LoadProblem[] } {
  const mapping = emptyMapping(columnCount);
  const problems: LoadProblem[] = [];
  const parsed = z.array(z.unknown()).safeParse(json);
  if (!parsed.success) {
    problems.push({ kind: 'bad_shape', position: null, message: 'The saved mapping is not a list of field mappings; it was not loaded.' });
    return { mapping, problems };
  }
  const byName = new Map(fields.map((f) => [f.apiName, f]));
  const usedFields = new Set<string>();
  parsed.data.forEach((element, position) => {
    const r = zohoFieldMappingSchema.safeParse(element);
    const at = `Mapping ${position + 1}`;
    if (!r.success) {
      problems.push({
        kind: 'bad_shape',
        position,
        message: `${at} is not a valid field mapping (it needs an api_name, and index must be a whole number); it was skipped.`,
      });
      return;
    }
    const m = r.data;
    // The record-id column (find_by "id") is not a field of the module but is a valid mapping.
    const field = m.api_name === RECORD_ID ? RECORD_ID_FIELD : byName.get(m.api_name);
    if (field === undefined) {
      problems.push({ kind: 'unknown_field', position, message: `${at} names the field "${m.api_name}", which this module does not have; it was skipped.` });
      return;
    }
    if (!field.writable.ok) {
      problems.push({
        kind: 'not_writable',
        position,
        message: `${at} maps ${field.label}, which cannot be imported (${field.writable.reason}); it was skipped.`,
      });
      return;
    }
    if (usedFields.has(m.api_name)) {
      problems.push({ kind: 'duplicate_field', position, message: `${at} maps ${field.label} a second time; a field takes one column, so it was skipped.` });
      return;
    }
    const format = m.format ?? null;
    if (format !== null && !isValidDatePattern(format)) {
      problems.push({
        kind: 'invalid_format',
        position,
        message: `${at} gives ${field.label} the date format "${format}", which is not a valid pattern; the format was dropped — choose one again.`,
      });
    }
    const defaultValue = m.default_value?.value ?? null;
    const index = m.index ?? null;
    if (index === null) {
      if (defaultValue === null) {
        problems.push({
          kind: 'no_index_no_default',
          position,
          message: `${at} maps ${field.label} with neither a column nor a default value; it was skipped.`,
        });
        return;
      }
      usedFields.add(m.api_name);
      mapping.defaults.push({ apiName: m.api_name, defaultValue });
      return;
    }
    if (index < 0 || index >= columnCount) {
      problems.push({
        kind: 'bad_index',
        position,
        message: `${at} maps ${field.label} to column ${index + 1}, but the file has ${columnCount} column${columnCount === 1 ? '' : 's'}; it was skipped.`,
      });
      return;
    }
    const slot = mapping.columns[index];
    if (slot === undefined || slot.apiName !== null) {
      problems.push({
        kind: 'duplicate_index',
        position,
        message: `${at} maps ${field.label} to column ${index + 1}, which is already mapped to ${slot?.apiName ?? 'another field'}; it was skipped.`,
      });
      return;
    }
    usedFields.add(m.api_name);
    mapping.columns[index] = {
      column: index,
      apiName: m.api_name,
      defaultValue,
      ignoreEmpty: m.ignore_empty ?? null,
      format: format !== null && isValidDatePattern(format) ? format : null,
      findBy: m.find_by ?? null,
    };
  });
  return { mapping, problems };
}
