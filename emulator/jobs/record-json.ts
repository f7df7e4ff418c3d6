// The stored JSON of a new record, built without an object per row: the Bulk Write runner encodes 25,000 records
// a job, and cached `"key":` pieces plus JSON.stringify per value cost ~25 % less than an object + JSON.stringify.
import type { FieldValue } from '../../src/domain/fields/validate-value.ts';

/** Property names an object would not keep in insertion order: array indices (a superset of them is fine, they
 *  only take the object path) and __proto__ (assigning it sets the prototype). */
const OBJECT_SPECIAL = /^(?:0|[1-9]\d*|__proto__)$/;

/**
 * Exactly the text of `JSON.stringify({ ...non-null values in map order, Created_Time: nowIso, Modified_Time: nowIso })`,
 * or null when the caller must build that object instead to stay byte-identical: a key an object would reorder or drop (an
 * array index, __proto__) or values that already hold Created_Time / Modified_Time. `quoted` caches `"key":` per key across rows.
 */
export function encodeNewRecord(values: ReadonlyMap<string, FieldValue | null>, nowIso: string, quoted: Map<string, string | null>): string | null {
  if (values.has('Created_Time') || values.has('Modified_Time')) return null;
  let json = '';
  let plain = true;
  values.forEach((v, k) => {
    if (v === null || !plain) return;
    let key = quoted.get(k);
    if (key === undefined) quoted.set(k, (key = OBJECT_SPECIAL.test(k) ? null : JSON.stringify(k) + ':'));
    if (key === null) plain = false;
    else json += (json === '' ? '{' : ',') + key + JSON.stringify(v);
  });
  if (!plain) return null;
  const stamp = JSON.stringify(nowIso);
  return `${json === '' ? '{' : json + ','}"Created_Time":${stamp},"Modified_Time":${stamp}}`;
}
