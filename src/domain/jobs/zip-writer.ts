// A one-entry ZIP (PKWARE APPNOTE: local header, data, central directory, end record) around deflated bytes that
// were made elsewhere — the platform's native zlib, through a gzip member (RFC 1952), which carries the deflate data,
// its CRC-32 and the input's size. JSZip, which zips the CSV otherwise, can only deflate in JavaScript (~2.5× slower
// here), and fflate's streamed ZIP writes the sizes after the data (a data descriptor). This writes the sizes and the
// CRC in the local header, as JSZip does, so a Bulk Write ZIP has the same layout whichever deflater made it.
// Decision 158. Pure: bytes in, bytes out.

import { CENTRAL_HEADER, END_OF_DIRECTORY, LOCAL_HEADER } from './result-zip.ts';

/** Version 2.0 (deflate) needed to extract; "made by" MS-DOS 2.0, as JSZip's platform 'DOS' writes. */
const VERSION = 20;
const DEFLATE = 8;
const UTF8_NAME = 0x800;

/** A gzip member's parts: the raw deflate data, the CRC-32 and the size (mod 2^32) of what was compressed. */
export interface GzipParts {
  deflated: Uint8Array;
  crc: number;
  size: number;
}

/**
 * The deflate data, CRC-32 and input size of one gzip member, or null unless it is the plain form a deflater writes:
 * magic 1f 8b, method 8, no optional fields (flags 0, so the header is exactly 10 bytes), an 8-byte trailer.
 */
export function gzipParts(gzip: Uint8Array): GzipParts | null {
  if (gzip.length < 18 || gzip[0] !== 0x1f || gzip[1] !== 0x8b || gzip[2] !== DEFLATE || gzip[3] !== 0) return null;
  const v = new DataView(gzip.buffer, gzip.byteOffset, gzip.byteLength);
  return { deflated: gzip.subarray(10, gzip.length - 8), crc: v.getUint32(gzip.length - 8, true), size: v.getUint32(gzip.length - 4, true) };
}

/** MS-DOS time and date of `d` in UTC (2-second steps; years from 1980), as a ZIP header holds them. */
function dosTimeDate(d: Date): { time: number; date: number } {
  const year = Math.min(2107, Math.max(1980, d.getUTCFullYear()));
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

/**
 * A ZIP holding one file `entryName` whose deflated data, CRC-32 and size are `parts` (`rawLength` = the file's
 * length, which must agree with the gzip member's size; null when it does not, or when a 32-bit size would not hold
 * it: a Bulk Write CSV is at most 25 MB).
 */
export function zipOneDeflated(entryName: string, parts: GzipParts, rawLength: number, modified: Date): Uint8Array | null {
  if (rawLength > 0xfffffffe || parts.deflated.length > 0xfffffffe || parts.size !== rawLength) return null;
  const name = new TextEncoder().encode(entryName);
  // eslint-disable-next-line no-control-regex -- the ASCII range is the point
  const flags = /^[\x00-\x7f]*$/.test(entryName) ? 0 : UTF8_NAME;
  const { time, date } = dosTimeDate(modified);
  const localLength = 30 + name.length;
  const centralLength = 46 + name.length;
  const dataEnd = localLength + parts.deflated.length;
  const out = new Uint8Array(dataEnd + centralLength + 22);
  const v = new DataView(out.buffer);
  // The fields the local and central headers share, from `at` (the local header's offset 4, the central's 6).
  const common = (at: number) => {
    v.setUint16(at, VERSION, true);
    v.setUint16(at + 2, flags, true);
    v.setUint16(at + 4, DEFLATE, true);
    v.setUint16(at + 6, time, true);
    v.setUint16(at + 8, date, true);
    v.setUint32(at + 10, parts.crc, true);
    v.setUint32(at + 14, parts.deflated.length, true);
    v.setUint32(at + 18, rawLength, true);
    v.setUint16(at + 22, name.length, true);
    v.setUint16(at + 24, 0, true); // no extra field
  };
  v.setUint32(0, LOCAL_HEADER, true);
  common(4);
  out.set(name, 30);
  out.set(parts.deflated, localLength);
  const c = dataEnd;
  v.setUint32(c, CENTRAL_HEADER, true);
  v.setUint16(c + 4, VERSION, true); // made by
  common(c + 6);
  // comment length, disk number, internal and external attributes, local header offset: all 0.
  out.set(name, c + 46);
  const e = c + centralLength;
  v.setUint32(e, END_OF_DIRECTORY, true);
  v.setUint16(e + 8, 1, true); // entries on this disk
  v.setUint16(e + 10, 1, true); // entries in all
  v.setUint32(e + 12, centralLength, true);
  v.setUint32(e + 16, c, true);
  return out;
}
