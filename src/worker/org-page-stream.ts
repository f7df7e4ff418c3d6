// One Bulk Read result page arriving in pieces as it downloads (decision 144). The ZIP's single CSV entry is inflated
// by the platform's own DecompressionStream (native zlib: faster than inflating in JavaScript, and nothing to compile
// on a first run) as the bytes arrive, and read into the snapshot piece by piece, so most of the page is read
// by the time its last byte arrives. Zoho's and the emulator's ZIPs may give the entry's sizes only after its data (a
// data descriptor): the last bytes are then held back until the ZIP's central directory, at the very end, says where
// the data ends, and what was inflated is checked against the size it records. Anything else (a stored entry, a first
// entry that is not the CSV, no DecompressionStream) is read the plain way once complete: every byte kept, then
// unzipped whole. A page that fails, or that a new download attempt replaces, is taken out of the snapshot again.
import { strFromU8, unzipSync } from 'fflate';
import { findDirectory, LOCAL_HEADER, readDirectory } from '../domain/jobs/result-zip.ts';
import {
  CsvPageReader,
  markSnapshot,
  reserveRecords,
  rollBack,
  SnapshotPageError,
  type ModuleSnapshot,
  type SnapshotMark,
} from '../domain/org-check/snapshot.ts';

export interface PageTiming {
  unzipMs: number;
  /** Copying the inflated bytes into the page memory and reading them (decision 170: nothing is decoded). */
  parseMs: number;
}

const DEFLATE = 8;
/** Bytes kept from the end of the download: enough for the end-of-directory record and a one-entry directory. */
const TAIL = 128 * 1024;
/** Bytes held back from the inflater while the entry's compressed size is unknown (see Mode). */
const HOLD = 64 * 1024;

type Mode =
  /** Still reading the local header of the first entry. */
  | { kind: 'header' }
  /**
   * Inflating the CSV entry as it comes. `left`: compressed bytes still to feed (-1: unknown until the directory
   * is read — a data descriptor); then the last HOLD bytes are held back (`held`), since they may be the
   * descriptor and the directory rather than data, and the directory says at the end how many of them are data.
   */
  | { kind: 'inflate'; writer: WritableStreamDefaultWriter<BufferSource>; reading: Promise<void>; left: number; held: LastBytes; fed: number }
  /** Not the common layout: every byte kept, unzipped whole at the end. */
  | { kind: 'whole' };

/** The pieces as one array. */
export const concatBytes = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/**
 * The last bytes of a download, kept as the pieces they came in (no copy until they are asked for): copying the
 * last 64–128 KB again with every piece was ~8 % of the page read in a trace (session 25).
 */
export class LastBytes {
  private pieces: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly keep: number) {}

  /** Adds a piece; returns the bytes no longer needed to hold the last `keep` bytes, oldest first (views, not copies). */
  push(piece: Uint8Array): Uint8Array[] {
    if (piece.length === 0) return [];
    this.pieces.push(piece);
    this.size += piece.length;
    const out: Uint8Array[] = [];
    while (this.size > this.keep) {
      const first = this.pieces[0]!;
      const excess = this.size - this.keep;
      if (first.length <= excess) {
        out.push(this.pieces.shift()!);
        this.size -= first.length;
      } else {
        out.push(first.subarray(0, excess));
        this.pieces[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
    return out;
  }

  /** The bytes kept: the last `keep` (all, when fewer came), in one array. */
  bytes(): Uint8Array {
    return this.pieces.length === 1 ? this.pieces[0]! : concatBytes(this.pieces);
  }
}

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

export class OrgPageStream {
  readonly attempt: number;
  private readonly snapshot: ModuleSnapshot;
  private readonly mark: SnapshotMark;
  private readonly timing: PageTiming;
  private readonly reader: CsvPageReader;
  private mode: Mode = { kind: 'header' };
  /** Every byte so far while the mode is 'header' or 'whole'. */
  private kept: Uint8Array[] = [];
  /** The last TAIL bytes (for the central directory), and how many bytes came in all. */
  private readonly tail = new LastBytes(TAIL);
  private received = 0;
  private inflated = 0;
  /** The CSV's size as the local header gives it (-1: given after the data, in the descriptor and directory). */
  private expected = -1;
  private streamEnded = false;
  /** When the first byte arrived, and the time spent reading since (for the 'unzip' share). */
  private firstByteAt = -1;
  private busyMs = 0;
  private error: Error | null = null;

  /** `records`: the count Zoho gives for the page, if any: its columns are sized for them before the first byte. */
  constructor(snapshot: ModuleSnapshot, attempt: number, timing: PageTiming, records?: number) {
    this.snapshot = snapshot;
    this.attempt = attempt;
    this.timing = timing;
    this.mark = markSnapshot(snapshot);
    if (records !== undefined) reserveRecords(snapshot, records);
    this.reader = new CsvPageReader(snapshot);
  }

  private unreadable(why: string): SnapshotPageError {
    return new SnapshotPageError(`The Bulk Read result of ${this.snapshot.module} is not a readable ZIP (${why}). Run the check again.`);
  }

  /** The next piece of the download. Problems are kept for `end` (the main thread is not waiting on a piece). */
  push(bytes: Uint8Array): void {
    if (this.error || bytes.length === 0) return;
    if (this.firstByteAt < 0) this.firstByteAt = performance.now();
    this.received += bytes.length;
    this.tail.push(bytes);
    const mode = this.mode;
    if (mode.kind === 'inflate') {
      this.feed(mode, bytes);
      return;
    }
    this.kept.push(bytes);
    if (mode.kind === 'header') this.tryStart();
  }

  /** Once the first entry's local header is complete: inflate it as it comes, or keep everything for the end. */
  private tryStart(): void {
    const head = this.kept.length === 1 ? this.kept[0]! : concatBytes(this.kept);
    this.kept = [head];
    if (head.length < 30) return;
    const nameLength = u16(head, 26);
    const dataAt = 30 + nameLength + u16(head, 28);
    if (u32(head, 0) === LOCAL_HEADER && head.length < dataAt) return;
    const flags = u16(head, 6);
    const method = u16(head, 8);
    const name = strFromU8(head.subarray(30, 30 + nameLength), (flags & 0x800) === 0).toLowerCase();
    const described = (flags & 0x8) !== 0;
    const size = u32(head, 18);
    const usable =
      u32(head, 0) === LOCAL_HEADER &&
      method === DEFLATE &&
      (flags & 0x1) === 0 && // not encrypted
      name.endsWith('.csv') &&
      (described || size !== 0xffffffff) && // zip64 sizes are left to the plain way
      typeof DecompressionStream === 'function';
    if (!usable) {
      this.mode = { kind: 'whole' };
      return;
    }
    const inflater = new DecompressionStream('deflate-raw');
    const writer = inflater.writable.getWriter();
    // A write's failure is seen by the reading side; the writer's own promises are not waited on.
    writer.closed.catch(() => undefined);
    this.expected = described ? -1 : u32(head, 22);
    const mode: Extract<Mode, { kind: 'inflate' }> = {
      kind: 'inflate',
      writer,
      reading: this.read(inflater.readable),
      left: described ? -1 : size,
      held: new LastBytes(HOLD),
      fed: 0,
    };
    this.mode = mode;
    this.kept = [];
    this.feed(mode, head.subarray(dataAt));
  }

  private feed(mode: Extract<Mode, { kind: 'inflate' }>, bytes: Uint8Array): void {
    if (mode.left >= 0) {
      const piece = bytes.length > mode.left ? bytes.subarray(0, mode.left) : bytes;
      mode.left -= piece.length;
      this.write(mode, piece);
    } else for (const piece of mode.held.push(bytes)) this.write(mode, piece);
  }

  private write(mode: Extract<Mode, { kind: 'inflate' }>, piece: Uint8Array): void {
    if (piece.length === 0) return;
    mode.fed += piece.length;
    mode.writer.write(piece as Uint8Array<ArrayBuffer>).catch(() => undefined);
  }

  private async read(readable: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<void> {
    const r = readable.getReader();
    try {
      for (;;) {
        const { done, value } = await r.read();
        if (done) break;
        this.inflated += value.length;
        this.take(value);
      }
      this.streamEnded = true;
    } catch (e) {
      this.error ??= this.unreadable(e instanceof Error ? e.message : String(e));
    }
  }

  /** Inflated bytes into the page reader (copied into the page memory and read as far as whole records go). */
  private take(bytes: Uint8Array): void {
    const t0 = performance.now();
    if (!this.error) {
      try {
        this.reader.push(bytes);
      } catch (e) {
        this.error = e instanceof Error ? e : new Error(String(e));
      }
    }
    const t1 = performance.now();
    this.timing.parseMs += t1 - t0;
    this.busyMs += t1 - t0;
  }

  /** The download is complete: the records the page added. Rejects (the page taken out again) when it is unusable. */
  async end(): Promise<number> {
    try {
      const mode = this.mode;
      if (mode.kind === 'inflate') {
        const directory = this.directory();
        if (mode.left < 0) {
          // The directory says how long the entry's data is: the held-back bytes up to there are data.
          if (directory === null) throw this.cutShort();
          this.write(mode, mode.held.bytes().subarray(0, Math.max(0, directory.firstCompressed - mode.fed)));
        }
        await mode.writer.close().catch(() => undefined);
        await mode.reading;
        if (this.error) throw this.error;
        // Inflating (native, between the pieces read) and waiting for bytes: the rest of the time since the first.
        this.timing.unzipMs += Math.max(0, performance.now() - this.firstByteAt - this.busyMs);
        if (!this.streamEnded) throw this.cutShort();
        if (directory !== null && directory.csvFiles !== 1) throw this.notOneCsv(directory.csvFiles);
        // With the size after the data, a download cut off inside the directory cannot be trusted either.
        if (this.inflated !== (this.expected >= 0 ? this.expected : (directory?.firstSize ?? -1))) throw this.cutShort();
      } else this.readWhole();
      if (this.error) throw this.error;
      const t0 = performance.now();
      const added = this.reader.end();
      this.timing.parseMs += performance.now() - t0;
      return added;
    } catch (e) {
      this.abandon();
      throw e;
    }
  }

  private notOneCsv(count: number): SnapshotPageError {
    return new SnapshotPageError(`The Bulk Read result of ${this.snapshot.module} holds ${count} CSV files instead of one.`);
  }

  private cutShort(): SnapshotPageError {
    return new SnapshotPageError(`The Bulk Read result of ${this.snapshot.module} was cut short: its CSV file ends early. Run the check again.`);
  }

  /**
   * The ZIP's central directory, read from the end of the download with the result-ZIP reader (result-zip.ts): how
   * many CSV entries it lists and the sizes of its first entry (the one inflated). null when the bytes kept from the
   * end of the download hold no readable directory.
   */
  private directory(): { csvFiles: number; firstSize: number; firstCompressed: number } | null {
    const t = this.tail.bytes();
    const ref = findDirectory(t, this.received);
    // Where the directory starts among the bytes kept (they are the download's last t.length bytes).
    const at = ref === null ? -1 : ref.offset - (this.received - t.length);
    if (ref === null || at < 0) return null;
    const entries = readDirectory(t.subarray(at, at + ref.size), ref.count);
    const first = entries?.[0];
    if (!entries || !first) return null;
    return { csvFiles: entries.filter((e) => e.name.toLowerCase().endsWith('.csv')).length, firstSize: first.size, firstCompressed: first.compressedSize };
  }

  /** The plain way: the whole ZIP unzipped at once, its single CSV entry read. */
  private readWhole(): void {
    const t0 = performance.now();
    let files: Record<string, Uint8Array>;
    try {
      files = unzipSync(concatBytes(this.kept));
    } catch (e) {
      throw this.unreadable(e instanceof Error ? e.message : String(e));
    } finally {
      this.kept = [];
    }
    const names = Object.keys(files).filter((n) => n.toLowerCase().endsWith('.csv'));
    if (names.length !== 1) throw this.notOneCsv(names.length);
    this.timing.unzipMs += performance.now() - t0;
    this.take(files[names[0]!]!);
  }

  /**
   * Takes whatever this page added out of the snapshot (a failed page, or one a new attempt replaces), and stops it
   * for good: its inflater may still hold data queued, which must not reach the snapshot after the rollback.
   */
  abandon(): void {
    this.error ??= new SnapshotPageError(`The download of this Bulk Read page of ${this.snapshot.module} was replaced.`);
    if (this.mode.kind === 'inflate') this.mode.writer.abort().catch(() => undefined);
    rollBack(this.snapshot, this.mark);
  }
}
