// Safe reading of an uploaded ZIP: central directory parsed by hand (exactly one CSV entry, no encryption, no
// ZIP64), the one entry inflated by native zlib with an output cap so a zip bomb is stopped at the cap without
// inflating it all. Entry names are returned as text for display only — never used as paths.
import { inflateRawSync } from 'node:zlib';
import { ZohoError } from './errors.ts';

export interface ZipEntryData {
  /** The entry's name as stored in the ZIP, for display (job details `file.name`). Never a filesystem path. */
  displayName: string;
  bytes: Uint8Array;
}

const badFormat = (message: string): ZohoError => new ZohoError(400, 'INVALID_FILE_FORMAT', message, {});
const tooLarge = (cap: number): ZohoError =>
  new ZohoError(413, 'FILE_TOO_LARGE', `The CSV inside the ZIP inflates past ${cap} bytes; split it into smaller files.`, { limit: cap });

interface CdEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function findEocd(buf: Uint8Array, view: DataView): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) {
    if (view.getUint32(i, true) === 0x06054b50) return i;
  }
  return -1;
}

function readCentralDirectory(buf: Uint8Array): CdEntry[] {
  if (buf.length < 22 || buf[0] !== 0x50 || buf[1] !== 0x4b) throw badFormat('The upload is not a ZIP file; compress the CSV into a ZIP and upload that.');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const eocd = findEocd(buf, view);
  if (eocd < 0) throw badFormat('The ZIP is damaged (no end-of-central-directory record); re-create the ZIP.');
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw badFormat('ZIP64 archives are not accepted; a Bulk Write ZIP is at most 25 MB.');
  if (cdOffset + cdSize > buf.length) throw badFormat('The ZIP is damaged (central directory out of range); re-create the ZIP.');
  const entries: CdEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || view.getUint32(p, true) !== 0x02014b50) throw badFormat('The ZIP is damaged (bad central directory entry); re-create the ZIP.');
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const flags = view.getUint16(p + 8, true);
    const name = new TextDecoder('utf-8', { fatal: false }).decode(buf.subarray(p + 46, p + 46 + nameLen));
    entries.push({
      name,
      flags,
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Extract the single CSV of a Bulk Write ZIP, refusing anything else. `maxInflated` caps the CSV's size. */
export function extractSingleCsv(buf: Uint8Array, maxInflated: number): ZipEntryData {
  const all = readCentralDirectory(buf);
  const files = all.filter((e) => !e.name.endsWith('/'));
  if (files.length !== 1) {
    throw badFormat(`The ZIP must hold exactly one CSV file; it holds ${files.length} files. Put one CSV per ZIP.`);
  }
  const entry = files[0]!;
  if (!/\.csv$/i.test(entry.name)) throw badFormat('The file inside the ZIP is not a .csv file; put the CSV itself in the ZIP.');
  if (entry.flags & 0x1) throw badFormat('The ZIP is encrypted (password-protected); upload an unencrypted ZIP.');
  if (entry.method !== 0 && entry.method !== 8)
    throw badFormat('The ZIP uses a compression method other than store/deflate; re-create it with a standard ZIP tool.');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const lo = entry.localOffset;
  if (lo + 30 > buf.length || view.getUint32(lo, true) !== 0x04034b50) throw badFormat('The ZIP is damaged (bad local header); re-create the ZIP.');
  if (view.getUint16(lo + 6, true) & 0x1) throw badFormat('The ZIP is encrypted (password-protected); upload an unencrypted ZIP.');
  const start = lo + 30 + view.getUint16(lo + 26, true) + view.getUint16(lo + 28, true);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw badFormat('The ZIP is damaged (entry data out of range); re-create the ZIP.');
  const compressed = buf.subarray(start, end);
  const displayName = entry.name.split(/[\\/]/).pop() ?? 'upload.csv';

  if (entry.method === 0) {
    if (compressed.length > maxInflated) throw tooLarge(maxInflated);
    // A view, not a copy: the caller owns `buf` and keeps it no longer than the entry (issue 12 D5).
    return { displayName, bytes: compressed };
  }
  // Declared size is attacker-controlled: only a hint for early refusal. The real count happens WHILE inflating:
  // zlib's maxOutputLength makes the native inflater stop (ERR_BUFFER_TOO_LARGE) as soon as the output would pass
  // the cap, so a zip bomb costs at most `maxInflated` bytes of memory and a few milliseconds.
  if (entry.size > maxInflated) throw tooLarge(maxInflated);
  try {
    const out = inflateRawSync(compressed, { maxOutputLength: Math.max(1, maxInflated) });
    return { displayName, bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw tooLarge(maxInflated);
    throw badFormat('The ZIP entry could not be decompressed (corrupt data); re-create the ZIP.');
  }
}
