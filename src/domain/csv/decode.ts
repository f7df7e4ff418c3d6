// Bytes → text without ever guessing silently: BOM, strict UTF-8, UTF-16 heuristic and legacy encodings only
// as proposals the user confirms; magic-byte detection of files that are not CSV (bad-inputs #1, #3, #6–#13).

import type { ChangedLine, DecodeOptions, DecodedText, EncodingInfo, EncodingProposal, FileIssue, NonCsvKind } from './types.ts';

const MAGIC: ReadonlyArray<{ kind: NonCsvKind; bytes: readonly number[] }> = [
  { kind: 'xlsx-or-zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { kind: 'xlsx-or-zip', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { kind: 'xls', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { kind: 'pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { kind: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { kind: 'gif', bytes: [0x47, 0x49, 0x46, 0x38] },
];

const NON_CSV_MESSAGE: Record<NonCsvKind, string> = {
  'xlsx-or-zip':
    'This looks like an Excel workbook (XLSX) or a ZIP archive, not a CSV file. Open it in Excel and save it as CSV (File ▸ Save As ▸ CSV UTF-8), then choose that file.',
  xls: 'This looks like an Excel workbook (XLS), not a CSV file. Open it in Excel and save it as CSV (File ▸ Save As ▸ CSV UTF-8), then choose that file.',
  pdf: 'This is a PDF document, not a CSV file. Export the data as CSV (UTF-8) from the program that made it, then choose that file.',
  png: 'This is a PNG image, not a CSV file. Choose the CSV file that holds your records.',
  jpeg: 'This is a JPEG image, not a CSV file. Choose the CSV file that holds your records.',
  gif: 'This is a GIF image, not a CSV file. Choose the CSV file that holds your records.',
};

/** Legacy encodings offered when strict UTF-8 fails, in the order shown to the user. */
export const FALLBACK_ENCODINGS = [
  'windows-1252',
  'iso-8859-15',
  'windows-1250',
  'iso-8859-2',
  'shift_jis',
  'euc-jp',
  'gbk',
  'big5',
  'euc-kr',
  'koi8-r',
  'windows-1251',
] as const;

const PREVIEW_LINES = 50;
const LINE_LIST_CAP = 200;

export function detectNonCsv(bytes: Uint8Array): NonCsvKind | null {
  for (const m of MAGIC) {
    if (bytes.length >= m.bytes.length && m.bytes.every((b, i) => bytes[i] === b)) return m.kind;
  }
  return null;
}

// windows-1252's 0x80–0x9F block. Node 20's TextDecoder decodes 'windows-1252' as ISO-8859-1 (C1 controls
// instead of € “ ” …), so this one single-byte table is applied by hand; browsers and Node then agree.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d,
  0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  const parts: string[] = [];
  const step = 8192;
  const codes = new Uint16Array(step);
  for (let i = 0; i < bytes.length; i += step) {
    const end = Math.min(i + step, bytes.length);
    for (let k = i; k < end; k++) {
      const b = bytes[k] as number;
      codes[k - i] = b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] as number) : b;
    }
    parts.push(String.fromCharCode(...codes.subarray(0, end - i)));
  }
  return parts.join('');
}

/** Decode with a streaming TextDecoder in chunks; identical output for every chunk size (bad-inputs #13). */
export function decodeChunked(bytes: Uint8Array, label: string, fatal: boolean, chunkSize?: number): string {
  const decoder = new TextDecoder(label, { fatal, ignoreBOM: true });
  if (decoder.encoding === 'windows-1252') return decodeWindows1252(bytes);
  if (!chunkSize || chunkSize >= bytes.length) return decoder.decode(bytes);
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    parts.push(decoder.decode(bytes.subarray(i, Math.min(i + chunkSize, bytes.length)), { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

function tryDecode(bytes: Uint8Array, label: string, chunkSize?: number): string | null {
  try {
    return decodeChunked(bytes, label, true, chunkSize);
  } catch {
    return null;
  }
}

interface Utf8Scan {
  invalidLines: number[];
  invalidCount: number;
  validMultibyte: number;
}

/** Find invalid UTF-8 sequences and the 1-based lines they sit on (only run after a strict decode failed). */
export function scanUtf8(bytes: Uint8Array): Utf8Scan {
  const invalidLines: number[] = [];
  let invalidCount = 0;
  let validMultibyte = 0;
  let line = 1;
  const n = bytes.length;
  let i = 0;
  const bad = (): void => {
    invalidCount++;
    if (invalidLines[invalidLines.length - 1] !== line) invalidLines.push(line);
    i++;
  };
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const c = bytes[k];
    return c !== undefined && c >= lo && c <= hi;
  };
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
      i++;
    } else if (b >= 0xc2 && b <= 0xdf) {
      if (cont(i + 1)) {
        i += 2;
        validMultibyte++;
      } else bad();
    } else if (b >= 0xe0 && b <= 0xef) {
      const lo = b === 0xe0 ? 0xa0 : 0x80;
      const hi = b === 0xed ? 0x9f : 0xbf;
      if (cont(i + 1, lo, hi) && cont(i + 2)) {
        i += 3;
        validMultibyte++;
      } else bad();
    } else if (b >= 0xf0 && b <= 0xf4) {
      const lo = b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xf4 ? 0x8f : 0xbf;
      if (cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3)) {
        i += 4;
        validMultibyte++;
      } else bad();
    } else {
      bad();
    }
  }
  return { invalidLines, invalidCount, validMultibyte };
}

/** 1-based lines of every occurrence of `ch` in `text` (CRLF, LF and lone CR each end a line). */
export function linesContaining(text: string, ch: string): number[] {
  const out: number[] = [];
  let line = 1;
  let scanned = 0;
  let at = text.indexOf(ch);
  while (at !== -1) {
    line += countLineBreaks(text, scanned, at);
    scanned = at;
    if (out[out.length - 1] !== line) out.push(line);
    at = text.indexOf(ch, at + 1);
  }
  return out;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

function listLines(lines: readonly number[]): string {
  const shown = lines.slice(0, 20).join(', ');
  return lines.length > 20 ? `${shown} and ${lines.length - 20} more` : shown;
}

function buildProposal(name: string, before: string, after: string): EncodingProposal {
  const b = splitLines(before);
  const a = splitLines(after);
  const changed: ChangedLine[] = [];
  let total = 0;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const bl = b[i] ?? '';
    const al = a[i] ?? '';
    if (bl !== al) {
      total++;
      if (changed.length < PREVIEW_LINES) changed.push({ line: i + 1, before: bl.replace(/\0/g, '␀'), after: al });
    }
  }
  return { name, changedLines: changed, totalChangedLines: total };
}

function utf16Guess(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const len = Math.min(bytes.length, 8192) & ~1;
  if (len < 2) return null;
  let zEven = 0;
  let zOdd = 0;
  for (let i = 0; i < len; i += 2) {
    if (bytes[i] === 0) zEven++;
    if (bytes[i + 1] === 0) zOdd++;
  }
  const pairs = len / 2;
  if (zOdd > 0.3 * pairs && zEven < 0.05 * pairs) return 'utf-16le';
  if (zEven > 0.3 * pairs && zOdd < 0.05 * pairs) return 'utf-16be';
  return null;
}

function pickFallback(bytes: Uint8Array, chunkSize?: number): { name: string; text: string; alternatives: string[] } {
  const alternatives: string[] = [];
  const decoded = new Map<string, string>();
  for (const label of FALLBACK_ENCODINGS) {
    const t = tryDecode(bytes, label, chunkSize);
    if (t !== null) {
      alternatives.push(label);
      decoded.set(label, t);
    }
  }
  // Japanese text is mostly high bytes; Western text in windows-1252 has a few accented letters among ASCII.
  let high = 0;
  let visible = 0;
  for (const b of bytes) {
    if (b > 0x20) visible++;
    if (b >= 0x80) high++;
  }
  const sjis = decoded.get('shift_jis');
  if (sjis !== undefined && visible > 0 && high / visible > 0.25) return { name: 'shift_jis', text: sjis, alternatives };
  return { name: 'windows-1252', text: decoded.get('windows-1252') ?? decodeChunked(bytes, 'windows-1252', false, chunkSize), alternatives };
}

function nulIssue(text: string): FileIssue | null {
  if (!text.includes('\0')) return null;
  const lines = linesContaining(text, '\0');
  return {
    code: 'NUL_BYTES',
    severity: 'error',
    scope: 'file',
    lines: lines.slice(0, LINE_LIST_CAP),
    line: lines[0],
    message: `NUL bytes (0x00) on line${lines.length > 1 ? 's' : ''} ${listLines(lines)}. A CSV file never holds NUL characters: the file is damaged or in another encoding (try UTF-16). Remove them and save the file again, or pick the right encoding.`,
  };
}

function withText(text: string, encoding: EncodingInfo, issues: FileIssue[], bytes: number): DecodedText {
  const nul = nulIssue(text);
  return { text, encoding, issues: nul ? [...issues, nul] : issues, bytes };
}

/** Decode a whole file's bytes. Blocking problems come back as `error` issues; nothing is replaced silently. */
export function decode(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedText {
  const size = bytes.length;
  const chunk = opts.chunkSize;
  const blank: EncodingInfo = { name: 'utf-8', source: 'utf8', bom: false, confirmed: true };
  if (size === 0) {
    return {
      text: null,
      encoding: blank,
      bytes: 0,
      issues: [
        {
          code: 'EMPTY_FILE',
          severity: 'error',
          scope: 'file',
          message: 'The file is empty (0 bytes). Choose a CSV file with a header row and at least one data row.',
        },
      ],
    };
  }
  const nonCsv = detectNonCsv(bytes);
  if (nonCsv) {
    return {
      text: null,
      encoding: blank,
      bytes: size,
      nonCsv,
      issues: [{ code: 'NOT_CSV', severity: 'error', scope: 'file', message: NON_CSV_MESSAGE[nonCsv] }],
    };
  }

  // BOM: decides the encoding outright and is removed (bad-inputs #6, #7).
  let bomName: string | null = null;
  let bomLen = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bomName = 'utf-8';
    bomLen = 3;
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    bomName = 'utf-16le';
    bomLen = 2;
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    bomName = 'utf-16be';
    bomLen = 2;
  }
  const body = bomLen ? bytes.subarray(bomLen) : bytes;
  const bom = bomLen > 0;

  const user = opts.encoding?.trim().toLowerCase();
  if (user && user !== 'utf-8' && user !== 'utf8') {
    const name = new TextDecoder(user).encoding; // throws RangeError on an unknown label — the UI offers a fixed list
    const strict = tryDecode(body, name, chunk);
    const info: EncodingInfo = { name, source: 'user', bom, confirmed: true };
    if (strict !== null) return withText(strict, info, [], size);
    const loose = decodeChunked(body, name, false, chunk);
    const lines = linesContaining(loose, '\uFFFD');
    return {
      text: null,
      encoding: { ...info, confirmed: false },
      bytes: size,
      issues: [
        {
          code: 'INVALID_BYTES',
          severity: 'error',
          scope: 'file',
          line: lines[0],
          lines: lines.slice(0, LINE_LIST_CAP),
          message: `Bytes on line${lines.length > 1 ? 's' : ''} ${listLines(lines)} are not valid ${name}. Pick another encoding.`,
        },
      ],
    };
  }

  if (bomName && bomName !== 'utf-8') {
    const text = tryDecode(body, bomName, chunk);
    const info: EncodingInfo = { name: bomName, source: 'bom', bom, confirmed: true };
    if (text !== null) return withText(text, info, [], size);
    const loose = decodeChunked(body, bomName, false, chunk);
    const lines = linesContaining(loose, '\uFFFD');
    return {
      text: null,
      encoding: info,
      bytes: size,
      issues: [
        {
          code: 'INVALID_BYTES',
          severity: 'error',
          scope: 'file',
          line: lines[0],
          lines: lines.slice(0, LINE_LIST_CAP),
          message: `The file starts with a ${bomName.toUpperCase()} byte-order mark but lines ${listLines(lines)} hold invalid ${bomName.toUpperCase()} data (a broken surrogate pair or an odd byte count). Save the file again as CSV UTF-8.`,
        },
      ],
    };
  }

  // No BOM: UTF-16 shows as NULs in alternating bytes — propose, never parse NULs as data (bad-inputs #8).
  const guess = bomName ? null : user ? null : utf16Guess(body);
  if (guess) {
    const text = decodeChunked(body, guess, false, chunk);
    const asUtf8 = decodeChunked(body, 'utf-8', false, chunk);
    const label = guess === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE';
    return {
      text,
      bytes: size,
      encoding: {
        name: guess,
        source: 'utf16-heuristic',
        bom: false,
        confirmed: false,
        proposal: buildProposal(guess, asUtf8, text),
        alternatives: ['utf-16le', 'utf-16be'],
      },
      issues: [
        {
          code: 'ENCODING_UNCONFIRMED',
          severity: 'error',
          scope: 'file',
          message: `Every other byte of this file is 0, so it looks like ${label} text without a byte-order mark. Check the preview and confirm ${label} to continue.`,
        },
      ],
    };
  }

  const utf8 = tryDecode(body, 'utf-8', chunk);
  const userPicked = user !== undefined;
  if (utf8 !== null) {
    return withText(utf8, { name: 'utf-8', source: userPicked ? 'user' : bom ? 'bom' : 'utf8', bom, confirmed: true }, [], size);
  }

  const scan = scanUtf8(body);
  const lineList = listLines(scan.invalidLines);
  const replaced = decodeChunked(body, 'utf-8', false, chunk);
  if (opts.replaceInvalid) {
    return withText(
      replaced,
      { name: 'utf-8', source: userPicked ? 'user' : bom ? 'bom' : 'utf8', bom, confirmed: true, replacedInvalid: true },
      [
        {
          code: 'REPLACED_INVALID_BYTES',
          severity: 'warning',
          scope: 'file',
          line: scan.invalidLines[0],
          lines: scan.invalidLines.slice(0, LINE_LIST_CAP),
          message: `${scan.invalidCount} invalid byte sequence${scan.invalidCount > 1 ? 's' : ''} on line${scan.invalidLines.length > 1 ? 's' : ''} ${lineList} replaced with � as you asked. Those characters are lost; fix the source file to keep them.`,
        },
      ],
      size,
    );
  }

  const fallback = pickFallback(body, chunk);
  const proposal = buildProposal(fallback.name, replaced, fallback.text);
  // Legacy-encoded text almost never contains a valid UTF-8 multibyte sequence; UTF-8 with a few bad bytes does.
  const mostlyUtf8 = scan.validMultibyte > 0;
  const message = mostlyUtf8
    ? `This file is UTF-8 but has ${scan.invalidCount} invalid byte sequence${scan.invalidCount > 1 ? 's' : ''} on line${scan.invalidLines.length > 1 ? 's' : ''} ${lineList}. Fix those lines in the source file, choose another encoding, or explicitly allow replacing them with �.`
    : `This file is not UTF-8 (invalid bytes on line${scan.invalidLines.length > 1 ? 's' : ''} ${lineList}). It looks like ${fallback.name}: check the changed characters in the preview and confirm, or pick another encoding.`;
  return {
    text: fallback.text,
    bytes: size,
    encoding: { name: fallback.name, source: 'fallback', bom, confirmed: false, proposal, alternatives: fallback.alternatives },
    issues: [{ code: 'INVALID_UTF8', severity: 'error', scope: 'file', line: scan.invalidLines[0], lines: scan.invalidLines.slice(0, LINE_LIST_CAP), message }],
  };
}
