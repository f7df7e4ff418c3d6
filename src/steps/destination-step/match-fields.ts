// The "Match records by" choices: unique, writable-or-not fields of the module plus the record id (contract §4 find_by).
import type { ZohoFieldMeta } from '../../domain/fields/field-meta.ts';
import { fieldModelFromMeta } from '../../domain/fields/field-model.ts';

export function matchFieldOptions(fields: readonly ZohoFieldMeta[]): { value: string; label: string }[] {
  const unique = fields
    .map(fieldModelFromMeta)
    .filter((f) => f.unique !== null)
    .map((f) => ({ value: f.apiName, label: `${f.label} (${f.apiName})` }));
  return [{ value: 'id', label: 'Record id (id)' }, ...unique];
}
