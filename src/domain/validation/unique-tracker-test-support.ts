// In-file uniqueness written the plain way (a map of held values, rows in order), for tests only: the reference
// the pre-flight's optimised passes (uniqueness.ts) are checked against on random tables.
import type { FieldModel } from '../fields/field-model.ts';
import type { FieldValue } from '../fields/validate-value.ts';
import { uniqueKey, type ResolvedMapping, type RowError, type RowEvaluation } from './row-rules.ts';

/**
 * In-file uniqueness, as Zoho applies it: a row whose unique value was already written earlier in the same file
 * is DUPLICATE_DATA. Only rows that are themselves written should `claim` their values (a skipped row claims
 * nothing), so callers check first and claim after deciding the row is written.
 */
export interface UniqueTracker {
  /** The row index that already holds this value for the field, or null. */
  holder(field: FieldModel, value: FieldValue): number | null;
  /** Record that `row` holds this value (first holder wins). */
  claim(field: FieldModel, value: FieldValue, row: number): void;
}

export function createUniqueTracker(): UniqueTracker {
  const byField = new Map<string, Map<string, number>>();
  const mapFor = (field: FieldModel) => {
    let m = byField.get(field.apiName);
    if (m === undefined) {
      m = new Map();
      byField.set(field.apiName, m);
    }
    return m;
  };
  return {
    holder: (field, value) => byField.get(field.apiName)?.get(uniqueKey(field, value)) ?? null,
    claim(field, value, row) {
      const m = mapFor(field);
      const key = uniqueKey(field, value);
      if (!m.has(key)) m.set(key, row);
    },
  };
}

/**
 * DUPLICATE_DATA errors for one evaluated row against the rows already written from this file; claims the row's
 * values when the row will be written (no errors at all). Returns the duplicate errors (column order).
 */
export function checkInFileUnique(evaluation: RowEvaluation, mappings: readonly ResolvedMapping[], tracker: UniqueTracker, row: number): RowError[] {
  const dupes: RowError[] = [];
  for (const m of mappings) {
    if (m.field.unique === null) continue;
    const v = evaluation.values.get(m.field.apiName);
    if (v === undefined || v === null) continue;
    if (tracker.holder(m.field, v) !== null) dupes.push({ code: 'DUPLICATE_DATA', apiName: m.field.apiName });
  }
  if (dupes.length === 0 && evaluation.errors.length === 0) {
    for (const m of mappings) {
      if (m.field.unique === null) continue;
      const v = evaluation.values.get(m.field.apiName);
      if (v !== undefined && v !== null) tracker.claim(m.field, v, row);
    }
  }
  return dupes;
}
