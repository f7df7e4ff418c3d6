// The plain-data side of the mapping form: the first (auto-matched) mapping for a file, the field picker's
// options, and the note shown when a choice displaces an earlier one.
import type { ComboOption } from '../../components/field-combobox/field-combobox.tsx';
import type { FieldGroups } from '../../domain/fields/field-groups.ts';
import type { FieldModel } from '../../domain/fields/field-model.ts';
import { autoMatch, type HeaderMatch } from '../../domain/mapping/auto-match.ts';
import { assignColumn, emptyMapping, type Mapping } from '../../domain/mapping/mapping.ts';

/** The picker's id for "leave this column out" (no field has this API name: Zoho's never start with "__"). */
export const NOT_IMPORTED = '__none__';

/** The first mapping for a file: auto-matched suggestions, each with its reason. */
export function initialMapping(headers: readonly string[], fields: readonly FieldModel[]): { mapping: Mapping; matches: HeaderMatch[] } {
  const matches = autoMatch(
    headers,
    fields.filter((f) => f.writable.ok),
  );
  let mapping = emptyMapping(headers.length);
  for (const m of matches) {
    if (m.apiName === null) continue;
    mapping = assignColumn(mapping, m.column, m.apiName).mapping;
    if (m.findBy !== null) mapping = { ...mapping, columns: mapping.columns.map((c) => (c.column === m.column ? { ...c, findBy: m.findBy } : c)) };
  }
  return { mapping, matches };
}

function fieldMeta(f: FieldModel): string {
  const marks = [f.mandatory ? 'mandatory' : null, f.unique ? 'unique' : null].filter(Boolean).join(', ');
  return `${f.apiName} · ${f.dataType}${marks ? ` · ${marks}` : ''}`;
}

/** "Don't import", then the writable fields, then the others shown disabled with the reason they can't be written. */
export function pickerOptions(groups: FieldGroups): ComboOption[] {
  return [
    { id: NOT_IMPORTED, label: 'Don’t import this column', meta: 'the column is left out of the upload' },
    ...groups.writable.map((f) => ({ id: f.apiName, label: f.label, meta: fieldMeta(f), textValue: `${f.label} (${f.apiName})` })),
    ...groups.notWritable.map((n) => ({ id: n.field.apiName, label: `${n.field.label} — can’t be imported`, meta: n.reason, disabled: true })),
  ];
}

/** What a choice took from elsewhere: a field's default value, or another column that filled the same field. */
export function displacedNote(apiName: string, column: number, displaced: number | 'default', headers: readonly string[]): string {
  return displaced === 'default'
    ? `${apiName} no longer uses its default value: column ${column + 1} now fills it.`
    : `${apiName} was mapped to column ${displaced + 1} (“${headers[displaced] ?? ''}”); that column is now not imported.`;
}
