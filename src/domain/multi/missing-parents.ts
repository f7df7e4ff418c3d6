// "Create the N missing accounts first" (issue 11 item 3): the org check predicts which rows a lookup cannot find
// (INVALID_DATA on the lookup field); their distinct values become a parent source — an insert of those names into
// the looked-up module — written in the same run before the children, which then link to the new records by id
// (decision 115). Pure.
import type { SourceRow } from '../csv/types.ts';
import type { FieldModel } from '../fields/field-model.ts';
import { emptyColumnMapping, RECORD_ID, type Mapping } from '../mapping/mapping.ts';
import { linkKey } from './linking.ts';
import type { RunSource } from './run-plan.ts';

/**
 * The part of an org-check prediction this reads: Zoho's codes and fields a row would be skipped with, and the
 * check's own findings on its cells (`code` NEAR_MATCH: the org has the value once case and spaces are ignored;
 * SHARED_LOOKUP: several records have it).
 */
export interface PredictedErrors {
  errors: readonly { code: string; apiName: string }[];
  issues?: readonly { column: number | null; code?: string }[];
}

/** Findings that say the org HAS the value (under another spelling, or more than once): no record is missing. */
const ORG_HAS_IT = new Set(['NEAR_MATCH', 'SHARED_LOOKUP']);

export interface MissingParents {
  /** The child's lookup column and field, and the module and field the names are written to. */
  column: number;
  apiName: string;
  fieldLabel: string;
  parentModule: string;
  findBy: string;
  /** Distinct values (trimmed, compared as find_by compares), in the order the file first names them. */
  names: string[];
  /** 0-based child rows that name them. */
  rowIndexes: number[];
}

/**
 * The lookups of a child source whose cells name records the org does not have: per lookup column matched by a
 * field (not by id), the distinct values of the rows the org check predicts to fail on that field and on nothing
 * else. Not offered: a value the org has under another spelling (its clean-up is offered) or more than once (a new
 * record would make it more ambiguous still), and a row skipped for another reason as well (creating its parent would
 * not get it written).
 */
export function findMissingParents(
  source: Pick<RunSource, 'mapping' | 'fields'>,
  rows: readonly SourceRow[],
  prediction: (rowIndex: number) => PredictedErrors | null,
): MissingParents[] {
  const out: MissingParents[] = [];
  const fieldByName = new Map(source.fields.map((f) => [f.apiName, f]));
  const lookups = new Set(source.fields.filter((f) => f.dataType === 'lookup').map((f) => f.apiName));
  for (const c of source.mapping.columns) {
    const field = c.apiName === null ? undefined : fieldByName.get(c.apiName);
    if (field === undefined || field.dataType !== 'lookup' || field.lookupModule === null) continue;
    // Cells that hold record ids name records that exist or nothing: there is no name to create a record from.
    if (c.findBy === null || c.findBy === RECORD_ID) continue;
    const seen = new Set<string>();
    const names: string[] = [];
    const rowIndexes: number[] = [];
    rows.forEach((row, i) => {
      const p = prediction(i);
      if (p === null || !p.errors.some((e) => e.code === 'INVALID_DATA' && e.apiName === field.apiName)) return;
      if (!p.errors.every((e) => e.code === 'INVALID_DATA' && lookups.has(e.apiName))) return;
      if (p.issues?.some((x) => x.column === c.column && x.code !== undefined && ORG_HAS_IT.has(x.code))) return;
      const value = (row.cells[c.column] ?? '').trim();
      if (value === '') return;
      rowIndexes.push(i);
      const key = linkKey(value, true);
      if (seen.has(key)) return;
      seen.add(key);
      names.push(value);
    });
    if (names.length > 0)
      out.push({ column: c.column, apiName: field.apiName, fieldLabel: field.label, parentModule: field.lookupModule, findBy: c.findBy, names, rowIndexes });
  }
  return out;
}

/**
 * The parent source that creates the missing records: one row per name, into the looked-up module's `findBy`
 * field. `parentFields` are that module's fields; a mandatory field other than the name would make every row fail,
 * so it is reported instead of sending rows Zoho will skip.
 */
export function missingParentsSource(
  missing: MissingParents,
  parentFields: readonly FieldModel[],
  id: string,
  childName: string,
): { ok: true; source: RunSource; rows: SourceRow[] } | { ok: false; message: string } {
  const key = parentFields.find((f) => f.apiName === missing.findBy);
  if (key === undefined)
    return { ok: false, message: `${missing.parentModule} records cannot be created from ${missing.fieldLabel}: the module has no field ${missing.findBy}.` };
  if (!key.writable.ok) return { ok: false, message: `${missing.parentModule} records cannot be created from ${missing.fieldLabel}: ${key.writable.reason}` };
  const otherMandatory = parentFields.filter((f) => f.mandatory && f.apiName !== missing.findBy && f.writable.ok);
  if (otherMandatory.length > 0) {
    return {
      ok: false,
      message: `${missing.parentModule} also requires ${otherMandatory.map((f) => f.label).join(', ')}, which ${childName} does not give, so the missing ${missing.parentModule} cannot be created from their names alone. Import them from a file of their own first.`,
    };
  }
  const mapping: Mapping = { columns: [{ ...emptyColumnMapping(0), apiName: missing.findBy }], defaults: [] };
  const source: RunSource = {
    id,
    name: `missing ${missing.parentModule} named in ${childName}`,
    module: missing.parentModule,
    operation: 'insert',
    mapping,
    fields: parentFields,
    headers: [key.label],
  };
  // Line numbers count like a file's: the header is line 1.
  return { ok: true, source, rows: missing.names.map((name, i) => ({ line: i + 2, cells: [name] })) };
}
