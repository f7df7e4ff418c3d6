// Clean-ups the wizard OFFERS for a column (never applies silently): each returns a proposal listing every cell it
// would change (before → after), a one-sentence summary, and the cells it cannot convert, which stay as they are.
import type { FieldModel } from './field-model.ts';

/** `user`: names in an owner / user-lookup column replaced by the users' e-mails (decision 091). */
export type ProposalKind = 'date' | 'phone' | 'boolean' | 'trim' | 'number' | 'user';

export interface CellChange {
  /** 0-based data row index. */
  row: number;
  before: string;
  after: string;
}

export interface Unconvertible {
  row: number;
  value: string;
  reason: string;
}

export interface Proposal {
  kind: ProposalKind;
  /** 0-based CSV column the proposal is for. */
  column: number;
  /** One plain sentence: what would change, how many cells, and what stays. */
  summary: string;
  changes: CellChange[];
  unconvertible: Unconvertible[];
}

/** Show a value in a summary: quoted and shortened (the full value is in `changes`). */
export function sample(value: string): string {
  const s = value.length > 40 ? `${value.slice(0, 37)}…` : value;
  return `'${s}'`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function describe(changes: readonly CellChange[], unconvertible: readonly Unconvertible[], what: string): string {
  const first = changes[0];
  const eg = first === undefined ? '' : ` (e.g. ${sample(first.before)} → ${sample(first.after)})`;
  const rest =
    unconvertible.length === 0
      ? ''
      : ` ${plural(unconvertible.length, 'value')} cannot be converted and will stay as ${unconvertible.length === 1 ? 'it is' : 'they are'}.`;
  return `${what} in ${plural(changes.length, 'cell')}${eg}.${rest}`;
}

const isBlankText = (v: string) => v.trim() === '';

/**
 * True when `v` starts and ends with a visible ASCII character: it is not blank and trim() would not change it.
 * The clean-ups look at every cell of every mapped column (18 million at a million rows); this answers the usual
 * cell without calling trim.
 */
export function plainEnds(v: string): boolean {
  const a = v.charCodeAt(0);
  const b = v.charCodeAt(v.length - 1);
  return a > 32 && a < 127 && b > 32 && b < 127;
}

/** Trim leading and trailing whitespace (including NBSP) from every cell that has it. */
export function proposeTrim(column: number, values: readonly string[]): Proposal | null {
  const changes: CellChange[] = [];
  for (let row = 0; row < values.length; row++) {
    const v = values[row] as string;
    if (plainEnds(v) || isBlankText(v)) continue;
    const t = v.trim();
    if (t !== v) changes.push({ row, before: v, after: t });
  }
  if (changes.length === 0) return null;
  return { kind: 'trim', column, summary: describe(changes, [], 'Remove spaces before and after the value'), changes, unconvertible: [] };
}

const PHONE_SEPARATORS = /[\s\-()./\u00a0\u2010-\u2015]/g;
const DIGITS_PLUS = /^\+?\d+$/;

/**
 * Phone clean-up: drop spaces, dashes, dots, slashes and brackets, keep digits and a leading +. Values with letters
 * (e.g. "ext. 12"), a + anywhere but the start, or that end up longer than the field allows are listed, not changed.
 */
export function proposePhoneCleanup(column: number, values: readonly string[], field?: FieldModel): Proposal | null {
  const max = field?.length ?? 30;
  const changes: CellChange[] = [];
  const unconvertible: Unconvertible[] = [];
  values.forEach((v, row) => {
    if ((!plainEnds(v) && isBlankText(v)) || DIGITS_PLUS.test(v)) return;
    const after = v.trim().replace(PHONE_SEPARATORS, '');
    if (!DIGITS_PLUS.test(after)) {
      unconvertible.push({
        row,
        value: v,
        reason: after.includes('+') ? 'a + that is not at the start' : 'letters or other characters that are not part of a number',
      });
    } else if (after.length > max) {
      unconvertible.push({ row, value: v, reason: `longer than ${max} characters even without separators` });
    } else {
      changes.push({ row, before: v, after });
    }
  });
  if (changes.length === 0 && unconvertible.length === 0) return null;
  return {
    kind: 'phone',
    column,
    summary: describe(changes, unconvertible, 'Remove spaces, dashes, dots and brackets from phone numbers'),
    changes,
    unconvertible,
  };
}

const TRUE_WORDS: ReadonlySet<string> = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', 'no', 'n', '0', 'off']);

/** Checkbox clean-up: yes/no, y/n, 1/0, on/off and true/false in any case → true / false. */
export function proposeBooleanSynonyms(column: number, values: readonly string[]): Proposal | null {
  const changes: CellChange[] = [];
  const unconvertible: Unconvertible[] = [];
  values.forEach((v, row) => {
    if (isBlankText(v) || v === 'true' || v === 'false') return;
    const key = v.trim().toLowerCase();
    if (TRUE_WORDS.has(key)) changes.push({ row, before: v, after: 'true' });
    else if (FALSE_WORDS.has(key)) changes.push({ row, before: v, after: 'false' });
    else unconvertible.push({ row, value: v, reason: 'not a yes/no word (yes, no, y, n, 1, 0, on, off, true, false)' });
  });
  if (changes.length === 0 && unconvertible.length === 0) return null;
  return { kind: 'boolean', column, summary: describe(changes, unconvertible, 'Turn yes/no words into true/false'), changes, unconvertible };
}

// Number conventions. Thousands groups: `,` (1,234.5), `.` (1.234,5), or a space / NBSP / narrow NBSP (1 234,5).
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const US_GROUPED = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;
const EU_GROUPED = /^-?\d{1,3}(\.\d{3})+(,\d+)?$/;
const COMMA_DECIMAL = /^-?\d+,\d+$/;
const SPACE_GROUPED = /^-?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$/;
const THREE_DIGITS_AFTER_ONE_SEP = /^-?\d{1,3}[.,]\d{3}$/;

export type NumberConvention = 'point' | 'comma';

/**
 * Decide a column's decimal separator from values that prove it: "1,234.56", "1,234,567", "12.5" or "1234.567"
 * prove a decimal point; "1.234,56", "1.234.567" or "12,5" prove a decimal comma. "1,234" and "1.234" alone prove
 * nothing (bad-inputs #36). Returns null when undecided or contradictory.
 */
export function detectNumberConvention(values: readonly string[]): { convention: NumberConvention | null; reason: string } {
  let point = 0;
  let comma = 0;
  for (const raw of values) {
    const v = raw.trim();
    if (v === '' || THREE_DIGITS_AFTER_ONE_SEP.test(v)) continue;
    if (US_GROUPED.test(v) || (PLAIN_NUMBER.test(v) && v.includes('.'))) point++;
    else if (EU_GROUPED.test(v) || COMMA_DECIMAL.test(v)) comma++;
    else if (SPACE_GROUPED.test(v)) {
      if (v.includes(',')) comma++;
      else if (v.includes('.')) point++;
    }
  }
  if (point > 0 && comma > 0) return { convention: null, reason: 'the column mixes 1,234.56-style and 1.234,56-style numbers' };
  if (point > 0) return { convention: 'point', reason: 'values such as 1,234.56 show a decimal point' };
  if (comma > 0) return { convention: 'comma', reason: 'values such as 1.234,56 show a decimal comma' };
  return { convention: null, reason: 'no value shows which separator is the decimal one (1,234 could be one thousand or one point two)' };
}

function convertNumber(v: string, convention: NumberConvention): string | null {
  const t = v.trim();
  if (PLAIN_NUMBER.test(t) && (convention === 'point' || !t.includes('.'))) return t;
  if (SPACE_GROUPED.test(t)) {
    const noSpaces = t.replace(/[ \u00a0\u202f]/g, '');
    return convention === 'comma' ? (noSpaces.includes('.') ? null : noSpaces.replace(',', '.')) : noSpaces.includes(',') ? null : noSpaces;
  }
  if (convention === 'point') return US_GROUPED.test(t) ? t.replace(/,/g, '') : null;
  if (EU_GROUPED.test(t)) return t.replace(/\./g, '').replace(',', '.');
  if (COMMA_DECIMAL.test(t)) return t.replace(',', '.');
  if (/^-?\d+$/.test(t)) return t;
  return null;
}

/**
 * Number clean-up (thousands separators, decimal comma), offered only when the column itself decides the
 * convention. For whole-number fields a converted value with decimals is listed as not convertible.
 */
export function proposeNumberCleanup(column: number, values: readonly string[], field: FieldModel): Proposal | null {
  const needs = values.some((v) => !isBlankText(v) && !PLAIN_NUMBER.test(v));
  if (!needs) return null;
  const { convention, reason } = detectNumberConvention(values);
  if (convention === null) {
    return {
      kind: 'number',
      column,
      summary: `Number clean-up is not offered: ${reason}. Correct the values in the file, or set them one by one.`,
      changes: [],
      unconvertible: [],
    };
  }
  const whole = field.dataType === 'integer' || field.dataType === 'bigint';
  const changes: CellChange[] = [];
  const unconvertible: Unconvertible[] = [];
  values.forEach((v, row) => {
    // Under a decimal comma, "12.500" is twelve thousand five hundred, so plain-looking values with a point convert too.
    if (isBlankText(v) || (PLAIN_NUMBER.test(v) && (convention === 'point' || !v.includes('.')))) return;
    const after = convertNumber(v, convention);
    if (after === null) unconvertible.push({ row, value: v, reason: `does not follow the column's ${convention === 'point' ? '1,234.56' : '1.234,56'} style` });
    else if (whole && after.includes('.')) unconvertible.push({ row, value: v, reason: `${field.label} holds whole numbers only` });
    else if (after !== v) changes.push({ row, before: v, after });
  });
  if (changes.length === 0 && unconvertible.length === 0) return null;
  const what = convention === 'point' ? 'Remove thousands separators' : 'Remove thousands separators and use a decimal point instead of a comma';
  return { kind: 'number', column, summary: `${describe(changes, unconvertible, what)} Chosen because ${reason}.`, changes, unconvertible };
}

const LEADING_ZERO = /^-?0\d/;
const NUMBER_TYPES: ReadonlySet<string> = new Set(['integer', 'bigint', 'currency', 'double', 'percent']);

/**
 * Leading zeros ("00123"): kept as typed for text fields; a number field stores the number, so the zeros are lost.
 * Returns a warning naming the rows, or null.
 */
export function leadingZeroWarning(values: readonly string[], field: FieldModel): { rows: number[]; message: string } | null {
  if (!NUMBER_TYPES.has(field.dataType)) return null;
  const rows: number[] = [];
  values.forEach((v, row) => {
    if (LEADING_ZERO.test(v.trim())) rows.push(row);
  });
  if (rows.length === 0) return null;
  const first = values[rows[0] ?? 0] ?? '';
  const shown = first.trim();
  const lost = shown.replace(/^(-?)0+(?=\d)/, '$1');
  return {
    rows,
    message: `${plural(rows.length, 'value')} in ${field.label} start with 0 (e.g. ${sample(shown)}). ${field.label} is a number field, so the leading zeros will be lost (${sample(shown)} is stored as ${sample(lost)}). If the zeros matter (codes, ZIPs), map the column to a text field instead.`,
  };
}
