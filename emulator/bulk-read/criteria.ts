// Bulk Read criteria (docs/org-apis.md §1.2): checked against the module's fields with Zoho's error codes, then
// compiled to ONE SQL condition over the stored record JSON, so a read of 200,000 records is one indexed scan.
// Text comparisons are case-insensitive (like the unique-value checks of the store); numbers compare as numbers.
import {
  BULK_READ_MAX_CRITERIA,
  BULK_READ_MAX_CRITERIA_VALUES,
  countConditions,
  LIST_COMPARATORS,
  type BulkReadComparator,
  type BulkReadCondition,
  type BulkReadConditionOut,
  type BulkReadCriteria,
  type BulkReadGroupOut,
} from '../../src/api/contract/bulk-read.ts';
import type { ZohoFieldMeta } from '../../src/domain/fields/field-meta.ts';
import { ZohoError } from '../errors.ts';
import type { ModuleEntry } from '../store/metadata.ts';

/** `${EMPTY}` stands for "no value" in a criteria value (Zoho's notation). */
export const EMPTY = '${EMPTY}';

const NUMBER_TYPES = new Set(['integer', 'bigint', 'currency', 'double', 'percent', 'autonumber', 'formula']);
const DATE_TYPES = new Set(['date', 'datetime']);
const LOOKUP_TYPES = new Set(['lookup', 'ownerlookup', 'userlookup']);

const ORDERED: BulkReadComparator[] = ['equal', 'not_equal', 'in', 'not_in', 'less_than', 'less_equal', 'greater_than', 'greater_equal'];
const TEXT: BulkReadComparator[] = ['equal', 'not_equal', 'in', 'not_in', 'contains', 'not_contains', 'starts_with', 'ends_with'];

/** Comparators Zoho allows per data type (the table of docs/org-apis.md §1.2). */
export function comparatorsFor(dataType: string): readonly BulkReadComparator[] {
  if (NUMBER_TYPES.has(dataType)) return ORDERED;
  if (DATE_TYPES.has(dataType)) return [...ORDERED, 'between', 'not_between'];
  if (dataType === 'boolean') return ['equal'];
  if (LOOKUP_TYPES.has(dataType)) return ['equal', 'not_equal', 'in', 'not_in'];
  return TEXT;
}

/** The field a Bulk Read may name: one of the module's fields, or the record `id`. */
export function readableField(mod: ModuleEntry, apiName: string): ZohoFieldMeta | null {
  if (apiName === 'id') return { api_name: 'id', data_type: 'bigint' };
  return mod.byName.get(apiName) ?? null;
}

/** Check a parsed criteria tree; throws the Zoho error Zoho documents for each problem. */
export function checkCriteria(mod: ModuleEntry, criteria: BulkReadCriteria): void {
  if (countConditions(criteria) > BULK_READ_MAX_CRITERIA) {
    throw new ZohoError(400, 'CRITERIA_LIMIT_EXCEEDED', `At most ${BULK_READ_MAX_CRITERIA} conditions are allowed in the criteria.`, {
      max_limit: BULK_READ_MAX_CRITERIA,
    });
  }
  const walk = (c: BulkReadCriteria): void => {
    if ('group' in c) {
      c.group.forEach(walk);
      return;
    }
    checkCondition(mod, c);
  };
  walk(criteria);
}

function checkCondition(mod: ModuleEntry, c: BulkReadCondition): void {
  const f = readableField(mod, c.api_name);
  if (f === null) {
    throw new ZohoError(400, 'INVALID_CRITERIA', `The module ${mod.info.api_name} has no field "${c.api_name}" to filter on.`, {
      field: { api_name: c.api_name },
      comparator: c.comparator,
      value: c.value,
    });
  }
  const allowed = comparatorsFor(f.data_type);
  if (!allowed.includes(c.comparator)) {
    throw new ZohoError(
      400,
      'FIELD_COMPARATOR_IN_CRITERIA_NOT_SUPPORTED',
      `${c.api_name} (${f.data_type}) cannot be compared with "${c.comparator}"; use one of: ${allowed.join(', ')}.`,
      {
        api_name: c.api_name,
        comparator: c.comparator,
        supported: allowed,
      },
    );
  }
  const list = Array.isArray(c.value);
  const incompatible = () =>
    new ZohoError(
      400,
      'COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE',
      `"${c.comparator}" on ${c.api_name} needs ${LIST_COMPARATORS.has(c.comparator) ? (c.comparator.includes('between') ? 'a list of two values' : 'a list of values') : 'a single value'}.`,
      {
        api_name: c.api_name,
        comparator: c.comparator,
        type: 'value',
        value: c.value,
      },
    );
  if (LIST_COMPARATORS.has(c.comparator) !== list) throw incompatible();
  if (Array.isArray(c.value)) {
    if (c.value.length > BULK_READ_MAX_CRITERIA_VALUES) {
      throw new ZohoError(
        400,
        'VALUE_LIMIT_EXCEEDED_IN_CRITERIA',
        `At most ${BULK_READ_MAX_CRITERIA_VALUES} values are allowed in one criteria value list; ${c.api_name} has ${c.value.length}.`,
        { max_limit: BULK_READ_MAX_CRITERIA_VALUES },
      );
    }
    if (c.value.length === 0 || (c.comparator.includes('between') && c.value.length !== 2)) throw incompatible();
  }
}

/** The echo Zoho puts in job details: each condition's field as `{api_name, id}`. */
export function criteriaEcho(mod: ModuleEntry, c: BulkReadCriteria): BulkReadConditionOut | BulkReadGroupOut {
  if ('group' in c) return { group_operator: c.group_operator, group: c.group.map((g) => criteriaEcho(mod, g)) };
  return { field: { api_name: c.api_name, id: mod.byName.get(c.api_name)?.id ?? null }, comparator: c.comparator, value: c.value };
}

/** SQL expression of one field's value. `api_name` is checked against the metadata (word characters only). */
export function fieldSql(apiName: string): string {
  if (apiName === 'id') return 'id';
  if (!/^[A-Za-z0-9_]+$/.test(apiName)) throw new ZohoError(400, 'INVALID_CRITERIA', `"${apiName}" is not a field API name.`, {});
  return `json_extract(data, '$.${apiName}')`;
}

/** User fields a dotted Owner / user-lookup column may name (`Owner.email`). */
export const USER_COLUMN_FIELDS: ReadonlySet<string> = new Set(['id', 'email', 'full_name', 'first_name', 'last_name', 'status']);

/**
 * How one CSV column is read. A plain field is a `json_extract`; `Lookup.Field` reads the linked record's field
 * in the same query (a correlated lookup by primary key); `Owner.email` reads the user id here and is mapped to
 * the user's field while writing the CSV. Returns null when the name is not readable in this module.
 */
export function columnSql(
  emu: { meta: { module(name: string): ModuleEntry | null } },
  mod: ModuleEntry,
  name: string,
): { sql: string; user: string | null; dataType: string } | null {
  const dot = name.indexOf('.');
  if (dot < 0) {
    const f = readableField(mod, name);
    return f ? { sql: fieldSql(name), user: null, dataType: f.data_type } : null;
  }
  const base = mod.byName.get(name.slice(0, dot));
  const sub = name.slice(dot + 1);
  if (!base || !/^[A-Za-z0-9_]+$/.test(sub)) return null;
  if (LOOKUP_TYPES.has(base.data_type) && base.data_type !== 'lookup') {
    return USER_COLUMN_FIELDS.has(sub) ? { sql: fieldSql(base.api_name), user: sub, dataType: 'text' } : null;
  }
  const target = base.lookup && 'module' in base.lookup ? base.lookup.module?.api_name : undefined;
  const tm = target ? emu.meta.module(target) : null;
  if (base.data_type !== 'lookup' || !tm) return null;
  const tf = readableField(tm, sub);
  if (!tf) return null;
  const inner = sub === 'id' ? 't.id' : `json_extract(t.data, '$.${sub}')`;
  return {
    sql: `(SELECT ${inner} FROM records t WHERE t.module = '${tm.info.api_name}' AND t.id = json_extract(records.data, '$.${base.api_name}'))`,
    user: null,
    dataType: tf.data_type,
  };
}

type Param = string | number;

/** Compile a checked tree to a WHERE fragment and its parameters. */
export function criteriaSql(mod: ModuleEntry, c: BulkReadCriteria, params: Param[]): string {
  if ('group' in c) return `(${c.group.map((g) => criteriaSql(mod, g, params)).join(c.group_operator === 'and' ? ' AND ' : ' OR ')})`;
  const f = readableField(mod, c.api_name)!;
  const x = fieldSql(c.api_name);
  const numeric = NUMBER_TYPES.has(f.data_type) && c.api_name !== 'id';
  const bool = f.data_type === 'boolean';
  // One value as SQL: numbers for number fields, 1/0 for checkboxes (JSON true/false), lower-cased text otherwise.
  const val = (v: string | number | boolean): string => {
    if (bool) {
      params.push(v === true || String(v).toLowerCase() === 'true' ? 1 : 0);
      return '?';
    }
    if (numeric) {
      params.push(Number(v));
      return '?';
    }
    params.push(String(v).toLowerCase());
    return '?';
  };
  // Number fields may be stored as JSON numbers or (big integers) as digit strings: compare as numbers.
  const lhs = numeric ? `CAST(${x} AS REAL)` : bool ? x : `lower(${x})`;
  const isEmpty = `(${x} IS NULL OR ${x} = '')`;
  const scalar = c.value as string | number | boolean;
  switch (c.comparator) {
    case 'equal':
      return scalar === EMPTY ? isEmpty : `${lhs} = ${val(scalar)}`;
    case 'not_equal':
      return scalar === EMPTY ? `NOT ${isEmpty}` : `(${x} IS NULL OR ${lhs} <> ${val(scalar)})`;
    case 'in':
    case 'not_in': {
      const values = c.value as (string | number | boolean)[];
      const wantsEmpty = values.includes(EMPTY);
      const rest = values.filter((v) => v !== EMPTY);
      const inList = rest.length > 0 ? `${lhs} IN (${rest.map(val).join(',')})` : '0';
      const expr = wantsEmpty ? `(${isEmpty} OR ${inList})` : inList;
      return c.comparator === 'in' ? expr : `NOT COALESCE(${expr}, 0)`;
    }
    case 'less_than':
      return `${lhs} < ${val(scalar)}`;
    case 'less_equal':
      return `${lhs} <= ${val(scalar)}`;
    case 'greater_than':
      return `${lhs} > ${val(scalar)}`;
    case 'greater_equal':
      return `${lhs} >= ${val(scalar)}`;
    case 'between':
    case 'not_between': {
      const [a, b] = c.value as (string | number | boolean)[];
      const expr = `${lhs} BETWEEN ${val(a!)} AND ${val(b!)}`;
      return c.comparator === 'between' ? expr : `NOT COALESCE(${expr}, 0)`;
    }
    case 'contains':
      return `instr(${lhs}, ${val(scalar)}) > 0`;
    case 'not_contains':
      return `NOT COALESCE(instr(${lhs}, ${val(scalar)}) > 0, 0)`;
    // Each `?` binds its own parameter, so the value is pushed twice.
    case 'starts_with':
      return `substr(${lhs}, 1, length(${val(scalar)})) = ${val(scalar)}`;
    case 'ends_with':
      return `substr(${lhs}, -length(${val(scalar)})) = ${val(scalar)}`;
  }
}
