// The module's fields with the record id added when records are matched by `id` (the id "field" itself is defined
// with the saved-mapping reader, which needs it too).
import type { FieldModel } from '../domain/fields/field-model.ts';
import { RECORD_ID_FIELD } from '../domain/mapping/field-mappings-json.ts';

/** The module's fields, plus the record id when records are matched by it. */
export function withRecordId(fields: readonly FieldModel[], findBy: string | null): FieldModel[] {
  return findBy === 'id' && !fields.some((f) => f.apiName === 'id') ? [...fields, RECORD_ID_FIELD] : [...fields];
}
