// The org as the check sees it: per module, the records Bulk Read returned (ids plus the requested columns), read
// from the result CSV by header NAME, case-insensitively, never by position (Zoho's header case and order are not
// documented). Built page by page in the worker; never stored, logged or sent anywhere.
import { FNV_OFFSET, FNV_PRIME, fnv1a } from '../fnv.ts';

/** Records a RecordStore block holds (a power of two: a record's block and place are a shift and a mask). */
const BLOCK_SHIFT = 14;
const BLOCK_RECORDS = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK_RECORDS - 1;

/**
 * The cells a snapshot keeps of its records, record by record: per record, the page its text is in and each kept
 * cell's start and end offsets in that text, side by side in one typed array. Not one string per value: 200,000
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
  readonly texts: string[] = [];
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

  /** Starts a new page; records added next point into `text`. Returns its number. */
  addPage(text: string): number {
    this.texts.push(text);
    return this.texts.length - 1;
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
    for (let b = from; b < this.blocks.length; b++) {
      const block = this.blocks[b]!;
      for (let i = 0; i < block.length; i += 1024) block[i] = 0;
    }
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
    return [this.length, this.texts.length];
  }

  /** Forgets every record and page added after `mark()` answered [length, pages]. */
  truncate([length, pages]: [number, number]): void {
    if (this.anyUnescaped) for (const k of [...this.unescaped.keys()]) if (k >= length * this.width) this.unescaped.delete(k);
    this.length = Math.min(this.length, length);
    this.texts.length = Math.min(this.texts.length, pages);
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
    return s.texts[cells[at]!]!.slice(cells[at + 1 + 2 * this.cell], cells[at + 2 + 2 * this.cell]);
  }

  /** Adds value i to `sink` without cutting it out of its page first (see TextBytes). */
  appendTo(i: number, sink: { pushSlice(text: string, start: number, end: number): void; push(text: string): void }): void {
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
    sink.pushSlice(s.texts[cells[at]!]!, cells[at + 1 + 2 * this.cell]!, cells[at + 2 + 2 * this.cell]!);
  }

  static of(values: readonly string[]): TextColumn {
    const store = new RecordStore(1);
    const page = store.addPage(values.join(''));
    let at = 0;
    for (const v of values) {
      store.setCell(store.addRecord(page), 0, at, at + v.length, null);
      at += v.length;
    }
    return new TextColumn(store, 0);
  }

  toArray(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i));
  }

  /**
   * The hash of value i's key (see `keyHash`), read from the page text without cutting the value out. Values that
   * are not plain ASCII slices (non-ASCII text under `fold`, unescaped quotes) take the string path, so the key is
   * exactly `fold ? text.toLowerCase() : text` in every case. -1 marks an empty value (no key).
   */
  hashAt(i: number, fold: boolean): number {
    const s = this.store;
    const at = (i & BLOCK_MASK) * s.stride;
    const cells = s.blocks[i >>> BLOCK_SHIFT]!;
    const start = cells[at + 1 + 2 * this.cell]!;
    const end = cells[at + 2 + 2 * this.cell]!;
    const u = this.special(i);
    if (u !== undefined) return keyHash(fold ? u.toLowerCase() : u);
    if (start === end) return -1;
    const text = s.texts[cells[at]!]!;
    let h = FNV_OFFSET;
    for (let j = start; j < end; j++) {
      let c = text.charCodeAt(j);
      if (fold) {
        if (c >= 128) return keyHash(text.slice(start, end).toLowerCase());
        if (c >= 65 && c <= 90) c += 32;
      }
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    return h >>> 1;
  }

  /** Whether value i's key equals `key` (already folded when `fold`). */
  keyEquals(i: number, key: string, fold: boolean): boolean {
    const u = this.special(i);
    if (u !== undefined) return (fold ? u.toLowerCase() : u) === key;
    const s = this.store;
    const at = (i & BLOCK_MASK) * s.stride;
    const cells = s.blocks[i >>> BLOCK_SHIFT]!;
    const start = cells[at + 1 + 2 * this.cell]!;
    const end = cells[at + 2 + 2 * this.cell]!;
    const text = s.texts[cells[at]!]!;
    if (end - start !== key.length) return fold && text.slice(start, end).toLowerCase() === key;
    for (let j = start, k = 0; j < end; j++, k++) {
      let c = text.charCodeAt(j);
      if (fold) {
        if (c >= 128) return text.slice(start, end).toLowerCase() === key;
        if (c >= 65 && c <= 90) c += 32;
      }
      if (c !== key.charCodeAt(k)) return false;
    }
    return true;
  }
}

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
 * Adds one result page (its CSV text) to the snapshot. The page must carry `id` and every field the snapshot was
 * planned with; a missing column is an error naming it rather than a snapshot of empty values. One pass over the
 * text: cells are located by offsets and only the id is cut out as a string.
 */
export function addCsvPage(s: ModuleSnapshot, csvText: string): number {
  const reader = new CsvPageReader(s);
  reader.push(csvText);
  return reader.end();
}

interface PageHeader {
  width: number;
  idAt: number;
  /** slotOf[cell position] = the store's cell it feeds (-1: none; the id is store cell 0, fed from idAt). */
  slotOf: Int32Array;
}

/**
 * Reads one result page as its text arrives (decoded piece by piece from the download), so the page is read while
 * the rest of it is still being downloaded and unzipped. Each piece is read in place up to its last line break
 * outside quotes (no copy of the bulk of the text); the record it ends in is held back, and read with the start of
 * the next piece as a short string of its own. The snapshot is the same whatever the pieces (property test in
 * snapshot.test.ts).
 */
export class CsvPageReader {
  private readonly s: ModuleSnapshot;
  private header: PageHeader | null = null;
  private headerRead = false;
  /** Text after the last line break outside quotes: the start of a record not complete yet. */
  private pending: string[] = [];
  /** Whether the text so far ends inside a quoted cell. */
  private inQuotes = false;
  private added = 0;

  constructor(s: ModuleSnapshot) {
    this.s = s;
  }

  push(text: string): void {
    if (text.length === 0) return;
    // Quotes toggle the state (a doubled quote toggles twice); line breaks only count outside them.
    let firstSafe = -1;
    let lastSafe = -1;
    let i = 0;
    while (i < text.length) {
      const q = text.indexOf('"', i);
      if (this.inQuotes) {
        if (q < 0) break;
        this.inQuotes = false;
        i = q + 1;
        continue;
      }
      const segmentEnd = q < 0 ? text.length : q;
      if (firstSafe < 0) {
        const lf = text.indexOf('\n', i);
        if (lf >= 0 && lf < segmentEnd) firstSafe = lf + 1;
      }
      const lf = segmentEnd > i ? text.lastIndexOf('\n', segmentEnd - 1) : -1;
      if (lf >= i) lastSafe = lf + 1;
      if (q < 0) break;
      this.inQuotes = true;
      i = q + 1;
    }
    if (lastSafe < 0) {
      this.pending.push(text);
      return;
    }
    let from = 0;
    if (this.pending.length > 0) {
      // The record the earlier text began ends here: read it (and any record before this first safe line break).
      const head = this.pending.join('') + text.slice(0, firstSafe);
      this.pending = [];
      this.read(head, 0, head.length);
      from = firstSafe;
    }
    if (from < lastSafe) this.read(text, from, lastSafe);
    if (lastSafe < text.length) this.pending.push(text.slice(lastSafe));
  }

  /** Reads what is left (the page's end need not be a line break) and returns the records the page added. */
  end(): number {
    if (this.pending.length > 0) {
      const rest = this.pending.join('');
      this.pending = [];
      this.read(rest, 0, rest.length);
    }
    this.s.pages += 1;
    return this.added;
  }

  /** Reads text[from, to): whole records (the header first, on the page's first read). */
  private read(text: string, from: number, to: number): void {
    let i = from;
    if (!this.headerRead) {
      // The page's first read: a BOM, then the header.
      this.headerRead = true;
      if (text.charCodeAt(i) === 0xfeff) i++;
      const read = readPageHeader(this.s, text, i, to);
      this.header = read.header;
      i = read.next;
    }
    if (this.header !== null && i < to) this.added += addRecords(this.s, this.header, text, i, to);
  }
}

function readPageHeader(s: ModuleSnapshot, text: string, from: number, to: number): { header: PageHeader | null; next: number } {
  const headerEnd = findRecordEnd(text, from, to);
  if (headerEnd.open)
    throw new SnapshotPageError(`The Bulk Read result of ${s.module} ends inside a quoted cell: the download was cut short. Run the check again.`);
  let header: string[] = [];
  forEachCsvRecord(text.slice(from, headerEnd.end), (cells) => {
    header = cells;
  });
  if (header.length === 0) return { header: null, next: headerEnd.next };
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
  return { header: { width, idAt, slotOf }, next: headerEnd.next };
}

/** Adds the whole records of `text` from `from` to `n` (a piece of a page that ends where a record ends). */
function addRecords(s: ModuleSnapshot, h: PageHeader, text: string, from: number, n: number): number {
  const { width, idAt, slotOf } = h;
  const store = s.store;
  let i = from;
  // Records ≤ line breaks: one count up front sizes the store once, so it does not grow (nor move) below.
  let lines = 0;
  for (let at = text.indexOf('\n', i); at >= 0 && at < n; at = text.indexOf('\n', at + 1)) lines++;
  const page = store.addPage(text);
  store.reserve(lines + 1);
  const stride = store.stride;
  // The block of the record being read.
  let cells = store.blocks[0]!;
  let added = 0;
  let cell = 0;
  // The record being read and where its slots start (set when its first cell is read).
  let rec = -1;
  let base = 0;
  const set = (start: number, end: number, unescaped: string | null): void => {
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
  const begin = (): void => {
    rec = store.length++;
    cells = store.blocks[rec >>> BLOCK_SHIFT]!;
    base = (rec & BLOCK_MASK) * stride;
    cells[base] = page;
  };
  // Where the next quote and CR are (looked up again only once passed): a record with neither before its LF is
  // split with the native indexOf, several times faster than reading it a character at a time.
  let nextQuote = -1;
  let nextCr = -1;
  while (i < n) {
    // A blank line between records is not a record.
    if (cell === 0 && (text.charCodeAt(i) === 13 || text.charCodeAt(i) === 10)) {
      i++;
      continue;
    }
    if (cell === 0) {
      begin();
      if (nextQuote < i) nextQuote = text.indexOf('"', i) >>> 0; // -1 → 2^32 - 1: none ahead
      if (nextCr < i) nextCr = text.indexOf('\r', i) >>> 0;
      const lf = text.indexOf('\n', i);
      const recordEnd = lf < 0 || lf > n ? n : lf;
      // The record's cells end before a CRLF's CR; any other CR (or a quote) takes the careful path below.
      const lineEnd = text.charCodeAt(recordEnd - 1) === 13 ? recordEnd - 1 : recordEnd;
      if (nextQuote >= recordEnd && nextCr >= lineEnd) {
        let start = i;
        for (;;) {
          let comma = text.indexOf(',', start);
          if (comma < 0 || comma > lineEnd) comma = lineEnd;
          // `set` without its unescaped branch, written out: calling it here measured a few ms slower a page
          // (parse median ~55 → ~64 ms in alternated bench:org runs, inside the spread, session 24).
          if (cell === idAt) {
            cells[base + 1] = start;
            cells[base + 2] = comma;
          }
          const slot = cell < width ? slotOf[cell]! : -1;
          if (slot > 0) {
            cells[base + 1 + 2 * slot] = start;
            cells[base + 2 + 2 * slot] = comma;
          }
          cell++;
          if (comma === lineEnd) break;
          start = comma + 1;
        }
        if (cell !== width) throw new SnapshotPageError(`The Bulk Read result of ${s.module} has a record with ${cell} cells under a header of ${width}.`);
        added++;
        cell = 0;
        i = recordEnd + 1;
        continue;
      }
    }
    let start: number;
    let end: number;
    let unescaped: string | null = null;
    if (text.charCodeAt(i) === 34) {
      start = i + 1;
      let j = start;
      let doubled = false;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0 || q >= n)
          throw new SnapshotPageError(`The Bulk Read result of ${s.module} ends inside a quoted cell: the download was cut short. Run the check again.`);
        if (text.charCodeAt(q + 1) === 34) {
          doubled = true;
          j = q + 2;
          continue;
        }
        end = q;
        i = q + 1;
        break;
      }
      if (doubled) unescaped = text.slice(start, end).replace(/""/g, '"');
    } else {
      start = i;
      let j = i;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      end = j;
      i = j;
    }
    set(start, end, unescaped);
    cell++;
    const c = text.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i < n) continue;
      // The text ends right after a comma: the record's last cell is empty (and it has no line break).
      set(n, n, null);
      cell++;
    }
    if (c === 13) i++;
    if (text.charCodeAt(i) === 10) i++;
    // End of a record.
    if (cell !== width) throw new SnapshotPageError(`The Bulk Read result of ${s.module} has a record with ${cell} cells under a header of ${width}.`);
    added++;
    cell = 0;
  }
  if (cell !== 0) throw new SnapshotPageError(`The Bulk Read result of ${s.module} has a record with ${cell} cells under a header of ${width}.`);
  return added;
}

/** Where the record starting at `from` ends (exclusive, before its line break, at most `to`) and the next one starts. */
function findRecordEnd(text: string, from: number, to: number): { end: number; next: number; open: boolean } {
  let inQuotes = false;
  for (let j = from; j < to; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) inQuotes = !inQuotes;
    else if (!inQuotes && (c === 10 || c === 13)) {
      const next = c === 13 && text.charCodeAt(j + 1) === 10 ? j + 2 : j + 1;
      return { end: j, next, open: false };
    }
  }
  return { end: to, next: to, open: inQuotes };
}
