// A strict subset of Java SimpleDateFormat, the pattern language of Zoho's `format` key (contract §4): checks a
// pattern, parses a cell with it (real calendar dates only) and formats date parts back. Pure and allocation-light.

/** A calendar date with an optional time of day and UTC offset, as written (no time-zone conversion). */
export interface DateParts {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC when the text carried an offset, else null. */
  offsetMinutes: number | null;
}

type NumKind = 'month' | 'day' | 'hour24' | 'hour12' | 'minute' | 'second';
type Token =
  | { kind: 'literal'; text: string }
  | { kind: 'year4' }
  | { kind: 'year2' }
  | { kind: NumKind; width: 1 | 2 }
  | { kind: 'monthShort' }
  | { kind: 'monthLong' }
  | { kind: 'ampm' }
  /** Z: RFC 822 `+0530`; X: ISO `+05`/`Z`; XX: `+0530`/`Z`; XXX: `+05:30`/`Z`. */
  | { kind: 'zone'; style: 'Z' | 'X' | 'XX' | 'XXX' };

export interface CompiledPattern {
  readonly pattern: string;
  readonly tokens: readonly Token[];
  readonly hasTime: boolean;
  readonly hasZone: boolean;
}

export const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
export const MONTHS_SHORT = MONTHS_LONG.map((m) => m.slice(0, 3));

/** The pattern Zoho reads a date in when the mapping gives no `format`. */
export const ISO_DATE_PATTERN = 'yyyy-MM-dd';
/** The pattern Zoho reads a date-time in when the mapping gives no `format` (offset required, `Z` refused). */
export const ISO_DATETIME_PATTERN = "yyyy-MM-dd'T'HH:mm:ssXXX";

/**
 * Two-digit years (`yy`) are read in a fixed window, 1950–2049, because domain code has no clock (Java pivots
 * on "now − 80 years"). Values with two-digit years are flagged as ambiguous by the normalisers anyway.
 */
export const TWO_DIGIT_YEAR_PIVOT = 50;

const cache = new Map<string, CompiledPattern | null>();

/** Compile a pattern, or null when it uses letters outside the subset, repeats a field or lacks year/month/day. */
export function compileDatePattern(pattern: string): CompiledPattern | null {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const compiled = compile(pattern);
  if (cache.size > 500) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

function compile(pattern: string): CompiledPattern | null {
  if (pattern.length === 0 || pattern.length > 100) return null;
  const tokens: Token[] = [];
  const seen = new Set<string>();
  const pushLiteral = (text: string) => {
    const last = tokens[tokens.length - 1];
    if (last !== undefined && last.kind === 'literal') tokens[tokens.length - 1] = { kind: 'literal', text: last.text + text };
    else tokens.push({ kind: 'literal', text });
  };
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === "'") {
      // '' is a literal quote; 'text' is literal text (with '' inside for a quote).
      if (pattern.charAt(i + 1) === "'") {
        pushLiteral("'");
        i += 2;
        continue;
      }
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= pattern.length) return null; // unclosed quote
        const c = pattern.charAt(j);
        if (c === "'") {
          if (pattern.charAt(j + 1) === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        text += c;
        j++;
      }
      if (text.length > 0) pushLiteral(text);
      i = j + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      pushLiteral(ch);
      i++;
      continue;
    }
    let run = 1;
    while (pattern.charAt(i + run) === ch) run++;
    const token = letterToken(ch, run);
    if (token === null) return null;
    const category =
      token.kind === 'year4' || token.kind === 'year2'
        ? 'year'
        : token.kind === 'monthShort' || token.kind === 'monthLong'
          ? 'month'
          : token.kind === 'hour12'
            ? 'hour24'
            : token.kind;
    if (seen.has(category)) return null;
    seen.add(category);
    tokens.push(token);
    i += run;
  }
  if (!seen.has('year') || !seen.has('month') || !seen.has('day')) return null;
  // 12-hour clock and the AM/PM marker only make sense together.
  const hasHour12 = tokens.some((t) => t.kind === 'hour12');
  if (hasHour12 !== seen.has('ampm')) return null;
  const hasTime = seen.has('hour24') || seen.has('minute') || seen.has('second');
  if (!hasTime && seen.has('zone')) return null;
  return { pattern, tokens, hasTime, hasZone: seen.has('zone') };
}

function letterToken(ch: string, run: number): Token | null {
  const w = run === 1 ? 1 : run === 2 ? 2 : null;
  switch (ch) {
    case 'y':
      return run === 4 ? { kind: 'year4' } : run === 2 ? { kind: 'year2' } : null;
    case 'M':
      if (run === 3) return { kind: 'monthShort' };
      if (run === 4) return { kind: 'monthLong' };
      return w === null ? null : { kind: 'month', width: w };
    case 'd':
      return w === null ? null : { kind: 'day', width: w };
    case 'H':
      return w === null ? null : { kind: 'hour24', width: w };
    case 'h':
      return w === null ? null : { kind: 'hour12', width: w };
    case 'm':
      return w === null ? null : { kind: 'minute', width: w };
    case 's':
      return w === null ? null : { kind: 'second', width: w };
    case 'a':
      return run === 1 ? { kind: 'ampm' } : null;
    case 'Z':
      return run === 1 ? { kind: 'zone', style: 'Z' } : null;
    case 'X':
      return run === 1 ? { kind: 'zone', style: 'X' } : run === 2 ? { kind: 'zone', style: 'XX' } : run === 3 ? { kind: 'zone', style: 'XXX' } : null;
    default:
      return null;
  }
}

/** True when `pattern` is a date pattern this project (and the emulator) accepts for a mapping's `format`. */
export function isValidDatePattern(pattern: string): boolean {
  return compileDatePattern(pattern) !== null;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Read exactly `n` digits at `pos`, or -1. */
function readFixed(s: string, pos: number, n: number): number {
  if (pos + n > s.length) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(pos + k);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Where a scan that is not asked for its parts writes them, and the offset readZone found. A check of a million
// cells must not allocate one object per cell (nor one per offset). Domain code is single-threaded per worker, and
// nothing runs between a scan and the read of its result.
const SCRATCH: DateParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, offsetMinutes: null };
let zoneEnd = 0;
let zoneOffset = 0;

/**
 * Parse `value` with `pattern` strictly: the whole text must match, numbers have the pattern's width (a one-letter
 * field takes one or two digits), month names are English (any case), and the date must exist in the calendar.
 * Returns null for an invalid pattern or a value that does not match.
 */
export function parseWithPattern(value: string, pattern: string | CompiledPattern): DateParts | null {
  const compiled = typeof pattern === 'string' ? compileDatePattern(pattern) : pattern;
  if (compiled === null || !scan(value, compiled, SCRATCH)) return null;
  return { ...SCRATCH };
}

/**
 * parseWithPattern(value, pattern) !== null without building an object: the per-cell form for checks. When it
 * matches and `into` is given, the parts are written there (a caller's own reusable object).
 */
export function matchesPattern(value: string, pattern: CompiledPattern, into: DateParts = SCRATCH): boolean {
  return scan(value, pattern, into);
}

function scan(value: string, compiled: CompiledPattern, out: DateParts): boolean {
  let pos = 0;
  let year = -1;
  let month = -1;
  let day = -1;
  let hour = 0;
  let hour12 = -1;
  let pm: boolean | null = null;
  let minute = 0;
  let second = 0;
  let offset: number | null = null;
  const tokens = compiled.tokens;
  for (let ti = 0; ti < tokens.length; ti++) {
    const t = tokens[ti] as Token;
    switch (t.kind) {
      case 'literal':
        if (!value.startsWith(t.text, pos)) return false;
        pos += t.text.length;
        break;
      case 'year4':
        year = readFixed(value, pos, 4);
        if (year < 1) return false;
        pos += 4;
        break;
      case 'year2': {
        const yy = readFixed(value, pos, 2);
        if (yy < 0) return false;
        year = yy < TWO_DIGIT_YEAR_PIVOT ? 2000 + yy : 1900 + yy;
        pos += 2;
        break;
      }
      case 'monthShort':
      case 'monthLong': {
        const names = t.kind === 'monthShort' ? MONTHS_SHORT : MONTHS_LONG;
        let found = -1;
        for (let m = 0; m < 12; m++) {
          const name = names[m] ?? '';
          if (value.slice(pos, pos + name.length).toLowerCase() === name.toLowerCase()) {
            found = m + 1;
            pos += name.length;
            break;
          }
        }
        if (found < 0) return false;
        month = found;
        break;
      }
      case 'ampm': {
        const two = value.slice(pos, pos + 2).toUpperCase();
        if (two === 'AM') pm = false;
        else if (two === 'PM') pm = true;
        else return false;
        pos += 2;
        break;
      }
      case 'zone': {
        if (!readZone(value, pos, t.style)) return false;
        offset = zoneOffset;
        pos = zoneEnd;
        break;
      }
      default: {
        let n: number;
        if (t.width === 2) {
          n = readFixed(value, pos, 2);
          if (n < 0) return false;
          pos += 2;
        } else {
          const first = readFixed(value, pos, 1);
          if (first < 0) return false;
          const second2 = readFixed(value, pos + 1, 1);
          if (second2 >= 0) {
            n = first * 10 + second2;
            pos += 2;
          } else {
            n = first;
            pos += 1;
          }
        }
        if (t.kind === 'month') month = n;
        else if (t.kind === 'day') day = n;
        else if (t.kind === 'hour24') hour = n;
        else if (t.kind === 'hour12') hour12 = n;
        else if (t.kind === 'minute') minute = n;
        else second = n;
      }
    }
  }
  if (pos !== value.length) return false;
  if (hour12 >= 0) {
    if (hour12 < 1 || hour12 > 12 || pm === null) return false;
    hour = (hour12 % 12) + (pm ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  out.year = year;
  out.month = month;
  out.day = day;
  out.hour = hour;
  out.minute = minute;
  out.second = second;
  out.offsetMinutes = offset;
  return true;
}

/** Reads an offset at `pos` into zoneOffset / zoneEnd; false when there is none in this style. */
function readZone(s: string, pos: number, style: 'Z' | 'X' | 'XX' | 'XXX'): boolean {
  if (style !== 'Z' && s.charCodeAt(pos) === 90) {
    // 'Z'
    zoneOffset = 0;
    zoneEnd = pos + 1;
    return true;
  }
  const sign = s.charCodeAt(pos);
  if (sign !== 43 && sign !== 45) return false; // '+' or '-'
  const hh = readFixed(s, pos + 1, 2);
  if (hh < 0 || hh > 23) return false;
  let mm = 0;
  let end = pos + 3;
  if (style === 'XXX') {
    if (s.charCodeAt(end) !== 58) return false; // ':'
    mm = readFixed(s, end + 1, 2);
    end += 3;
  } else if (style === 'Z' || style === 'XX') {
    mm = readFixed(s, end, 2);
    end += 2;
  }
  if (mm < 0 || mm > 59) return false;
  // Followed by a digit means the text had more digits than the style allows.
  if (end < s.length && isDigit(s.charCodeAt(end))) return false;
  const minutes = hh * 60 + mm;
  zoneOffset = sign === 45 ? -minutes : minutes;
  zoneEnd = end;
  return true;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n));
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

/** Format date parts with a pattern (an invalid pattern gives null). A missing offset is written as UTC. */
export function formatDate(parts: DateParts, pattern: string | CompiledPattern): string | null {
  const compiled = typeof pattern === 'string' ? compileDatePattern(pattern) : pattern;
  if (compiled === null) return null;
  let out = '';
  for (const t of compiled.tokens) {
    switch (t.kind) {
      case 'literal':
        out += t.text;
        break;
      case 'year4':
        out += pad(parts.year, 4);
        break;
      case 'year2':
        out += pad(parts.year % 100, 2);
        break;
      case 'monthShort':
        out += MONTHS_SHORT[parts.month - 1] ?? '';
        break;
      case 'monthLong':
        out += MONTHS_LONG[parts.month - 1] ?? '';
        break;
      case 'ampm':
        out += parts.hour < 12 ? 'AM' : 'PM';
        break;
      case 'zone':
        out += formatZone(parts.offsetMinutes ?? 0, t.style);
        break;
      default: {
        const v =
          t.kind === 'month'
            ? parts.month
            : t.kind === 'day'
              ? parts.day
              : t.kind === 'hour24'
                ? parts.hour
                : t.kind === 'hour12'
                  ? parts.hour % 12 === 0
                    ? 12
                    : parts.hour % 12
                  : t.kind === 'minute'
                    ? parts.minute
                    : parts.second;
        out += pad(v, t.width);
      }
    }
  }
  return out;
}

function formatZone(offset: number, style: 'Z' | 'X' | 'XX' | 'XXX'): string {
  if (offset === 0 && style !== 'Z') return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = pad(Math.floor(abs / 60), 2);
  const mm = pad(abs % 60, 2);
  if (style === 'XXX') return `${sign}${hh}:${mm}`;
  if (style === 'X') return `${sign}${hh}`;
  return `${sign}${hh}${mm}`;
}

/** The canonical ISO form Zoho stores: `yyyy-MM-dd`. */
export function toIsoDate(parts: DateParts): string {
  return `${pad(parts.year, 4)}-${pad(parts.month, 2)}-${pad(parts.day, 2)}`;
}

/** The canonical ISO form with offset: `yyyy-MM-ddTHH:mm:ss±HH:mm` (offset `fallbackOffset` when none was read). */
export function toIsoDateTime(parts: DateParts, fallbackOffsetMinutes = 0): string {
  const off = parts.offsetMinutes ?? fallbackOffsetMinutes;
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${toIsoDate(parts)}T${pad(parts.hour, 2)}:${pad(parts.minute, 2)}:${pad(parts.second, 2)}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}
