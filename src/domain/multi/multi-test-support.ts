// Builders for the multi-module tests: Accounts, Contacts and Deals shaped like the emulator's seed metadata,
// mapped by header, as plain RunSources and rows.
import type { SourceRow } from '../csv/types.ts';
import type { FieldModel } from '../fields/field-model.ts';
import { fieldOf } from '../fields/test-fields.ts';
import { emptyColumnMapping, type Mapping } from '../mapping/mapping.ts';
import type { RunSource } from './run-plan.ts';

const lookupTo = (module: string) => ({ lookup: { module: { api_name: module } } });

export const MODULE_FIELDS: Readonly<Record<string, FieldModel[]>> = {
  Accounts: [
    fieldOf('Account_Name', 'text', { length: 200, system_mandatory: true }),
    fieldOf('Phone', 'phone', { length: 30 }),
    fieldOf('Parent_Account', 'lookup', lookupTo('Accounts')),
  ],
  Contacts: [
    fieldOf('Last_Name', 'text', { length: 80, system_mandatory: true }),
    fieldOf('Email', 'email', { unique: { case_sensitive: false } }),
    fieldOf('Account_Name', 'lookup', lookupTo('Accounts')),
  ],
  Deals: [
    fieldOf('Deal_Name', 'text', { length: 120, system_mandatory: true }),
    fieldOf('Account_Name', 'lookup', lookupTo('Accounts')),
    fieldOf('Contact_Name', 'lookup', lookupTo('Contacts')),
  ],
};

/** A source whose headers are field API names; `findBy` gives each lookup column's find_by. */
export function sourceOf(
  id: string,
  module: string,
  headers: readonly string[],
  findBy: Readonly<Record<string, string>> = {},
  fields?: FieldModel[],
): RunSource {
  const mapping: Mapping = {
    columns: headers.map((h, i) => ({ ...emptyColumnMapping(i), apiName: h === '' ? null : h, findBy: findBy[h] ?? null })),
    defaults: [],
  };
  return { id, name: `${id}.csv`, module, operation: 'insert', mapping, fields: fields ?? MODULE_FIELDS[module] ?? [], headers };
}

/** Rows from cell arrays; line = index + 2 (line 1 is the header). */
export function rowsOf(cells: readonly (readonly string[])[]): SourceRow[] {
  return cells.map((c, i) => ({ line: i + 2, cells: [...c] }));
}
