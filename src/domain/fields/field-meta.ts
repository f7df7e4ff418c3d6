// The shape of one field as Zoho's `GET /settings/fields` describes it (contract §9), as far as the import needs
// it. Structural on purpose: src/api parses the wire JSON with zod and hands objects of this shape to domain code,
// and the emulator seeds its metadata in the same shape. Unknown keys are allowed and ignored.

export interface ZohoFieldMeta {
  api_name: string;
  field_label?: string | null;
  display_label?: string | null;
  data_type: string;
  json_type?: string | null;
  length?: number | null;
  decimal_place?: number | null;
  system_mandatory?: boolean | null;
  read_only?: boolean | null;
  field_read_only?: boolean | null;
  /** Non-empty object means unique; `case_sensitive` defaults to false. Zoho sends `{}` for non-unique fields. */
  unique?: { case_sensitive?: boolean | null } | Record<string, never> | null;
  pick_list_values?: ReadonlyArray<{ display_value?: string | null; actual_value: string }> | null;
  lookup?: { module?: { api_name: string; id?: string | null } | null } | Record<string, never> | null;
  /** `type` is 'small' | 'large' | 'rich_text' in Zoho's docs; typed as string because other values may appear. */
  textarea?: { type?: string | null } | null;
  custom_field?: boolean | null;
  id?: string | null;
  /** Emulator/metadata hint: the field is computed (formula) or an auto-number and cannot be written. */
  formula?: unknown;
  auto_number?: unknown;
}

/** The data types Bulk Write can write, per the seed's per-type table (contract §8). */
export const WRITABLE_DATA_TYPES = [
  'text',
  'textarea',
  'email',
  'phone',
  'picklist',
  'multiselectpicklist',
  'date',
  'datetime',
  'integer',
  'currency',
  'double',
  'percent',
  'bigint',
  'boolean',
  'website',
  'lookup',
  'ownerlookup',
  'userlookup',
] as const;
export type WritableDataType = (typeof WRITABLE_DATA_TYPES)[number];

/** Zoho's per-row error codes in result files (contract §7). */
export const ROW_ERROR_CODES = [
  'MANDATORY_NOT_FOUND',
  'INVALID_DATA',
  'DUPLICATE_DATA',
  'NOT_APPROVED',
  'BLOCKED_RECORD',
  'CANNOT_PROCESS',
  'LIMIT_EXCEEDED',
  'RESOURCE_NOT_FOUND',
] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

export type Operation = 'insert' | 'update' | 'upsert';
