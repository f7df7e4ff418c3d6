// Per-data-type value rules of contract §8, shared by the client's pre-flight check and the emulator's row runner so
// both agree by construction. A validator is compiled once per field+options; checking a valid cell allocates nothing.
import {
  compileDatePattern,
  ISO_DATE_PATTERN,
  ISO_DATETIME_PATTERN,
  matchesPattern,
  parseWithPattern,
  toIsoDate,
  toIsoDateTime,
  type DateParts,
} from './date-format.ts';
import type { FieldModel } from './field-model.ts';

/** A value as stored in the CRM: strings, numbers, booleans, or the list of a multi-select pick list. */
export type FieldValue = string | number | boolean | string[];

export interface ValueFailure {
  ok: false;
  code: 'INVALID_DATA';
  /** Stable rule id, e.g. `phone.characters`, for tests, grouping and fix suggestions. */
  rule: string;
  /** Plain-language: what the rule is and what to do. Names the field, never quotes the cell (logs stay clean). */
  message: string;
}
export type ValueResult = { ok: true; value: FieldValue } | ValueFailure;

export interface ValidateOptions {
  /** The mapping's date / date-time `format` (Java SimpleDateFormat subset). */
  format?: string | null;
  /** For lookups: the mapping's `find_by`; anything but `id` means the cell holds that field's text. */
  findBy?: string | null;
  /** Offset for a date-time read with a format that has no zone (the org's zone; the emulator's org is UTC). */
  defaultOffsetMinutes?: number;
}

export interface CompiledValidator {
  /** null when the value is acceptable; otherwise a failure object shared by every cell that breaks the same rule. */
  check(raw: string): ValueFailure | null;
  /** The normalised value of a raw value that passed `check`. */
  normalise(raw: string): FieldValue;
}

export const TEXT_MAX = 255;
export const TEXTAREA_SMALL_MAX = 2000;
export const TEXTAREA_LARGE_MAX = 32000;
export const PHONE_MAX = 30;
export const INTEGER_MAX_DIGITS = 9;
export const BIGINT_MAX_DIGITS = 18;
export const DECIMAL_MAX_DIGITS = 16;
export const DECIMAL_MAX_PLACES = 9;
export const PERCENT_MAX_DIGITS = 5;

/**
 * Length in Unicode code points — what a person counts as "characters" (an emoji is one), see decision 030.
 * Fast path: a string of at most `limit` UTF-16 units cannot have more than `limit` code points.
 */
export function exceedsCodePoints(s: string, limit: number): boolean {
  if (s.length <= limit) return false;
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Count a surrogate pair once: skip the low half that follows a high half.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    count++;
    if (count > limit) return true;
  }
  return false;
}

export function codePointLength(s: string): number {
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

const EMAIL_RE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const HTTP_PREFIX_RE = /^https?:\/\//i;
const WHITESPACE_RE = /\s/;

/** A syntactically valid e-mail address (ASCII, dot-atom local part, a domain with a letter TLD), see decision 031. */
export function isValidEmail(s: string): boolean {
  if (s.length > 254) return false;
  const at = s.lastIndexOf('@');
  if (at > 64) return false;
  return EMAIL_RE.test(s);
}

/** An absolute http(s) URL whose host has a dot (or is an IP literal), parsed with the platform URL class. */
export function isValidWebsite(s: string): boolean {
  if (!HTTP_PREFIX_RE.test(s) || WHITESPACE_RE.test(s)) return false;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname;
  if (host === '' || host.startsWith('.') || host.endsWith('.')) return false;
  return host.includes('.') || host.startsWith('[');
}

// Scratch results of scanNumber, so a number check allocates nothing (domain code is single-threaded per worker).
let scanInt = 0;
let scanFrac = 0;
/**
 * Scan `-?digits(.digits)?`. Sets scanInt = significant digits before the point (leading zeros do not count;
 * "0" counts as one) and scanFrac = digits after the point that carry value (trailing zeros do not count).
 * Returns false when the text is not such a number.
 */
function scanNumber(s: string, allowFraction: boolean): boolean {
  let i = 0;
  const n = s.length;
  if (n === 0) return false;
  if (s.charCodeAt(0) === 45) i = 1; // '-'
  let intDigits = 0;
  let significant = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    intDigits++;
    if (significant > 0 || c !== 48) significant++;
    i++;
  }
  if (intDigits === 0) return false;
  scanInt = significant === 0 ? 1 : significant;
  scanFrac = 0;
  if (i === n) return true;
  if (!allowFraction || s.charCodeAt(i) !== 46) return false; // '.'
  i++;
  let fracDigits = 0;
  let lastNonZero = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    fracDigits++;
    if (c !== 48) lastNonZero = fracDigits;
    i++;
  }
  if (fracDigits === 0) return false;
  scanFrac = lastNonZero;
  return true;
}

function fail(rule: string, message: string): ValueFailure {
  return { ok: false, code: 'INVALID_DATA', rule, message };
}

const identity = (raw: string): FieldValue => raw;

/** A record or user id: digits only, never empty (an empty cell is mandatory/ignore_empty business, not an id). */
function digitsOnly(bad: ValueFailure): CompiledValidator {
  return {
    check(raw) {
      for (let i = 0; i < raw.length; i++) {
        const c = raw.charCodeAt(i);
        if (c < 48 || c > 57) return bad;
      }
      return raw.length === 0 ? bad : null;
    },
    normalise: identity,
  };
}
const toNumber = (raw: string): FieldValue => {
  const v = Number(raw);
  return v === 0 ? 0 : v; // never -0
};

function lengthValidator(field: FieldModel, max: number, rule: string, kind: string): CompiledValidator {
  const tooLong = fail(
    rule,
    `${field.label} allows at most ${max.toLocaleString('en-US')} characters (${kind}); this value is longer. Shorten it — nothing is cut off automatically.`,
  );
  return { check: (raw) => (exceedsCodePoints(raw, max) ? tooLong : null), normalise: identity };
}

function numberValidator(field: FieldModel, kind: 'integer' | 'bigint' | 'decimal' | 'percent', maxInt: number, maxFrac: number): CompiledValidator {
  const allowFraction = kind === 'decimal' || kind === 'percent';
  const what =
    kind === 'integer' ? 'a whole number' : kind === 'bigint' ? 'a whole number (long integer)' : kind === 'percent' ? 'a percentage' : 'a decimal number';
  const formatFail = fail(
    `${kind}.format`,
    allowFraction
      ? `${field.label} needs ${what}: digits with an optional leading - and a . before the decimals, no thousands separators, spaces or symbols. Remove them or apply the number clean-up.`
      : `${field.label} needs ${what}: digits only with an optional leading -, no separators, spaces, decimals or symbols. Correct the value or apply the number clean-up.`,
  );
  const digitsFail = fail(
    `${kind}.max_digits`,
    `${field.label} allows at most ${maxInt} digits${allowFraction ? ' before the decimal point' : ''}; this number is too large. Correct the value.`,
  );
  const fracFail = fail(
    `${kind}.max_decimals`,
    `${field.label} allows at most ${maxFrac} digits after the decimal point; round the value to ${maxFrac} decimal place${maxFrac === 1 ? '' : 's'}.`,
  );
  return {
    check(raw) {
      if (!scanNumber(raw, allowFraction)) return formatFail;
      if (scanInt > maxInt) return digitsFail;
      if (scanFrac > maxFrac) return fracFail;
      return null;
    },
    normalise: kind === 'bigint' ? canonicalInteger : toNumber,
  };
}

/** Long integers stay strings (they exceed a double's exact range): leading zeros and -0 removed. */
function canonicalInteger(raw: string): FieldValue {
  // Already canonical (no sign, no leading zero): the common case, returned without building new strings.
  const c0 = raw.charCodeAt(0);
  if (c0 >= 49 && c0 <= 57) return raw; // '1'…'9'
  const negative = raw.startsWith('-');
  const digits = (negative ? raw.slice(1) : raw).replace(/^0+(?=\d)/, '');
  return negative && digits !== '0' ? `-${digits}` : digits;
}

function dateValidator(field: FieldModel, opts: ValidateOptions, withTime: boolean): CompiledValidator {
  const format = opts.format ?? null;
  const pattern = format ?? (withTime ? ISO_DATETIME_PATTERN : ISO_DATE_PATTERN);
  const compiled = compileDatePattern(pattern);
  const offset = opts.defaultOffsetMinutes ?? 0;
  if (compiled === null) {
    const bad = fail(
      `${withTime ? 'datetime' : 'date'}.invalid_format`,
      `The date format "${pattern}" set for ${field.label} is not a valid pattern; choose a format such as dd/MM/yyyy.`,
    );
    return { check: () => bad, normalise: identity };
  }
  const example = withTime ? (format === null ? '2025-04-03T14:30:00+05:30' : null) : format === null ? '2025-04-03' : null;
  const shape = format === null ? (withTime ? 'yyyy-MM-ddTHH:mm:ss±HH:mm' : 'yyyy-MM-dd') : format;
  const bad = fail(
    withTime ? 'datetime.format' : 'date.format',
    `${field.label} needs a real ${withTime ? 'date and time' : 'calendar date'} written as ${shape}${example === null ? '' : ` (e.g. ${example})`}. Correct the value${format === null ? ", set the column's date format or apply the date conversion" : " or change the column's date format"}.`,
  );
  // Zoho's default date-time form requires a numeric offset; `Z` is refused (contract §8: ±HH:mm).
  const refuseZ = withTime && format === null;
  // The rules call check(raw) then normalise(raw) on the same cell: keep the last parse so a valid date is read once.
  // The check writes into this validator's own parts object instead of building one per cell (a million-row check
  // made two million of them); normalise copies it.
  let lastRaw: string | null = null;
  let lastOk = false;
  const lastParts: DateParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, offsetMinutes: null };
  return {
    check(raw) {
      if (refuseZ && raw.endsWith('Z')) return bad;
      lastOk = matchesPattern(raw, compiled, lastParts);
      lastRaw = raw;
      return lastOk ? null : bad;
    },
    normalise(raw) {
      const parts = raw === lastRaw ? (lastOk ? lastParts : null) : parseWithPattern(raw, compiled);
      if (parts === null) return raw;
      return withTime ? toIsoDateTime(parts, offset) : toIsoDate(parts);
    },
  };
}

/** Split a multi-select cell on `;`, trimming each value (empty items are an error, never dropped). */
export function splitMultiSelect(raw: string): string[] {
  const parts = raw.split(';');
  for (let i = 0; i < parts.length; i++) parts[i] = parts[i]!.trim(); // in place: one array per cell, not two
  return parts;
}

function buildValidator(field: FieldModel, opts: ValidateOptions): CompiledValidator {
  if (!field.writable.ok) {
    const notWritable = fail('field.not_writable', `${field.label} cannot be imported: ${field.writable.reason} Unmap this column.`);
    return { check: () => notWritable, normalise: identity };
  }
  switch (field.dataType) {
    case 'text':
      return lengthValidator(field, Math.min(field.length ?? TEXT_MAX, TEXT_MAX), 'text.max_length', 'single-line text');
    case 'textarea': {
      const large = field.textareaType === 'large' || field.textareaType === 'rich_text';
      return lengthValidator(
        field,
        large ? TEXTAREA_LARGE_MAX : TEXTAREA_SMALL_MAX,
        'textarea.max_length',
        large ? 'large multi-line text' : 'multi-line text',
      );
    }
    case 'email': {
      const bad = fail(
        'email.format',
        `${field.label} needs a valid e-mail address such as name@example.com (no spaces, one @, a domain with a dot). Correct it or leave the cell empty.`,
      );
      return { check: (raw) => (isValidEmail(raw) ? null : bad), normalise: identity };
    }
    case 'phone': {
      const max = field.length ?? PHONE_MAX;
      const chars = fail(
        'phone.characters',
        `${field.label} allows only digits and a leading +; remove spaces, dashes, brackets and letters, or apply the phone clean-up.`,
      );
      const tooLong = fail('phone.max_length', `${field.label} allows at most ${max} characters; this number is longer. Check it for extra digits.`);
      return {
        check(raw) {
          const n = raw.length;
          let i = raw.charCodeAt(0) === 43 ? 1 : 0; // leading '+'
          if (i === n) return chars;
          for (; i < n; i++) {
            const c = raw.charCodeAt(i);
            if (c < 48 || c > 57) return chars;
          }
          return n > max ? tooLong : null;
        },
        normalise: identity,
      };
    }
    case 'picklist':
      return { check: () => null, normalise: identity };
    case 'multiselectpicklist': {
      const empty = fail(
        'multiselect.empty_item',
        `${field.label} holds values separated by ; and one of them is empty (e.g. ";;" or a trailing ;). Remove the extra ; so no value is lost or invented.`,
      );
      return {
        check(raw) {
          let start = 0;
          for (;;) {
            const end = raw.indexOf(';', start);
            const stop = end < 0 ? raw.length : end;
            let blank = true;
            for (let i = start; i < stop; i++) {
              if (!WHITESPACE_RE.test(raw.charAt(i))) {
                blank = false;
                break;
              }
            }
            if (blank) return empty;
            if (end < 0) return null;
            start = end + 1;
          }
        },
        normalise: splitMultiSelect,
      };
    }
    case 'date':
      return dateValidator(field, opts, false);
    case 'datetime':
      return dateValidator(field, opts, true);
    case 'integer':
      return numberValidator(field, 'integer', field.length ?? INTEGER_MAX_DIGITS, 0);
    case 'bigint':
      return numberValidator(field, 'bigint', field.length ?? BIGINT_MAX_DIGITS, 0);
    case 'currency':
    case 'double':
      return numberValidator(field, 'decimal', field.length ?? DECIMAL_MAX_DIGITS, field.decimalPlace ?? DECIMAL_MAX_PLACES);
    case 'percent':
      return numberValidator(field, 'percent', field.length ?? PERCENT_MAX_DIGITS, field.decimalPlace ?? DECIMAL_MAX_PLACES);
    case 'boolean': {
      const bad = fail('boolean.format', `${field.label} is a checkbox: write true or false. Apply the yes/no clean-up to convert values like yes, no, 1, 0.`);
      return {
        check(raw) {
          const n = raw.length;
          // Exact lower case first: no lower-cased copy for the usual spelling.
          if (n === 4) return raw === 'true' || raw.toLowerCase() === 'true' ? null : bad;
          if (n === 5) return raw === 'false' || raw.toLowerCase() === 'false' ? null : bad;
          return bad;
        },
        normalise: (raw) => raw === 'true' || raw.toLowerCase() === 'true',
      };
    }
    case 'website': {
      const bad = fail(
        'website.format',
        `${field.label} needs a full web address starting with http:// or https:// (e.g. https://www.example.com), without spaces. Correct the value.`,
      );
      return { check: (raw) => (isValidWebsite(raw) ? null : bad), normalise: identity };
    }
    case 'lookup': {
      const findBy = opts.findBy ?? null;
      if (findBy !== null && findBy !== 'id') return { check: () => null, normalise: identity };
      const bad = fail(
        'lookup.id_format',
        `${field.label} links to ${field.lookupModule ?? 'another module'} by record id, which is digits only. Put the record's id in the cell, or match by another field (e.g. its name) in the mapping.`,
      );
      return digitsOnly(bad);
    }
    case 'ownerlookup':
    case 'userlookup': {
      // docs/org-apis.md A1: a user id (no find_by, or "id"), or with find_by "email" the user's e-mail. Whether
      // the user exists and is active is the org's business: pre-flight checks it when the users have been read
      // (TableInput.users, row-check.ts), the emulator's writer and the client's org check always do.
      const findBy = opts.findBy ?? null;
      if (findBy === 'email') {
        const bad = fail(
          'user.email_format',
          `${field.label} finds the user by e-mail: write the user's e-mail address such as name@example.com (no spaces, one @, a domain with a dot).`,
        );
        return { check: (raw) => (isValidEmail(raw) ? null : bad), normalise: (raw) => raw.trim() };
      }
      if (findBy !== null && findBy !== 'id') {
        const bad = fail(
          'user.find_by',
          `${field.label} finds users by their id or their e-mail only. In the mapping, choose to match users by e-mail (or put user ids in the column).`,
        );
        return { check: () => bad, normalise: identity };
      }
      const bad = fail(
        'user.id_format',
        `${field.label} takes a user's id, which is digits only. Put the user's id in the cell, or match users by e-mail in the mapping.`,
      );
      return digitsOnly(bad);
    }
    default: {
      const bad = fail('field.not_writable', `${field.label} has the type "${field.dataType}", which Bulk Write cannot write. Unmap this column.`);
      return { check: () => bad, normalise: identity };
    }
  }
}

// Per field: format → find_by → default offset → validator. Nested maps rather than one joined string key, so a
// lookup on the per-cell path (the emulator's runner, the Review pass) allocates nothing.
type ValidatorCache = Map<string | null, Map<string | null, Map<number, CompiledValidator>>>;
const validatorCache = new WeakMap<FieldModel, ValidatorCache>();

/** The compiled validator for a field with a mapping's options (cached per field object and options). */
export function compileValidator(field: FieldModel, opts: ValidateOptions = {}): CompiledValidator {
  return validatorFor(field, opts.format ?? null, opts.findBy ?? null, opts.defaultOffsetMinutes ?? 0);
}

/** `compileValidator` with the options as arguments: the per-cell form (no options object per call). */
export function validatorFor(field: FieldModel, format: string | null, findBy: string | null, defaultOffsetMinutes = 0): CompiledValidator {
  // '' and null mean the same (no format / no find_by), as they always did in the cache key.
  const f = format === '' ? null : format;
  const b = findBy === '' ? null : findBy;
  let byFormat = validatorCache.get(field);
  if (byFormat === undefined) {
    byFormat = new Map();
    validatorCache.set(field, byFormat);
  }
  let byFindBy = byFormat.get(f);
  if (byFindBy === undefined) {
    byFindBy = new Map();
    byFormat.set(f, byFindBy);
  }
  let byOffset = byFindBy.get(b);
  if (byOffset === undefined) {
    byOffset = new Map();
    byFindBy.set(b, byOffset);
  }
  let v = byOffset.get(defaultOffsetMinutes);
  if (v === undefined) {
    // Built from the normalised options, not the raw ones: the cache key treats them alike, so must the validator.
    v = buildValidator(field, { format: f, findBy: b, defaultOffsetMinutes });
    byOffset.set(defaultOffsetMinutes, v);
  }
  return v;
}

/**
 * Check one NON-empty cell against its field's rule (contract §8) and return the value to store, or an
 * INVALID_DATA failure naming the rule and what to do. Lookups are checked for shape only (existence is the
 * server's job); pick-list values are always accepted (see `isNewPicklistValue` for the client's warning).
 */
export function validateValue(field: FieldModel, raw: string, opts: ValidateOptions = {}): ValueResult {
  const v = compileValidator(field, opts);
  const failure = v.check(raw);
  return failure ?? { ok: true, value: v.normalise(raw) };
}

/** True when a pick-list value is not (exactly) one of the field's values: Zoho will add it — worth a warning. */
export function isNewPicklistValue(field: FieldModel, value: string): boolean {
  return !field.picklistValues.includes(value);
}

/** An existing pick-list value that differs only in case, to suggest instead of creating a near-duplicate value. */
export function similarPicklistValue(field: FieldModel, value: string): string | null {
  const lower = value.toLowerCase();
  for (const v of field.picklistValues) if (v !== value && v.toLowerCase() === lower) return v;
  return null;
}
