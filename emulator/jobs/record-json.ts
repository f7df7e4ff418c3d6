// The stored JSON of a new record, built without an object per row: the Bulk Write runner encodes 25,000 records
// a job, and cached `"key":` pieces plus JSON.stringify per value cost ~25 % less than an object + JSON.stringify.
import type { FieldValue } from '../../src/domain/fields/validate-value.ts';

/** Property names an object would not keep in insertion order: array indices (a superset of them is fine, they
 *  only take the object path) and __proto__ (assigning it sets the prototype). */
const OBJECT_SPECIAL = /^(?:0|[1-9]\d*|__proto__)$/;

/**
 * What one writer reuses from row to row: the `"key":` piece per key (null = the key needs the object path), the
 * pieces of the previous row by position (rows of a job list the same keys in the same order, so a position
 * usually matches by identity and needs no map lookup), and the JSON of the last time stamp.
 */
export class RecordJsonCache {
  readonly byKey = new Map<string, string | null>();
  readonly lastKeys: string[] = [];
  readonly lastPieces: (string | null)[] = [];
  stampIso = '';
  stampJson = '""';

  piece(position: number, key: string): string | null {
    if (this.lastKeys[position] === key) return this.lastPieces[position]!;
    let piece = this.byKey.get(key);
    if (piece === undefined) this.byKey.set(key, (piece = OBJECT_SPECIAL.test(key) ? null : JSON.stringify(key) + ':'));
    this.lastKeys[position] = key;
    this.lastPieces[position] = piece;
    return piece;
  }
}

/**
 * Exactly the text of `JSON.stringify({ ...non-null values in map order, Created_Time: nowIso, Modified_Time: nowIso })`,
 * or null when the caller must build that object instead to stay byte-identical: a key an object would reorder or drop
 * (an array index, __proto__) or values that already hold Created_Time / Modified_Time.
 */
export function encodeNewRecord(values: ReadonlyMap<string, FieldValue | null>, nowIso: string, cache: RecordJsonCache): string | null {
  if (values.has('Created_Time') || values.has('Modified_Time')) return null;
  let json = '';
  let plain = true;
  let position = 0;
  values.forEach((v, k) => {
    if (v === null || !plain) return;
    const key = cache.piece(position++, k);
    if (key === null) plain = false;
    else json += (json === '' ? '{' : ',') + key + JSON.stringify(v);
  });
  if (!plain) return null;
  if (cache.stampIso !== nowIso) {
    cache.stampIso = nowIso;
    cache.stampJson = JSON.stringify(nowIso);
  }
  const stamp = cache.stampJson;
  return `${json === '' ? '{' : json + ','}"Created_Time":${stamp},"Modified_Time":${stamp}}`;
}
