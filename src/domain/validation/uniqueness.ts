// In-file uniqueness, as Zoho's runner decides it reading rows in order: the full pass over the table, and the
// incremental re-decision after one row is edited (only rows sharing a unique value with it are looked at again).
import { addIssue, duplicateIssue, type Issue } from './issues.ts';
import { lineOf, type PreflightState, type Prepared, type TableInput } from './preflight-state.ts';
import type { ResolvedMapping } from './row-rules.ts';

/**
 * The uniqueness pass (sequential, like Zoho's runner): a row repeating a unique value already held by an EARLIER
 * row that is written is DUPLICATE_DATA; a row that is skipped holds nothing. Rows targeting the same record
 * (same find_by value on update/upsert) do not clash with each other.
 */
export function uniquenessPass(input: TableInput, prep: Prepared, state: PreflightState): Map<number, Issue[]> {
  const dupes = new Map<number, Issue[]>();
  const um = prep.uniqueMappings;
  if (um.length === 0) return dupes;
  const holders = um.map(() => new Map<string, number>());
  const keyArrays = um.map((m) => state.uniqueKeys.get(m.field.apiName) ?? []);
  const recordKeys = state.recordKeys;
  const localError = state.localError;
  const n = state.lines.length;
  const width = um.length;
  // Per unique field, whether this row's key is not held yet (so a written row claims it without a second lookup).
  const free = new Array<boolean>(width).fill(false);
  for (let row = 0; row < n; row++) {
    let rowDupes: Issue[] | null = null;
    for (let u = 0; u < width; u++) {
      free[u] = false;
      const key = (keyArrays[u] as (string | null)[])[row] ?? null;
      if (key === null) continue;
      const holder = (holders[u] as Map<string, number>).get(key);
      if (holder === undefined) {
        free[u] = true;
        continue;
      }
      const rk = recordKeys[row] ?? null;
      if (rk !== null && rk === (recordKeys[holder] ?? null)) continue;
      rowDupes = addIssue(rowDupes, duplicateOf(input, state, um[u] as ResolvedMapping, row, holder));
    }
    if (rowDupes !== null) dupes.set(row, rowDupes);
    else if (localError[row] !== 1) {
      // Written: it now holds its values (a key seen here was not held, or the row would be a duplicate).
      for (let u = 0; u < width; u++) {
        if (free[u] === true) (holders[u] as Map<string, number>).set((keyArrays[u] as (string | null)[])[row] as string, row);
      }
    }
  }
  return dupes;
}

/** The DUPLICATE_DATA issue of `row` against `holder`, with both lines from the table. */
function duplicateOf(input: TableInput, state: PreflightState, m: ResolvedMapping, row: number, holder: number): Issue {
  return duplicateIssue(m, row, lineOf(state, row), lineOf(state, holder), m.index === null ? undefined : input.headers[m.index]);
}

/** First index in an ascending list whose value is ≥ `v`. */
export function lowerBound(list: readonly number[], v: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The rows holding a unique value, ascending, for one re-check: each key's rows are found by one scan of its field's
 * key array when first asked, then kept for the rest of the re-check. A re-check asks for a handful of keys; an
 * index of every key (a Map of a million lists at a million rows) cost ~0.9 s on the first edit and stayed in memory.
 */
export class KeyRows {
  private readonly found: Map<string, number[]>[];

  constructor(private readonly keyArrays: readonly (readonly (string | null)[])[]) {
    this.found = keyArrays.map(() => new Map<string, number[]>());
  }

  /** The rows whose key of unique mapping `u` is `key`, ascending. */
  rows(u: number, key: string): readonly number[] {
    const found = this.found[u] as Map<string, number[]>;
    let list = found.get(key);
    if (list === undefined) {
      list = [];
      const keys = this.keyArrays[u] ?? [];
      for (let r = 0; r < keys.length; r++) if (keys[r] === key) list.push(r);
      found.set(key, list);
    }
    return list;
  }
}

function isWritten(state: PreflightState, r: number): boolean {
  return state.localError[r] !== 1 && !state.dupes.has(r) && state.input.excluded?.has(r) !== true;
}

/** Min-heap of row indexes: rows are re-decided in file order, as Zoho's runner reads them. */
class RowQueue {
  private readonly heap: number[] = [];
  private readonly seen = new Set<number>();
  get size(): number {
    return this.heap.length;
  }
  push(r: number): void {
    if (this.seen.has(r)) return;
    this.seen.add(r);
    const h = this.heap;
    h.push(r);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p] as number) <= r) break;
      h[i] = h[p] as number;
      i = p;
    }
    h[i] = r;
  }
  pop(): number {
    const h = this.heap;
    const top = h[0] as number;
    const last = h.pop() as number;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const c = l + 1 < h.length && (h[l + 1] as number) < (h[l] as number) ? l + 1 : l;
        if ((h[c] as number) >= last) break;
        h[i] = h[c] as number;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

/**
 * Re-decide DUPLICATE_DATA for the rows an edit can affect, in file order. A row is a duplicate when, for one of
 * its unique values, the first WRITTEN row holding that value comes before it and targets another record.
 */
export function redecideDuplicates(input: TableInput, prep: Prepared, state: PreflightState, edited: number, oldKeys: readonly (string | null)[]): void {
  const um = prep.uniqueMappings;
  const keyArrays = prep.uniqueKeyArrays;
  // The key arrays hold the edited row's new keys already.
  const byKey = new KeyRows(keyArrays);
  const queue = new RowQueue();
  const enqueueAfter = (u: number, key: string | null, after: number) => {
    if (key === null) return;
    const list = byKey.rows(u, key);
    for (let i = lowerBound(list, after + 1); i < list.length; i++) queue.push(list[i] as number);
  };
  queue.push(edited);
  for (let u = 0; u < um.length; u++) enqueueAfter(u, oldKeys[u] ?? null, edited);
  while (queue.size > 0) {
    const r = queue.pop();
    const before = isWritten(state, r);
    let rowDupes: Issue[] | null = null;
    for (let u = 0; u < um.length; u++) {
      const key = (keyArrays[u] as (string | null)[])[r] ?? null;
      if (key === null) continue;
      const list = byKey.rows(u, key);
      let holder: number | undefined;
      for (const h of list) {
        if (h >= r) break;
        if (isWritten(state, h)) {
          holder = h;
          break;
        }
      }
      if (holder === undefined) continue;
      const rk = state.recordKeys[r] ?? null;
      if (rk !== null && rk === (state.recordKeys[holder] ?? null)) continue;
      rowDupes = addIssue(rowDupes, duplicateOf(input, state, um[u] as ResolvedMapping, r, holder));
    }
    if (rowDupes === null) state.dupes.delete(r);
    else state.dupes.set(r, rowDupes);
    // The edited row's values (or record) changed, so rows sharing its values re-decide even if its status did not.
    if (r === edited || before !== isWritten(state, r)) {
      for (let u = 0; u < um.length; u++) enqueueAfter(u, (keyArrays[u] as (string | null)[])[r] ?? null, r);
    }
  }
}
