// The import's own view of one CRM field, derived once from Zoho's field metadata: what the validators, the
// mapping UI and the emulator's row rules need, including whether Bulk Write can write the field at all and why not.
import { WRITABLE_DATA_TYPES, type ZohoFieldMeta } from './field-meta.ts';

export type TextareaType = 'small' | 'large' | 'rich_text';

export type Writable = { ok: true } | { ok: false; reason: string };

/** One field as the import sees it. Plain data: safe to structured-clone into a worker. */
export interface FieldModel {
  apiName: string;
  /** What a person recognises: display_label, else field_label, else the API name. */
  label: string;
  dataType: string;
  /** Zoho's `length`: characters for text-like fields, digits (before the point) for number fields. */
  length: number | null;
  /** Digits after the point for currency/double/percent. */
  decimalPlace: number | null;
  /** `system_mandatory`: an insert without a value for it is SKIPPED with MANDATORY_NOT_FOUND. */
  mandatory: boolean;
  /** null when the field is not unique; comparisons follow caseSensitive (Zoho's default is insensitive). */
  unique: null | { caseSensitive: boolean };
  readOnly: boolean;
  /** The pick list's actual values (what Zoho stores), in Zoho's order. */
  picklistValues: string[];
  /** For lookups: the API name of the looked-up module. */
  lookupModule: string | null;
  /** For textareas: small (2,000), large (32,000) or rich_text (treated as large). null for other types. */
  textareaType: TextareaType | null;
  writable: Writable;
}

const WRITABLE_SET: ReadonlySet<string> = new Set<string>(WRITABLE_DATA_TYPES);

/** Data types Bulk Write refuses, each with the reason a user sees next to the field. */
const NOT_WRITABLE_REASONS: Readonly<Record<string, string>> = {
  subform: 'Subforms cannot be imported with Bulk Write; import the parent records, then add subform rows in Zoho CRM.',
  multiselectlookup: 'Multi-select lookups cannot be imported with Bulk Write; link the records in Zoho CRM after the import.',
  multiuserlookup: 'Multi-user lookups cannot be imported with Bulk Write; assign users in Zoho CRM after the import.',
  fileupload: 'File upload fields cannot be imported with Bulk Write; attach files in Zoho CRM.',
  imageupload: 'Image upload fields cannot be imported with Bulk Write; add images in Zoho CRM.',
  profileimage: 'Record images cannot be imported with Bulk Write; add the image in Zoho CRM.',
  formula: 'Formula fields are calculated by Zoho CRM and cannot be written.',
  autonumber: 'Auto-number fields are numbered by Zoho CRM and cannot be written.',
};

/**
 * Owner and custom user lookups point at users, not records (docs/org-apis.md A1): Bulk Write takes a user id, or
 * with `find_by: "email"` the user's e-mail; the user must exist and be active.
 */
export const USER_LOOKUP_TYPES: ReadonlySet<string> = new Set(['ownerlookup', 'userlookup']);
export const isUserLookup = (f: Pick<FieldModel, 'dataType'>): boolean => USER_LOOKUP_TYPES.has(f.dataType);
/** The `find_by` values a user lookup accepts (null = no find_by = a user id). */
export const USER_FIND_BY: ReadonlySet<string | null> = new Set([null, 'id', 'email']);

function hasKeys(value: object | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return Object.keys(value).length > 0;
}

function readTextareaType(meta: ZohoFieldMeta): TextareaType | null {
  if (meta.data_type !== 'textarea') return null;
  const t = meta.textarea?.type;
  if (t === 'large' || t === 'rich_text' || t === 'small') return t;
  // No type given: Zoho's default multi-line field is the small one.
  return 'small';
}

function readLookupModule(meta: ZohoFieldMeta): string | null {
  const lookup = meta.lookup;
  if (lookup === null || lookup === undefined || !('module' in lookup)) return null;
  return lookup.module?.api_name ?? null;
}

function readUnique(meta: ZohoFieldMeta): FieldModel['unique'] {
  const u = meta.unique;
  if (u === null || u === undefined || !hasKeys(u)) return null;
  return { caseSensitive: 'case_sensitive' in u && u.case_sensitive === true };
}

function decideWritable(meta: ZohoFieldMeta, readOnly: boolean): Writable {
  const reason = NOT_WRITABLE_REASONS[meta.data_type];
  if (reason !== undefined) return { ok: false, reason };
  if (meta.formula !== undefined && meta.formula !== null) return { ok: false, reason: NOT_WRITABLE_REASONS.formula ?? '' };
  if (meta.auto_number !== undefined && meta.auto_number !== null) {
    return { ok: false, reason: NOT_WRITABLE_REASONS.autonumber ?? '' };
  }
  if (readOnly) return { ok: false, reason: 'This field is read-only in Zoho CRM (set by the system), so it cannot be imported.' };
  if (!WRITABLE_SET.has(meta.data_type)) {
    return { ok: false, reason: `Bulk Write cannot write fields of type "${meta.data_type}".` };
  }
  return { ok: true };
}

/** Derive the import's field model from Zoho's metadata (contract §9). Never throws; unknown keys are ignored. */
export function fieldModelFromMeta(meta: ZohoFieldMeta): FieldModel {
  const readOnly = meta.read_only === true || meta.field_read_only === true;
  const label = nonEmpty(meta.display_label) ?? nonEmpty(meta.field_label) ?? meta.api_name;
  return {
    apiName: meta.api_name,
    label,
    dataType: meta.data_type,
    length: typeof meta.length === 'number' && Number.isFinite(meta.length) && meta.length > 0 ? meta.length : null,
    decimalPlace: typeof meta.decimal_place === 'number' && Number.isFinite(meta.decimal_place) && meta.decimal_place >= 0 ? meta.decimal_place : null,
    mandatory: meta.system_mandatory === true,
    unique: readUnique(meta),
    readOnly,
    picklistValues: (meta.pick_list_values ?? []).map((p) => p.actual_value),
    lookupModule: readLookupModule(meta),
    textareaType: readTextareaType(meta),
    writable: decideWritable(meta, readOnly),
  };
}

function nonEmpty(s: string | null | undefined): string | null {
  return typeof s === 'string' && s.trim() !== '' ? s : null;
}
