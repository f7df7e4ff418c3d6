// The org as the check sees it: per module, the records Bulk Read returned (ids plus the requested columns), read
// from the result CSV by header NAME, case-insensitively, never by position (Zoho's header case and order are not
// documented). Built page by page in the worker; never stored, logged or sent anywhere.
import { FNV_OFFSET, FNV_PRIME, fnv1a } from '../fnv.ts';
import { bytesText } from '../text-bytes.ts';
import { touchPages } from '../typed-list.ts';

/** Records a RecordStore block holds (a power of two: a record's block and place are a shift and a mask). */
const BLOCK_SHIFT = 14;
const BLOCK_RECORDS = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK_RECORDS - 1;

/**
 * The cells a snapshot keeps of its records, record by record: per record, the page its bytes are in and each kept
 * cell's start and end offsets in those bytes, side by side in one typed array. Not one string per value: 200,000
 * records × several fields would otherwise be a million small strings for the garbage collector to trace for as long
 * as the check is open; a value is cut out of its page when it is read. Record by record rather than column by
 * column: the prediction reads several fields of the same record at a random place (a matched row's diff), and
 * its offsets then share a cache line instead of costing three memory reads per field (decision 164).
 */
export class RecordStore {
  /** Kept cells per record. */
  readonly width: number;
  /** Slots per record: its page, then a start and an end per cell. */
  readonly stride: number;
  /** The pages' bytes (UTF-8, as Bulk Read writes them): a page of the store is a piece of a Bulk Read page (decision 170). */
  readonly pages: Uint8Array[] = [];
  /**
   * The slots, BLOCK_RECORDS records a block: the store grows by a block and never copies what it holds (a copy of
   * a 200,000-record store into fresh memory took ~50 ms in Chromium when a 2-record page followed a full one).
   */
  readonly blocks: Uint32Array[] = [];
  /** Values that are not a plain slice of the text (quoted cells holding doubled quotes), by record × width + cell. */
  readonly unescaped = new Map<number, string>();
  /** Whether any value is in `unescaped` (rare): spares a Map lookup per read otherwise. */
  anyUnescaped = false;
  length = 0;

  constructor(width: number) {
    this.width = width;
    this.stride = 1 + 2 * width;
  }

  /** How many records the store has room for before it must add a block. */
  get capacity(): number {
    return this.blocks.length * BLOCK_RECORDS;
  }

  /** Starts a new page; records added next point into `bytes`. Returns its number. */
  addPage(bytes: Uint8Array): number {
    this.pages.push(bytes);
    return this.pages.length - 1;
  }

  /** Makes room for `more` records beyond the current ones, a block at a time. */
  reserve(more: number): void {
    while (this.length + more > this.capacity) this.blocks.push(new Uint32Array(BLOCK_RECORDS * this.stride));
  }

  /**
   * Makes room for `records` more records and writes to every memory page of the new blocks, so the system maps
   * them now (see `prefaultRecords`).
   */
  prefault(records: number): void {
    const from = this.blocks.length;
    this.reserve(records);
    for (let b = from; b < this.blocks.length; b++) touchPages(this.blocks[b]!);
  }

  /** Lets go of the blocks no record is in (room made for records that did not come). */
  trim(): void {
    this.blocks.length = Math.ceil(this.length / BLOCK_RECORDS);
  }

  /** Adds a record whose cells are in page `page`; returns its number. Its cells are set with `setCell`. */
  addRecord(page: number): number {
    this.reserve(1);
    const r = this.length++;
    this.blocks[r >>> BLOCK_SHIFT]![(r & BLOCK_MASK) * this.stride] = page;
    return r;
  }

  setCell(record: number, cell: number, start: number, end: number, unescaped: string | null): void {
    const block = this.blocks[record >>> BLOCK_SHIFT]!;
    const at = (record & BLOCK_MASK) * this.stride + 1 + 2 * cell;
    block[at] = start;
    block[at + 1] = end;
    if (unescaped !== null) {
      this.unescaped.set(record * this.width + cell, unescaped);
      this.anyUnescaped = true;
    }
  }

  /** How far the store goes (records, pages): what `truncate` goes back to. */
  mark(): [number, number] {
    return [this.length, this.pages.length];
  }

  /** Forgets every record and page added after `mark()` answered [length, pages]. */
  truncate([length, pages]: [number, number]): void {
    if (this.anyUnescaped) for (const k of [...this.unescaped.keys()]) if (k >= length * this.width) this.unescaped.delete(k);
    this.length = Math.min(this.length, length);
    this.pages.length = Math.min(this.pages.length, pages);
  }
}

/**
 * The values of one kept cell of a store's records ('' when empty), in record order: record i's value is cut out of
 * its page when it is read.
 */
export class TextColumn {
  constructor(
    private readonly store: RecordStore,
    private readonly cell: number,
  ) {}

  get length(): number {
    return this.store.length;
  }

  /** How many values the column has room for before its store must grow. */
  get capacity(): number {
    return this.store.capacity;
  }

  /** Value i when it is not a plain slice of its page (rare), else undefined. */
  private special(i: number): string | undefined {
    const s = this.store;
    return s.anyUnescaped ? s.unescaped.get(i * s.width + this.cell) : undefined;
  }

  get(i: number): string {
    const s = this.store;
    if (i < 0 || i >= s.length) return '';
    const u = this.special(i);
    if (u !== undefined) return u;
    const at = (i & BLOCK_MASK) * s.stride;
    const cells = s.blocks[i >>> BLOCK_SHIFT]!;
    return bytesText(s.pages[cells[at]!]!, cells[at + 1 + 2 * this.cell]!, cells[at + 2 + 2 * this.cell]!);
  }

  /** Adds value i to `sink` without cutting it out of its page first (see TextBytes). */
  appendTo(i: number, sink: { pushBytes(bytes: Uint8Array, start: number, end: number): void; push(text: string): void }): void {
    const s = this.store;
    if (i < 0 || i >= s.length) {
      sink.push('');
      return;
    }
    const u = this.special(i);
    if (u !== undefined) {
      sink.push(u);
      return;
    }
    const at = (i & BLOCK_MASK) * s.stride;
    const cells = s.blocks[i >>> BLOCK_SHIFT]!;
    sink.pushBytes(s.pages[cells[at]!]!, cells[at + 1 + 2 * this.cell]!, cells[at + 2 + 2 * this.cell]!);
  }

  static of(values: readonly string[]): TextColumn {
    const store = new RecordStore(1);
    const encoded = values.map((v) => UTF8_ENCODER.encode(v));
    const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
    const page = store.addPage(bytes);
    let at = 0;
    for (const e of encoded) {
      bytes.set(e, at);
      store.setCell(store.addRecord(page), 0, at, at + e.length, null);
      at += e.length;
    }
    return new TextColumn(store, 0);
  }

  toArray(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i));
  }

  /**
   * The hash of value i's key (see `keyHash`), read from the page's bytes without cutting the value out. Values
   * that are not plain ASCII (any byte ≥ 128: UTF-8 of other characters) or not a plain slice (unescaped quotes) take
   * the string path, so the key is exactly `fold ? text.toLowerCase() : text` in every case. -1 marks an empty value
   * (no key).
   */
  hashAt(i: number, fold: boolean): number {
    const s = this.store;
    const at = (i & BLOCK_MASK) * s.stride;
    const cells = s.blocks[i >>> BLOCK_SHIFT]!;
    const start = cells[at + 1 + 2 * this.cell]!;
    const end = cells[at + 2 + 2 * this.cell]!;
    const u = this.special(i);
    if (u !== undefined) return keyHash(fold ? u.toLowerCase() : u);
    return hashKeyBytes(s.pages[cells[at]!]!, start, end, fold);
  }

  /** Whether value i's key equals `key` (already folded when `fold`). */
  keyEquals(i: number, key: string, fold: boolean): boolean {
    const u = this.special(i);
    if (u !== undefined) return (fold ? u.toLowerCase() : u) === key;
    const s = this.store;
    const at = (i & BLOCK_MASK) * s.stride;
    const cells = s.blocks[i >>> BLOCK_SHIFT]!;
    return keyBytesEqual(s.pages[cells[at]!]!, cells[at + 1 + 2 * this.cell]!, cells[at + 2 + 2 * this.cell]!, key, fold);
  }
}

/**
 * keyHash of the key of the value in bytes[start, end) (UTF-8; folded to lower case when `fold`), worked out on the
 * bytes while they are ASCII; a value with a byte ≥ 128 is decoded and hashed as text, so the hash is exactly
 * keyHash(fold ? text.toLowerCase() : text). -1 for an empty value (no key).
 */
function hashKeyBytes(bytes: Uint8Array, start: number, end: number, fold: boolean): number {
  if (start === end) return -1;
  let h = FNV_OFFSET;
  for (let j = start; j < end; j++) {
    let c = bytes[j]!;
    if (c >= 128) {
      const text = bytesText(bytes, start, end);
      return keyHash(fold ? text.toLowerCase() : text);
    }
    if (fold && c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h >>> 1;
}

/** Whether the value in bytes[start, end) (UTF-8) has key `key` (already folded when `fold`). */
function keyBytesEqual(bytes: Uint8Array, start: number, end: number, key: string, fold: boolean): boolean {
  if (end - start !== key.length) {
    // An ASCII value of another length is another key (folding ASCII keeps the length).
    for (let j = start; j < end; j++) if (bytes[j]! >= 128) return textKeyEquals(bytes, start, end, key, fold);
    return false;
  }
  // Up to the first byte ≥ 128, a byte is a character; from there on the value is compared as text.
  for (let j = start, k = 0; j < end; j++, k++) {
    let c = bytes[j]!;
    if (c >= 128) return textKeyEquals(bytes, start, end, key, fold);
    if (fold && c >= 65 && c <= 90) c += 32;
    if (c !== key.charCodeAt(k)) return false;
  }
  return true;
}

function textKeyEquals(bytes: Uint8Array, start: number, end: number, key: string, fold: boolean): boolean {
  const text = bytesText(bytes, start, end);
  return (fold ? text.toLowerCase() : text) === key;
}

const UTF8_ENCODER = new TextEncoder();

/** FNV-1a of a key string, kept non-negative (-1 is "no key"). */
export function keyHash(key: string): number {
  return fnv1a(key) >>> 1;
}

/** `KeyIndex.get` answers: no record holds the key, or several do. A record's own answer is its index (≥ 0). */
export const NO_RECORD = -1;
export const SEVERAL_RECORDS = -2;

/**
 * key → record index of one column of a snapshot, for 200,000 records without a string per record: an
 * open-addressing table of record indexes (hashes alongside), compared against the page text on a probe. `fold`
 * is a unique field's case rule (keys compare as `toLowerCase()` unless it is case-sensitive).
 */
export class KeyIndex {
  /** Per slot, side by side: the record index (-1: empty) and its key's hash — one cache line read per probe. */
  private readonly table: Int32Array;
  private readonly mask: number;
  /** Records whose key another record also holds (the first holder's slot answers SEVERAL_RECORDS). */
  private readonly shared = new Set<number>();

  constructor(
    private readonly column: TextColumn,
    private readonly fold: boolean,
  ) {
    let size = 16;
    while (size < column.length * 2) size *= 2;
    const table = new Int32Array(size * 2).fill(-1);
    this.table = table;
    this.mask = size - 1;
    for (let i = 0; i < column.length; i++) {
      const h = column.hashAt(i, fold);
      if (h < 0) continue;
      let s = h & this.mask;
      for (;;) {
        const at = table[2 * s]!;
        if (at < 0) {
          table[2 * s] = i;
          table[2 * s + 1] = h;
          break;
        }
        if (table[2 * s + 1] === h && this.sameKey(at, i)) {
          this.shared.add(at);
          break;
        }
        s = (s + 1) & this.mask;
      }
    }
  }

  private sameKey(a: number, b: number): boolean {
    const kb = this.fold ? this.column.get(b).toLowerCase() : this.column.get(b);
    return this.column.keyEquals(a, kb, this.fold);
  }

  /**
   * The record holding `key` (a folded key when the index folds), NO_RECORD, or SEVERAL_RECORDS. `hash` is
   * keyHash(key) when the caller has it already.
   */
  get(key: string, hash = -1): number {
    if (key === '') return NO_RECORD;
    const h = hash < 0 ? keyHash(key) : hash;
    const table = this.table;
    let s = h & this.mask;
    for (;;) {
      const at = table[2 * s]!;
      if (at < 0) return NO_RECORD;
      if (table[2 * s + 1] === h && this.column.keyEquals(at, key, this.fold)) return this.shared.has(at) ? SEVERAL_RECORDS : at;
      s = (s + 1) & this.mask;
    }
  }

  /** Every record holding `key`, in record order (only asked for shared keys; a scan). */
  holders(key: string): number[] {
    return recordsHolding(this.column, key, this.fold);
  }
}

/** Every record whose value of `col` has key `key` (folded when `fold`), in record order: a scan, for the rare shared key. */
export function recordsHolding(col: TextColumn, key: string, fold: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < col.length; i++) if (col.hashAt(i, fold) >= 0 && col.keyEquals(i, key, fold)) out.push(i);
  return out;
}

/** One module's records: `ids.get(i)` and `columns.get(apiName).get(i)` describe record i. */
export interface ModuleSnapshot {
  module: string;
  /** The records' kept cells (the id first, then the requested fields in order), as offsets into the page text. */
  store: RecordStore;
  /**
   * The records' ids, kept as offsets into the page text like every other column: a string per id would be 200,000
   * strings a page, made while the page is read and copied by the garbage collector as they survive.
   */
  ids: TextColumn;
  /** Requested field → values in record order ('' when empty). */
  columns: Map<string, TextColumn>;
  pages: number;
}

export function emptySnapshot(module: string, fields: readonly string[]): ModuleSnapshot {
  const store = new RecordStore(1 + fields.length);
  return { module, store, ids: new TextColumn(store, 0), columns: new Map(fields.map((f, i) => [f, new TextColumn(store, 1 + i)])), pages: 0 };
}

/** The most records a page is sized for up front: Bulk Read's page size (docs/org-apis.md), whatever a count says. */
export const PAGE_RECORDS_MAX = 200_000;

/**
 * Makes room for `records` more records before a page is read, from the count its job reports: the blocks are
 * allocated before the first byte rather than while the page's pieces are read. A count beyond a page's size is not
 * trusted (a wrong count only costs blocks allocated early, or later).
 */
export function reserveRecords(s: ModuleSnapshot, records: number): void {
  if (!Number.isInteger(records) || records <= 0) return;
  s.store.reserve(Math.min(records, PAGE_RECORDS_MAX) + 16);
}

/**
 * Room for a first page of records, its memory mapped before the page arrives: the worker does this while Zoho
 * prepares the Bulk Read (the worker is otherwise idle then). A typed array's memory is mapped by the system on its
 * first write, and on this machine writing 12 MB of fresh memory cost ~37–40 ms (a worker micro-benchmark in
 * Chromium); without this, that cost fell on the page read, after the download. `trimSnapshot` lets go of what the
 * pages did not use.
 */
export function prefaultRecords(s: ModuleSnapshot, records: number = PAGE_RECORDS_MAX): void {
  s.store.prefault(records);
}

/** Lets go of room made for records that did not come (once the pages are read). */
export function trimSnapshot(s: ModuleSnapshot): void {
  s.store.trim();
  dropSpareSlabs(s);
}

/** Where a snapshot stands, so a page that fails half-read can be taken out again (`rollBack`). */
export interface SnapshotMark {
  store: [number, number];
  pages: number;
}

export function markSnapshot(s: ModuleSnapshot): SnapshotMark {
  return { store: s.store.mark(), pages: s.pages };
}

/** Takes out every record added since `m` was taken. */
export function rollBack(s: ModuleSnapshot, m: SnapshotMark): void {
  s.store.truncate(m.store);
  s.pages = m.pages;
}

/**
 * RFC 4180 records of a CSV text (quotes doubled inside quoted cells, CRLF or LF). Calls `each` per record with a
 * reused-free fresh array. Returns false when a quote is left open (a truncated file).
 */
export function forEachCsvRecord(text: string, each: (cells: string[]) => void): boolean {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let cells: string[] = [];
  while (i < n) {
    let cell: string;
    if (text.charCodeAt(i) === 34) {
      // quoted cell
      let out = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return false;
        out += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          out += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      cell = out;
      i = j;
    } else {
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      cell = text.slice(i, j);
      i = j;
    }
    cells.push(cell);
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i === n) cells.push('');
      continue;
    }
    // end of record (CR, LF, CRLF or end of text)
    if (c === 13) i++;
    if (text.charCodeAt(i) === 10) i++;
    if (!(cells.length === 1 && cells[0] === '')) each(cells);
    cells = [];
  }
  if (cells.length > 0) each(cells);
  return true;
}

export class SnapshotPageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotPageError';
  }
}

/** Index of a header cell by API name, case-insensitively and ignoring a BOM and spaces. -1 when absent. */
export function headerIndex(header: readonly string[], apiName: string): number {
  const want = apiName.trim().toLowerCase();
  return header.findIndex(
    (h) =>
      h
        .replace(/^\uFEFF/, '')
        .trim()
        .toLowerCase() === want,
  );
}

/**
 * Adds one result page (its CSV, as text or as its UTF-8 bytes) to the snapshot. The page must carry `id` and every
 * field the snapshot was planned with; a missing column is an error naming it rather than a snapshot of empty values.
 */
export function addCsvPage(s: ModuleSnapshot, csv: string | Uint8Array): number {
  const reader = new CsvPageReader(s);
  reader.push(typeof csv === 'string' ? UTF8_ENCODER.encode(csv) : csv);
  return reader.end();
}

interface PageHeader {
  width: number;
  idAt: number;
  /** slotOf[cell position] = the store's cell it feeds (-1: none; the id is store cell 0, fed from idAt). */
  slotOf: Int32Array;
}

/** Bytes of page memory taken at a time (a record is never split between two: see CsvPageReader). */
export const PAGE_SLAB_BYTES = 4 * 1024 * 1024;
/** Bytes read at a time once they have arrived (fewer, longer reads; a record cut at the end is read again). */
const READ_AT = 64 * 1024;

/**
 * Page memory of a snapshot: slabs of PAGE_SLAB_BYTES made, and written once in every memory page, before a page
 * arrives (`prefaultPageBytes`, during the Bulk Read wait); the page's bytes are copied into them as they arrive.
 */
const spareSlabs = new WeakMap<ModuleSnapshot, Uint8Array[]>();

/** A slab of at least `bytes` for `s`'s next page memory: a spare one made ahead when it is large enough. */
function takeSlab(s: ModuleSnapshot, bytes: number): Uint8Array {
  const spare = spareSlabs.get(s);
  if (spare !== undefined && spare.length > 0 && spare[spare.length - 1]!.length >= bytes) return spare.pop()!;
  return new Uint8Array(bytes);
}

/**
 * Memory for `bytes` of Bulk Read page, made and mapped now (the system maps a new array's memory on its first
 * write: on the machine of decision 166, ~3 ms a MB): the worker does this while Zoho prepares the Bulk Read.
 * `trimSnapshot` lets go of what the pages did not use.
 */
export function prefaultPageBytes(s: ModuleSnapshot, bytes: number): void {
  const spare = spareSlabs.get(s) ?? [];
  spareSlabs.set(s, spare);
  for (let made = 0; made < bytes; made += PAGE_SLAB_BYTES) {
    const slab = new Uint8Array(PAGE_SLAB_BYTES);
    touchPages(slab);
    spare.push(slab);
  }
}

/** Lets go of page memory made ahead and not used. */
function dropSpareSlabs(s: ModuleSnapshot): void {
  spareSlabs.delete(s);
}

/**
 * Reads one result page as its bytes arrive (inflated piece by piece from the download), so the page is read while
 * the rest of it is still being downloaded and unzipped. The bytes are copied into the page memory (slabs of
 * PAGE_SLAB_BYTES) and records are read in place, as offsets; a record not complete yet at the end of what has
 * arrived is read again once more has (it is taken out meanwhile), and one that does not fit in a slab's end moves
 * whole to the next slab, so a record's cells are always in one slab. Not decoded to a string: a page's text as
 * strings was fresh memory the worker wrote after the download (decision 170). The snapshot is the same whatever the
 * pieces (property test in snapshot.test.ts).
 */
export class CsvPageReader {
  private readonly s: ModuleSnapshot;
  private header: PageHeader | null = null;
  private headerRead = false;
  private slab: Uint8Array | null = null;
  /** The store's page number of the slab. */
  private page = -1;
  /** Bytes in the slab, and where the next record (or the header) starts in it. */
  private used = 0;
  private next = 0;
  private added = 0;
  private ended = false;
  private readonly slabBytes: number;

  /** `slabBytes`: the page memory's slab size (tests make it small, so records move between slabs often). */
  constructor(s: ModuleSnapshot, slabBytes = PAGE_SLAB_BYTES) {
    this.s = s;
    this.slabBytes = slabBytes;
  }

  push(bytes: Uint8Array): void {
    let from = 0;
    while (from < bytes.length) {
      if (this.slab === null || this.used === this.slab.length) this.nextSlab(bytes.length - from);
      const slab = this.slab!;
      const n = Math.min(bytes.length - from, slab.length - this.used);
      slab.set(n === bytes.length ? bytes : bytes.subarray(from, from + n), this.used);
      this.used += n;
      from += n;
      // A full slab is read as far as it goes before the rest moves on.
      if (this.used === slab.length) this.read(false);
    }
    if (this.used - this.next >= READ_AT) this.read(false);
  }

  /** A new slab, holding the unread end of the last one (the start of a record) first. */
  private nextSlab(incoming: number): void {
    const old = this.slab;
    const carry = old === null ? 0 : this.used - this.next;
    // A record longer than half a slab gets a slab of twice its length so far and what is arriving (so it is copied
    // a few times, not every time).
    const slab = takeSlab(this.s, carry > this.slabBytes / 2 ? 2 * carry + incoming : this.slabBytes);
    if (old !== null && carry > 0) slab.set(old.subarray(this.next, this.used), 0);
    this.slab = slab;
    this.page = this.s.store.addPage(slab);
    this.used = carry;
    this.next = 0;
  }

  /** Reads what is left (the page's end need not be a line break) and returns the records the page added. */
  end(): number {
    if (!this.ended) {
      this.ended = true;
      if (this.slab !== null) this.read(true);
      this.s.pages += 1;
    }
    return this.added;
  }

  /** Reads the whole records that have arrived (`last`: everything has; the end of the bytes ends a record). */
  private read(last: boolean): void {
    const b = this.slab!;
    let i = this.next;
    const n = this.used;
    if (!this.headerRead) {
      // A BOM, then the header.
      if (n - i < 3 && !last) return;
      const bom = b[i] === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf ? 3 : 0;
      const end = findRecordEnd(b, i + bom, n);
      if (end.open) {
        if (last) throw cutShort(this.s);
        return;
      }
      if (!end.found && !last) return;
      this.headerRead = true;
      this.header = readPageHeader(this.s, bytesText(b, i + bom, end.end));
      i = end.next;
      this.next = i;
    }
    if (this.header !== null && i < n) {
      const r = addRecords(this.s, this.header, this.page, b, i, n, last);
      this.added += r.added;
      this.next = r.next;
    } else if (this.header === null) this.next = n;
  }
}

function cutShort(s: ModuleSnapshot): SnapshotPageError {
  return new SnapshotPageError(`The Bulk Read result of ${s.module} ends inside a quoted cell: the download was cut short. Run the check again.`);
}

function readPageHeader(s: ModuleSnapshot, line: string): PageHeader | null {
  let header: string[] = [];
  forEachCsvRecord(line, (cells) => {
    header = cells;
  });
  if (header.length === 0) return null;
  const width = header.length;
  const idAt = headerIndex(header, 'id');
  if (idAt < 0) throw new SnapshotPageError(`The Bulk Read result of ${s.module} has no id column (header: ${header.slice(0, 8).join(', ')}).`);
  const slotOf = new Int32Array(width).fill(-1);
  let slot = 0;
  for (const apiName of s.columns.keys()) {
    slot++;
    const at = headerIndex(header, apiName);
    if (at < 0)
      throw new SnapshotPageError(
        `The Bulk Read result of ${s.module} has no ${apiName} column, which the check asked for (header: ${header.slice(0, 8).join(', ')}).`,
      );
    slotOf[at] = slot;
  }
  return { width, idAt, slotOf };
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Adds the records of bytes[from, n) of page `page`. Unless `last`, a record the bytes end inside (no line break
 * yet, an open quote, a quote that may be the first of a doubled pair) is not added: `next` is where it starts.
 */
function addRecords(s: ModuleSnapshot, h: PageHeader, page: number, b: Uint8Array, from: number, n: number, last: boolean): { added: number; next: number } {
  const { width, idAt, slotOf } = h;
  const store = s.store;
  const stride = store.stride;
  let added = 0;
  let i = from;
  while (i < n) {
    const c0 = b[i]!;
    // A blank line between records is not a record.
    if (c0 === LF || c0 === CR) {
      i++;
      continue;
    }
    const start = i;
    if (store.length === store.capacity) store.reserve(1);
    const rec = store.length;
    const cells = store.blocks[rec >>> BLOCK_SHIFT]!;
    const base = (rec & BLOCK_MASK) * stride;
    cells[base] = page;
    // The plain record (no quote, no CR but one right before its LF): cells split at commas in one pass over its
    // bytes. `j` ends at its LF (or n); `lineEnd` is where its last cell ends (before a CRLF's CR).
    let cell = 0;
    let cellStart = i;
    let j = i;
    let lineEnd = -1;
    let plain = true;
    for (; j < n; j++) {
      const c = b[j]!;
      // Letters, digits, '@', '.', '-' are above the comma: one comparison for most bytes (~30 % off this loop).
      if (c > COMMA) continue;
      if (c === COMMA || c === LF || c === CR) {
        if (c === CR) {
          if (j + 1 < n && b[j + 1] === LF) j++;
          else {
            // A lone CR (or one the bytes end after): the careful way.
            plain = false;
            break;
          }
        }
        const cellEnd = c === CR ? j - 1 : j;
        if (cell === idAt) {
          cells[base + 1] = cellStart;
          cells[base + 2] = cellEnd;
        }
        const slot = cell < width ? slotOf[cell]! : -1;
        if (slot > 0) {
          cells[base + 1 + 2 * slot] = cellStart;
          cells[base + 2 + 2 * slot] = cellEnd;
        }
        cell++;
        cellStart = j + 1;
        if (c !== COMMA) {
          lineEnd = cellEnd;
          break;
        }
      } else if (c === QUOTE) {
        plain = false;
        break;
      }
    }
    if (plain && lineEnd < 0) {
      // The bytes end inside the record: read it again once more has arrived — or, at the page's end, it is the
      // last record, without a line break: the careful way below reads it to the end.
      if (!last) return { added, next: start };
      plain = false;
    }
    if (plain) {
      if (cell !== width) throw ragged(s, cell, width);
      store.length++;
      added++;
      i = j + 1;
      continue;
    }
    // The careful way: quoted cells (doubled quotes inside), CRs.
    const r = readQuotedRecord(s, h, rec, b, start, n, last);
    if (r < 0) {
      // Not complete yet: whatever it set aside is taken out again.
      if (store.anyUnescaped) for (let k = 0; k < store.width; k++) store.unescaped.delete(rec * store.width + k);
      return { added, next: start };
    }
    store.length++;
    added++;
    i = r;
  }
  return { added, next: i };
}

function ragged(s: ModuleSnapshot, cells: number, width: number): SnapshotPageError {
  return new SnapshotPageError(`The Bulk Read result of ${s.module} has a record with ${cells} cells under a header of ${width}.`);
}

/**
 * Reads record `rec` from bytes[from, n) cell by cell (quotes and CRs allowed): where the next record starts, or -1
 * when the bytes end before the record does (and `last` is false).
 */
function readQuotedRecord(s: ModuleSnapshot, h: PageHeader, rec: number, b: Uint8Array, from: number, n: number, last: boolean): number {
  const { width, idAt, slotOf } = h;
  const store = s.store;
  const cells = store.blocks[rec >>> BLOCK_SHIFT]!;
  const base = (rec & BLOCK_MASK) * store.stride;
  const set = (cell: number, start: number, end: number, unescaped: string | null): void => {
    if (cell === idAt) {
      cells[base + 1] = start;
      cells[base + 2] = end;
      if (unescaped !== null) store.setCell(rec, 0, start, end, unescaped);
    }
    const slot = cell < width ? slotOf[cell]! : -1;
    if (slot > 0) {
      cells[base + 1 + 2 * slot] = start;
      cells[base + 2 + 2 * slot] = end;
      if (unescaped !== null) store.setCell(rec, slot, start, end, unescaped);
    }
  };
  let i = from;
  let cell = 0;
  for (;;) {
    let start: number;
    let end: number;
    let unescaped: string | null = null;
    if (b[i] === QUOTE) {
      start = i + 1;
      let j = start;
      let doubled = false;
      for (;;) {
        const q = b.indexOf(QUOTE, j);
        if (q < 0 || q >= n) {
          if (last) throw cutShort(s);
          return -1;
        }
        // A quote at the very end may be the first of a doubled pair: it ends the cell here, but then the bytes end
        // right after the cell, so the record is read again once more has arrived (below).
        if (b[q + 1] === QUOTE) {
          doubled = true;
          j = q + 2;
          continue;
        }
        end = q;
        i = q + 1;
        break;
      }
      if (doubled) unescaped = bytesText(b, start, end).replace(/""/g, '"');
    } else {
      start = i;
      let j = i;
      while (j < n) {
        const c = b[j]!;
        if (c <= COMMA && (c === COMMA || c === LF || c === CR)) break;
        j++;
      }
      end = j;
      i = j;
    }
    set(cell, start, end, unescaped);
    cell++;
    if (i >= n) {
      // The bytes end right after the cell: the record ends here only when nothing more comes.
      if (!last) return -1;
      break;
    }
    const c = b[i]!;
    if (c === COMMA) {
      i++;
      if (i < n) continue;
      if (!last) return -1;
      // The page ends right after a comma: the record's last cell is empty (and it has no line break).
      set(cell, n, n, null);
      cell++;
      break;
    }
    // End of the record: CR, LF or CRLF (a CR at the very end is followed, if at all, by an LF read as a blank line).
    if (c === CR) i++;
    if (i < n && b[i] === LF) i++;
    break;
  }
  if (cell !== width) throw ragged(s, cell, width);
  return i;
}

/** Where the record starting at `from` ends (before its line break, at most `to`), where the next one starts, and whether a line break was found. */
function findRecordEnd(b: Uint8Array, from: number, to: number): { end: number; next: number; open: boolean; found: boolean } {
  let inQuotes = false;
  for (let j = from; j < to; j++) {
    const c = b[j]!;
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes && (c === LF || c === CR)) {
      const next = c === CR && b[j + 1] === LF ? j + 2 : j + 1;
      return { end: j, next, open: false, found: true };
    }
  }
  return { end: to, next: to, open: inQuotes, found: false };
}
