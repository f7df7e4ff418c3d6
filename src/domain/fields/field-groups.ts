// Fields arranged for the mapping screen: what can be written, what cannot (and why), what is required, and
// which fields can identify existing records ("Match records by" for update/upsert = unique fields + `id`).
import type { FieldModel } from './field-model.ts';

export interface NotWritableField {
  field: FieldModel;
  reason: string;
}

export type MatchCandidate =
  | { kind: 'id'; apiName: 'id'; label: string; caseSensitive: true }
  | { kind: 'unique'; apiName: string; label: string; caseSensitive: boolean; field: FieldModel };

export interface FieldGroups {
  /** Fields a column can be mapped to, mandatory ones first, then by label. */
  writable: FieldModel[];
  notWritable: NotWritableField[];
  /** Writable mandatory fields: an insert/upsert needs a column or a default for each. */
  mandatory: FieldModel[];
  /** Writable unique fields. */
  unique: FieldModel[];
  /** `id` first, then the unique fields. */
  matchCandidates: MatchCandidate[];
}

const byLabel = (a: FieldModel, b: FieldModel) => a.label.localeCompare(b.label, 'en', { sensitivity: 'base' }) || a.apiName.localeCompare(b.apiName);

export const RECORD_ID_CANDIDATE: MatchCandidate = { kind: 'id', apiName: 'id', label: 'Record Id', caseSensitive: true };

/** Group a module's fields for the UI. Input order does not matter; output order is deterministic. */
export function groupFields(fields: readonly FieldModel[]): FieldGroups {
  const writable: FieldModel[] = [];
  const notWritable: NotWritableField[] = [];
  for (const f of fields) {
    if (f.writable.ok) writable.push(f);
    else notWritable.push({ field: f, reason: f.writable.reason });
  }
  writable.sort((a, b) => Number(b.mandatory) - Number(a.mandatory) || byLabel(a, b));
  notWritable.sort((a, b) => byLabel(a.field, b.field));
  const mandatory = writable.filter((f) => f.mandatory);
  const unique = writable.filter((f) => f.unique !== null);
  const matchCandidates: MatchCandidate[] = [
    RECORD_ID_CANDIDATE,
    ...unique.map((f): MatchCandidate => ({ kind: 'unique', apiName: f.apiName, label: f.label, caseSensitive: f.unique?.caseSensitive ?? false, field: f })),
  ];
  return { writable, notWritable, mandatory, unique, matchCandidates };
}

/** True when `findBy` may identify records: `id` or a unique, writable field of the module. */
export function isValidFindBy(fields: readonly FieldModel[], findBy: string): boolean {
  if (findBy === 'id') return true;
  const f = fields.find((x) => x.apiName === findBy);
  return f !== undefined && f.unique !== null;
}
