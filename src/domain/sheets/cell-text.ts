// Spreadsheet cell → the text a CSV cell would hold, exactly (issue 11, decision 110): date serials become ISO
// dates in the workbook's date system (1900, with Excel's fictitious 29 Feb 1900, or 1904); numbers keep the text
// the cell shows when that text is the same number (leading zeros of a "00000" format, trailing zeros of "0.00"),
// else the exact decimal of the stored value — never an exponent such as 4.91701E+11 for a phone number.

import type { SheetCell } from './types.ts';

const DAY_MS = 86_400_000;
/** Serial 0 of the 1900 system as Excel counts from serial 61 on (1 March 1900): 30 Dec 1899. */
const EPOCH_1900_AFTER_BUG = Date.UTC(1899, 11, 30);
/** Serials 1–59 (1 Jan – 28 Feb 1900) count from 31 Dec 1899: Excel's fictitious 29 Feb 1900 is serial 60. */
const EPOCH_1900_BEFORE_BUG = Date.UTC(1899, 11, 31);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** 31 Dec 9999, the last day Excel shows (1900 system); later serials are not dates. */
const MAX_SERIAL_1900 = 2_958_465;
const MAX_SERIAL_1904 = MAX_SERIAL_1900 - 1_462;

export interface SerialParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The calendar date and time of an Excel date serial, as Excel shows it (to the second, rounded as Excel's
 * display rounds). null when Excel shows no date for it (negative, or past 9999-12-31). Serial 60 of the 1900
 * system is Excel's 29 Feb 1900 — a day that never was — and is returned as such so the date rules refuse it
 * by name rather than it silently becoming 1 March; serial 0 is Excel's "0 January 1900".
 */
export function serialToParts(serial: number, date1904: boolean): SerialParts | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  let days = Math.floor(serial);
  let seconds = Math.round((serial - days) * 86_400);
  if (seconds === 86_400) {
    days += 1;
    seconds = 0;
  }
  if (days > (date1904 ? MAX_SERIAL_1904 : MAX_SERIAL_1900)) return null;
  const hour = Math.floor(seconds / 3_600);
  const minute = Math.floor((seconds % 3_600) / 60);
  const second = seconds % 60;
  if (!date1904 && days === 60) return { year: 1900, month: 2, day: 29, hour, minute, second };
  if (!date1904 && days === 0) return { year: 1900, month: 1, day: 0, hour, minute, second };
  const epoch = date1904 ? EPOCH_1904 : days < 60 ? EPOCH_1900_BEFORE_BUG : EPOCH_1900_AFTER_BUG;
  const d = new Date(epoch + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour, minute, second };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export const isoDate = (p: SerialParts): string => `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
export const isoTime = (p: SerialParts): string => `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;

export type DateFormatKind = 'date' | 'datetime' | 'time';

/**
 * Whether a number format shows a date, a date and time, or a time only. Quoted literals, backslash escapes and
 * bracketed colour/locale codes are ignored; `m` is a month unless the format shows hours or seconds and no day or year.
 */
export function dateFormatKind(format: string): DateFormatKind {
  const f = format
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '')
    .split(';')[0] as string;
  const hasTime = /[hs]/i.test(f) || /am\/pm|a\/p/i.test(f);
  const hasDate = /[yd]/i.test(f) || (/m/i.test(f) && !hasTime) || /e/i.test(f);
  if (hasDate && hasTime) return 'datetime';
  return hasDate ? 'date' : 'time';
}

/**
 * A date serial as the text the field rules accept: `yyyy-MM-dd` for a date format, `yyyy-MM-ddTHH:mm:ss` for a
 * date-and-time format (no offset: the workbook does not say its time zone; Review flags it and its date clean-up proposes one for the admin to confirm),
 * null when Excel would show no date.
 */
export function serialToText(serial: number, date1904: boolean, kind: 'date' | 'datetime'): string | null {
  const p = serialToParts(serial, date1904);
  if (!p) return null;
  return kind === 'date' ? isoDate(p) : `${isoDate(p)}T${isoTime(p)}`;
}

/** The exact decimal of a number, without an exponent (1e21 → "1000000000000000000000", 1.5e-7 → "0.00000015"). */
export function plainDecimal(n: number): string {
  if (Object.is(n, -0)) return '0';
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const negative = s.startsWith('-');
  const mantissa = s.slice(negative ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const intLen = (dot < 0 ? mantissa.length : dot) + exp;
  let out: string;
  if (intLen <= 0) out = `0.${'0'.repeat(-intLen)}${digits}`;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return negative ? `-${out}` : out;
}

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A non-date number as written: the cell's shown text when it is a plain numeral of the very same value (this keeps
 * "00123" of a 00000 format and "12.50" of a 0.00 format), else the exact decimal of the stored value (a phone number
 * shown as 4.91701E+11, a rounded 3.14 of 3.14159, "1,234" with grouping or "12%" all give the stored value).
 */
export function numberText(value: number, formatted: string | undefined): string {
  if (formatted !== undefined && PLAIN_NUMBER.test(formatted) && Number(formatted) === value) return formatted === '-0' ? '0' : formatted;
  return plainDecimal(value);
}

/** What a cell becomes: its text, and a problem when the cell holds no usable value (an error, an uncalculated formula). */
export interface CellText {
  text: string;
  problem?: { kind: 'error'; shown: string } | { kind: 'uncalculated'; formula: string };
}

/** One cell → its text (see the module comment). Booleans are TRUE/FALSE as Excel shows them (Zoho reads any case). */
export function cellText(cell: SheetCell | undefined, date1904: boolean): CellText {
  if (cell === undefined) return { text: '' };
  switch (cell.kind) {
    case 'text':
      return { text: cell.value };
    case 'boolean':
      return { text: cell.value ? 'TRUE' : 'FALSE' };
    case 'error':
      return { text: cell.text, problem: { kind: 'error', shown: cell.text } };
    case 'uncalculated':
      return { text: '', problem: { kind: 'uncalculated', formula: cell.formula } };
    case 'number': {
      if (cell.isDate && cell.format !== undefined) {
        const kind = dateFormatKind(cell.format);
        // A time of day alone is kept as the cell shows it: there is no date to write.
        if (kind === 'time') return { text: cell.formatted ?? numberText(cell.value, undefined) };
        const text = serialToText(cell.value, date1904, kind);
        // Excel shows #### for a serial that is no date; the stored number is what the cell really holds.
        if (text !== null) return { text };
      }
      return { text: numberText(cell.value, cell.formatted) };
    }
  }
}
