// `GET {api-domain}/crm/v8/settings/fields?module=X` (contract §9). Parses to the shared ZohoFieldMeta shape
// (src/domain/fields/field-meta.ts); unknown keys are kept, Zoho's `{}` for "not unique"/"no lookup" accepted.
import { z } from 'zod';
import type { ZohoFieldMeta } from '../../domain/fields/field-meta.ts';
import { zohoId } from './common.ts';

export const fieldMetaSchema = z.looseObject({
  api_name: z.string(),
  field_label: z.string().nullish(),
  display_label: z.string().nullish(),
  data_type: z.string(),
  json_type: z.string().nullish(),
  length: z.number().nullish(),
  decimal_place: z.number().nullish(),
  system_mandatory: z.boolean().nullish(),
  read_only: z.boolean().nullish(),
  field_read_only: z.boolean().nullish(),
  unique: z.looseObject({ case_sensitive: z.boolean().nullish() }).nullish(),
  pick_list_values: z.array(z.looseObject({ display_value: z.string().nullish(), actual_value: z.string() })).nullish(),
  lookup: z.looseObject({ module: z.looseObject({ api_name: z.string(), id: zohoId.nullish() }).nullish() }).nullish(),
  textarea: z.looseObject({ type: z.string().nullish() }).nullish(),
  custom_field: z.boolean().nullish(),
  id: zohoId.nullish(),
  formula: z.unknown().optional(),
  auto_number: z.unknown().optional(),
});

export const fieldsResponse = z.looseObject({ fields: z.array(fieldMetaSchema) });

/** Parse a fields answer straight into the domain's field-meta shape. */
export function parseFieldsResponse(json: unknown): ZohoFieldMeta[] {
  return fieldsResponse.parse(json).fields.map((f): ZohoFieldMeta => {
    const { unique, lookup, ...rest } = f;
    const out: ZohoFieldMeta = { ...rest };
    // Zoho sends `{}` for a non-unique field: only a non-empty object marks the field unique.
    if (unique && Object.keys(unique).length > 0) out.unique = { case_sensitive: unique.case_sensitive ?? null };
    if (lookup?.module) out.lookup = { module: { api_name: lookup.module.api_name, id: lookup.module.id ?? null } };
    return out;
  });
}
