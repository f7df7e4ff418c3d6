// The record id as a mappable "field" when records are matched by `id` (contract §4: find_by may be `id`).
// Zoho's field metadata does not list it, but Bulk Write reads an `id` column for update/upsert by id.
import type { FieldModel } from '../domain/fields/field-model.ts';

export const RECORD_ID_FIELD: FieldModel = {
  apiName: 'id',
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

/** The module's fields, plus the record id when records are matched by it. */
export function withRecordId(fields: readonly FieldModel[], findBy: string | null): FieldModel[] {
  return findBy === 'id' && !fields.some((f) => f.apiName === 'id') ? [...fields, RECORD_ID_FIELD] : [...fields];
}
