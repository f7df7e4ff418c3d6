// Where the one CSV of a result ZIP lies, read from the ZIP's own directory (PKWARE APPNOTE: the end-of-central-
// directory record, the central directory, the entry's local header) without inflating anything, so the caller can
// inflate just that byte range as a stream (decision 157). Pure: the caller reads the byte ranges asked for. The
// worker's streamed Bulk Read unzip (org-page-stream.ts) reads a page's directory with the same functions.

/** An entry of the central directory. */
export interface ZipEntryRef {
  name: string;
  /** 0 stored, 8 deflated; anything else is read by `extractResultCsv` (which says what is wrong). */
  method: number;
  flags: number;
  compressedSize: number;
  /** The entry's size once inflated. */
  size: number;
  localOffset: number;
}

/** Where the central directory is: `offset`, `size` bytes, `count` entries. */
export interface ZipDirectoryRef {
  offset: number;
  size: number;
  count: number;
}

/** Record signatures (little-endian 32-bit): the local header's also read by the worker's streamed Bulk Read unzip, all written by zip-writer.ts. */
export const END_OF_DIRECTORY = 0x06054b50;
export const CENTRAL_HEADER = 0x02014b50;
export const LOCAL_HEADER = 0x04034b50;
/** The end record (22 bytes) plus the longest comment a ZIP can carry. */
export const ZIP_TAIL_BYTES = 22 + 0xffff;
export const LOCAL_HEADER_BYTES = 30;
/** A 32-bit size or offset of this value means "see the ZIP64 record". */
const ZIP64_MARK = 0xffffffff;

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

/**
 * The central directory's place, from the ZIP's last `ZIP_TAIL_BYTES` (or fewer: the whole file) of a file of
 * `zipSize` bytes. Null when there is no end record or it points outside the file (damaged, or ZIP64).
 */
export function findDirectory(tail: Uint8Array, zipSize: number): ZipDirectoryRef | null {
  const v = view(tail);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (v.getUint32(i, true) !== END_OF_DIRECTORY) continue;
    const count = v.getUint16(i + 10, true);
    const size = v.getUint32(i + 12, true);
    const offset = v.getUint32(i + 16, true);
    if (offset === ZIP64_MARK || size === ZIP64_MARK || offset + size > zipSize) return null;
    return { offset, size, count };
  }
  return null;
}

/** The entries of a central directory (`count` of them); null when it is damaged or uses ZIP64 sizes. */
export function readDirectory(dir: Uint8Array, count: number): ZipEntryRef[] | null {
  const v = view(dir);
  const out: ZipEntryRef[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > dir.length || v.getUint32(p, true) !== CENTRAL_HEADER) return null;
    const nameLength = v.getUint16(p + 28, true);
    const skip = nameLength + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
    if (p + 46 + skip > dir.length) return null;
    const entry: ZipEntryRef = {
      flags: v.getUint16(p + 8, true),
      method: v.getUint16(p + 10, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      localOffset: v.getUint32(p + 42, true),
      name: new TextDecoder().decode(dir.subarray(p + 46, p + 46 + nameLength)),
    };
    if (entry.compressedSize === ZIP64_MARK || entry.localOffset === ZIP64_MARK) return null;
    out.push(entry);
    p += 46 + skip;
  }
  return out;
}

/** Where an entry's data starts, from its local header (`LOCAL_HEADER_BYTES` read at its offset); -1 if damaged. */
export function dataStart(header: Uint8Array, entry: ZipEntryRef): number {
  if (header.length < LOCAL_HEADER_BYTES) return -1;
  const v = view(header);
  if (v.getUint32(0, true) !== LOCAL_HEADER) return -1;
  return entry.localOffset + LOCAL_HEADER_BYTES + v.getUint16(26, true) + v.getUint16(28, true);
}

/**
 * The result file among a ZIP's entry names (folders already left out): the one `.csv`, or the only entry; else the
 * message saying what the ZIP holds. Shared by both ways of reading a result ZIP, so they pick the same file.
 */
export function chooseResultEntry(names: readonly string[]): { name: string } | { error: string } {
  const csv = names.filter((n) => n.toLowerCase().endsWith('.csv'));
  const name = csv.length === 1 ? csv[0] : names.length === 1 ? names[0] : undefined;
  return name === undefined ? { error: `The result ZIP holds ${names.length} files (${csv.length} CSV); expected exactly one CSV.` } : { name };
}

export const isFolder = (name: string): boolean => name.endsWith('/');
