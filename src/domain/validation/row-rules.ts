// Zoho's per-row rules (contract §8) as one pure function: empty cells → default / ignore / blank, mandatory on
// insert, per-type validation. The emulator runs it to decide SKIPPED rows; the client runs it to predict them.
import { ROW_ERROR_CODES, type RowErrorCode } from '../fields/field-meta.ts';
import type { FieldModel } from '../fields/field-model.ts';
import { validatorFor, type CompiledValidator, type FieldValue } from '../fields/validate-value.ts';

/** One mapping with its field resolved: what the row rules need to read a cell. */
export interface ResolvedMapping {
  field: FieldModel;
  /** 0-based CSV column, or null for a default-only mapping. */
  index: number | null;
  /** Used when the cell is empty (or there is no column). */
  defaultValue: string | null;
  /** Per-mapping override of the job's ignore_empty; null = inherit. */
  ignoreEmpty: boolean | null;
  /** Date / date-time pattern for this column. */
  format: string | null;
  /** For lookups: which field of the looked-up module the cell holds (`id` or another field). */
  findBy: string | null;
}

export interface RowContext {
  /** True for insert, and for the insert half of an upsert (no existing record matched). */
  isInsert: boolean;
  /** The job's (resource's) ignore_empty. */
  ignoreEmpty: boolean;
}

export interface RowError {
  code: RowErrorCode;
  apiName: string;
}

export interface RowEvaluation {
  /** Values to write: null = blank the field; an absent key = leave it untouched. */
  values: Map<string, FieldValue | null>;
  /** In a stable order: by code (ROW_ERROR_CODES order), then by column. */
  errors: RowError[];
}

/**
 * Whitespace-only counts as empty (bad-inputs #39). Checked without allocating: a cell is empty unless it has a
 * character String.prototype.trim would keep.
 */
export function isBlank(cell: string | undefined): boolean {
  if (cell === undefined || cell.length === 0) return true;
  const c0 = cell.charCodeAt(0);
  // Fast exit for the common case: starts with a visible ASCII character.
  if (c0 > 32 && c0 < 127) return false;
  return cell.trim().length === 0;
}

const CODE_ORDER: ReadonlyMap<string, number> = new Map(ROW_ERROR_CODES.map((c, i) => [c, i]));

/** Sort key for a mapping's column: real columns by index, default-only mappings after them in mapping order. */
function columnKey(m: ResolvedMapping, position: number): number {
  return m.index ?? 1_000_000 + position;
}

/**
 * The validator of each position of a mappings list, so a row costs one lookup instead of one per cell. A slot is
 * re-checked against its mapping on every use: a list or mapping changed in place never gets a stale validator.
 */
interface ValidatorSlot {
  field: FieldModel;
  format: string | null;
  findBy: string | null;
  validator: CompiledValidator;
}
const validatorSlots = new WeakMap<readonly ResolvedMapping[], (ValidatorSlot | undefined)[]>();

/**
 * Apply the row rules to one data row. A mandatory field left empty on insert is MANDATORY_NOT_FOUND; blanking a
 * mandatory field on update is refused the same way (decision 032). Values that break their type's rule are
 * INVALID_DATA. DUPLICATE_DATA and RESOURCE_NOT_FOUND need the store (or, in the client, the whole file): see
 * the emulator's record writer and the client's uniqueness.ts.
 */
export function evaluateRow(cells: readonly string[], mappings: readonly ResolvedMapping[], ctx: RowContext): RowEvaluation {
  const slots: (FieldValue | null | undefined)[] = new Array<FieldValue | null | undefined>(mappings.length);
  const errors: RowError[] = [];
  evaluateRowInto(cells, mappings, ctx, slots, errors);
  const values = new Map<string, FieldValue | null>();
  for (let p = 0; p < mappings.length; p++) {
    const v = slots[p];
    if (v !== undefined) values.set(mappings[p]!.field.apiName, v);
  }
  return { values, errors };
}

/**
 * `evaluateRow` into the caller's arrays, for table-wide passes that must not allocate per row: `values[p]` is the
 * value of mappings[p] (null = blank the field, undefined = leave it untouched or not written because invalid), and
 * the row's errors are appended to `errors` in the same stable order.
 */
export function evaluateRowInto(
  cells: readonly string[],
  mappings: readonly ResolvedMapping[],
  ctx: RowContext,
  values: (FieldValue | null | undefined)[],
  errors: RowError[],
): void {
  let found: { code: RowErrorCode; apiName: string; key: number }[] | null = null;
  let slots = validatorSlots.get(mappings);
  if (slots === undefined) validatorSlots.set(mappings, (slots = []));
  for (let p = 0; p < mappings.length; p++) {
    values[p] = undefined;
    const m = mappings[p];
    if (m === undefined) continue;
    const cell = m.index === null ? undefined : cells[m.index];
    let slot = slots[p];
    if (slot === undefined || slot.field !== m.field || slot.format !== m.format || slot.findBy !== m.findBy) {
      slot = { field: m.field, format: m.format, findBy: m.findBy, validator: validatorFor(m.field, m.format, m.findBy) };
      slots[p] = slot;
    }
    const v = slot.validator;
    const cls = classifyCell(m, cell, ctx, v);
    if (cls === CELL_VALUE) values[p] = v.normalise(cellRaw(m, cell));
    else if (cls === CELL_BLANK) values[p] = null;
    else if (cls !== CELL_ABSENT) {
      (found ??= []).push({ code: cls === CELL_MANDATORY ? 'MANDATORY_NOT_FOUND' : 'INVALID_DATA', apiName: m.field.apiName, key: columnKey(m, p) });
    }
  }
  if (found === null) return;
  const list: { code: RowErrorCode; apiName: string; key: number }[] = found;
  list.sort((a, b) => (CODE_ORDER.get(a.code) ?? 99) - (CODE_ORDER.get(b.code) ?? 99) || a.key - b.key);
  for (const { code, apiName } of list) errors.push({ code, apiName });
}

/** What the rules make of one cell (numbers, not objects, so a table-wide pass allocates nothing per cell). */
export const CELL_VALUE = 0;
/** Empty and ignored: the field is left untouched (absent from the values). */
export const CELL_ABSENT = 1;
/** Empty and not ignored: the field is blanked (null). */
export const CELL_BLANK = 2;
export const CELL_MANDATORY = 3;
export const CELL_INVALID = 4;
export type CellClass = typeof CELL_VALUE | typeof CELL_ABSENT | typeof CELL_BLANK | typeof CELL_MANDATORY | typeof CELL_INVALID;

/** The text the rules read for a cell: the cell unless it is blank, else the mapping's default ('' if none). */
export function cellRaw(m: ResolvedMapping, cell: string | undefined): string {
  if (!isBlank(cell)) return cell ?? '';
  return m.defaultValue !== null && !isBlank(m.defaultValue) ? m.defaultValue : '';
}

/**
 * The row rules for one cell: empty (whitespace-only counts) → default value if given; else ignore_empty → absent;
 * else blank. A mandatory field with no value is MANDATORY_NOT_FOUND on insert, and also on update when the row
 * would blank it (decision 032). A value (or default) breaking its type's rule is INVALID_DATA.
 */
export function classifyCell(m: ResolvedMapping, cell: string | undefined, ctx: RowContext, validator: CompiledValidator): CellClass {
  let raw: string | null = null;
  if (!isBlank(cell)) raw = cell ?? null;
  else if (m.defaultValue !== null && !isBlank(m.defaultValue)) raw = m.defaultValue;
  if (raw === null) {
    const ignore = m.ignoreEmpty ?? ctx.ignoreEmpty;
    if (m.field.mandatory && (ctx.isInsert || !ignore)) return CELL_MANDATORY;
    return ignore ? CELL_ABSENT : CELL_BLANK;
  }
  return validator.check(raw) === null ? CELL_VALUE : CELL_INVALID;
}

/** The comparison key of a unique field's value: case-folded unless the field is case-sensitive. */
export function uniqueKey(field: FieldModel, value: FieldValue): string {
  const text = Array.isArray(value) ? value.join(';') : String(value);
  return field.unique?.caseSensitive === true ? text : text.toLowerCase();
}

/** Merge row errors into the stable order (code order, then the order given). */
export function sortRowErrors(errors: readonly RowError[], columnOf: (apiName: string) => number): RowError[] {
  return [...errors].sort((a, b) => (CODE_ORDER.get(a.code) ?? 99) - (CODE_ORDER.get(b.code) ?? 99) || columnOf(a.apiName) - columnOf(b.apiName));
}
