// The reconciled rows of an import, packed (decision 153). A job's rows keep a status byte and their record id as a
// 64-bit number, and point at the job's provenance (its typed arrays, shared); only rows with errors keep their
// text. At a million rows one object and one id string per row were ~73 MB the tab kept at Results; packed, ~9 MB.
// A row is read as a `RowOutcome` object made when it is asked for.

export type RowStatus = 'ADDED' | 'UPDATED' | 'SKIPPED' | 'UNPROCESSED';

/** One error of a result row: Zoho's code, the field API name ('' when none) and a plain-language reason. */
export interface RowErrorReason {
  code: string;
  apiName: string;
  reason: string;
}

export interface RowOutcome {
  job: number;
  rowInJob: number;
  rowIndex: number;
  line: number;
  status: RowStatus;
  recordId: string | null;
  /** The raw ERRORS cell as Zoho sent it. */
  errorsText: string;
  /** Shared and frozen when empty: never changed in place. */
  errors: readonly RowErrorReason[];
}

const STATUS_OF: readonly RowStatus[] = ['ADDED', 'UPDATED', 'SKIPPED', 'UNPROCESSED'];
const CODE_OF: Readonly<Record<RowStatus, number>> = { ADDED: 0, UPDATED: 1, SKIPPED: 2, UNPROCESSED: 3 };
const NO_ERRORS: readonly RowErrorReason[] = Object.freeze([]);
/** Zoho's record ids are decimal numbers of up to 19 digits, which fit 64 bits; any other id is kept as text. */
const NUMERIC_ID = /^[1-9][0-9]{0,18}$/;

interface RowErrors {
  text: string;
  errors: readonly RowErrorReason[];
}

/** One job's rows, packed. */
interface Packed {
  kind: 'packed';
  job: number;
  length: number;
  /** rowInJob of row k; null when it is k (every result row had a status we know). */
  rowInJob: Uint32Array | null;
  /** The job's provenance by rowInJob (shared with its part); a row at or past their end is unknown (-1). */
  rowIndexes: Uint32Array;
  lines: Uint32Array;
  status: Uint8Array;
  /** Numeric record ids; 0 = no id, or an id kept in `otherIds`. */
  ids: BigUint64Array;
  otherIds: Map<number, string> | null;
  errors: Map<number, RowErrors> | null;
}

/** Rows given as objects (a failed job listed for retry, tests); `jobOffset` is added to their job. */
interface Listed {
  kind: 'listed';
  length: number;
  items: readonly RowOutcome[];
  jobOffset: number;
}

type Segment = Packed | Listed;

/** The outcomes of one or more jobs, in order; read like a read-only array of `RowOutcome`. */
export class RowOutcomes implements Iterable<RowOutcome> {
  readonly length: number;
  readonly #segments: readonly Segment[];
  /** starts[s] = index of segment s's first row. */
  readonly #starts: number[];
  #last = 0;

  private constructor(segments: readonly Segment[]) {
    this.#segments = segments.filter((s) => s.length > 0);
    this.#starts = [];
    let n = 0;
    for (const s of this.#segments) {
      this.#starts.push(n);
      n += s.length;
    }
    this.length = n;
  }

  static readonly EMPTY = new RowOutcomes([]);

  /** Rows given as objects, as they are. */
  static of(items: readonly RowOutcome[]): RowOutcomes {
    return new RowOutcomes([{ kind: 'listed', length: items.length, items, jobOffset: 0 }]);
  }

  /** One job's packed rows (what `OutcomeBuilder` makes). */
  static packed(segment: Packed): RowOutcomes {
    return new RowOutcomes([segment]);
  }

  /** The rows of several lists one after the other. */
  static concat(lists: readonly RowOutcomes[]): RowOutcomes {
    return new RowOutcomes(lists.flatMap((l) => l.#segments));
  }

  /** The same rows with `offset` added to each job number (jobs of several runs merged into one list). */
  withJobOffset(offset: number): RowOutcomes {
    if (offset === 0) return this;
    return new RowOutcomes(this.#segments.map((s) => (s.kind === 'packed' ? { ...s, job: s.job + offset } : { ...s, jobOffset: s.jobOffset + offset })));
  }

  /** Segment holding row i and i's place in it (sequential reads find it at once). */
  #locate(i: number): [Segment, number] | null {
    if (i < 0 || i >= this.length || !Number.isInteger(i)) return null;
    const starts = this.#starts;
    let s = this.#last;
    if (!(starts[s]! <= i && (s + 1 >= starts.length || i < starts[s + 1]!))) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= i) lo = mid;
        else hi = mid - 1;
      }
      s = lo;
      this.#last = s;
    }
    return [this.#segments[s]!, i - starts[s]!];
  }

  /** Row i as an object (a new one each call for packed rows); undefined out of range. */
  at(i: number): RowOutcome | undefined {
    const found = this.#locate(i);
    if (!found) return undefined;
    const [seg, k] = found;
    if (seg.kind === 'listed') return shifted(seg, k);
    const rowInJob = seg.rowInJob ? seg.rowInJob[k]! : k;
    const known = rowInJob < seg.rowIndexes.length;
    const err = seg.errors?.get(k);
    return {
      job: seg.job,
      rowInJob,
      rowIndex: known ? seg.rowIndexes[rowInJob]! : -1,
      line: known ? seg.lines[rowInJob]! : -1,
      status: STATUS_OF[seg.status[k]!]!,
      recordId: packedId(seg, k),
      errorsText: err?.text ?? '',
      errors: err?.errors ?? NO_ERRORS,
    };
  }

  /** Row i's status, without making its object. */
  statusAt(i: number): RowStatus | undefined {
    const found = this.#locate(i);
    if (!found) return undefined;
    const [seg, k] = found;
    return seg.kind === 'listed' ? seg.items[k]!.status : STATUS_OF[seg.status[k]!];
  }

  /** Row i's index into the file's rows (-1: not known), without making its object. */
  rowIndexAt(i: number): number | undefined {
    const found = this.#locate(i);
    if (!found) return undefined;
    const [seg, k] = found;
    if (seg.kind === 'listed') return seg.items[k]!.rowIndex;
    const rowInJob = seg.rowInJob ? seg.rowInJob[k]! : k;
    return rowInJob < seg.rowIndexes.length ? seg.rowIndexes[rowInJob]! : -1;
  }

  *[Symbol.iterator](): Iterator<RowOutcome> {
    for (let i = 0; i < this.length; i++) yield this.at(i) as RowOutcome;
  }

  filter(keep: (o: RowOutcome, i: number) => boolean): RowOutcome[] {
    const out: RowOutcome[] = [];
    for (let i = 0; i < this.length; i++) {
      const o = this.at(i) as RowOutcome;
      if (keep(o, i)) out.push(o);
    }
    return out;
  }

  /** Rows of these statuses, read by their status byte first (a million ADDED rows make no object for a retry). */
  withStatus(statuses: ReadonlySet<RowStatus>): RowOutcome[] {
    const out: RowOutcome[] = [];
    for (let i = 0; i < this.length; i++) if (statuses.has(this.statusAt(i) as RowStatus)) out.push(this.at(i) as RowOutcome);
    return out;
  }

  map<T>(each: (o: RowOutcome, i: number) => T): T[] {
    const out = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = each(this.at(i) as RowOutcome, i);
    return out;
  }

  /** Whether the rows are in (job, rowInJob) order: a packed job is in order by construction, so only its ends count. */
  ordered(): boolean {
    let prev: RowOutcome | undefined;
    for (const [s, seg] of this.#segments.entries()) {
      const start = this.#starts[s]!;
      if (seg.kind === 'listed') {
        for (let k = 0; k < seg.length; k++) {
          const o = this.at(start + k) as RowOutcome;
          if (prev && !inOrder(prev, o)) return false;
          prev = o;
        }
        continue;
      }
      const first = this.at(start) as RowOutcome;
      if (prev && !inOrder(prev, first)) return false;
      prev = this.at(start + seg.length - 1);
    }
    return true;
  }
}

function inOrder(a: RowOutcome, b: RowOutcome): boolean {
  return a.job < b.job || (a.job === b.job && a.rowInJob <= b.rowInJob);
}

function shifted(seg: Listed, k: number): RowOutcome {
  const o = seg.items[k]!;
  return seg.jobOffset === 0 ? o : { ...o, job: o.job + seg.jobOffset };
}

function packedId(seg: Packed, k: number): string | null {
  const n = seg.ids[k]!;
  if (n !== 0n) return String(n);
  return seg.otherIds?.get(k) ?? null;
}

/** Collects one job's rows as they are joined (`JobReconciler`), at most `capacity` of them. */
export class OutcomeBuilder {
  readonly #job: number;
  readonly #rowIndexes: Uint32Array;
  readonly #lines: Uint32Array;
  readonly #status: Uint8Array;
  readonly #ids: BigUint64Array;
  #rowInJob: Uint32Array | null = null;
  #otherIds: Map<number, string> | null = null;
  #errors: Map<number, RowErrors> | null = null;
  #n = 0;

  constructor(job: number, capacity: number, provenance: { rowIndexes: Uint32Array; lines: Uint32Array }) {
    this.#job = job;
    this.#rowIndexes = provenance.rowIndexes;
    this.#lines = provenance.lines;
    this.#status = new Uint8Array(capacity);
    this.#ids = new BigUint64Array(capacity);
  }

  push(rowInJob: number, status: RowStatus, recordId: string | null, errorsText: string, errors: readonly RowErrorReason[]): void {
    const k = this.#n++;
    if (this.#rowInJob === null && rowInJob !== k) {
      this.#rowInJob = new Uint32Array(this.#status.length);
      for (let j = 0; j < k; j++) this.#rowInJob[j] = j;
    }
    if (this.#rowInJob !== null) this.#rowInJob[k] = rowInJob;
    this.#status[k] = CODE_OF[status];
    if (recordId !== null) {
      if (NUMERIC_ID.test(recordId)) this.#ids[k] = BigInt(recordId);
      else (this.#otherIds ??= new Map()).set(k, recordId);
    }
    if (errorsText !== '' || errors.length > 0) (this.#errors ??= new Map()).set(k, { text: errorsText, errors });
  }

  build(): RowOutcomes {
    const n = this.#n;
    return RowOutcomes.packed({
      kind: 'packed',
      job: this.#job,
      length: n,
      rowInJob: this.#rowInJob?.subarray(0, n) ?? null,
      rowIndexes: this.#rowIndexes,
      lines: this.#lines,
      status: this.#status.subarray(0, n),
      ids: this.#ids.subarray(0, n),
      otherIds: this.#otherIds,
      errors: this.#errors,
    });
  }
}
