// The table-level checks of pre-flight (the mapping against the module's fields, find_by, date formats, default
// values, the column limit) and the per-column preparation every row check uses: validators compiled once per
// column, pick-list sets, which columns are numbers and which are unique.
import { isValidDatePattern } from '../fields/date-format.ts';
import { isUserLookup, USER_FIND_BY, type FieldModel } from '../fields/field-model.ts';
import { compileValidator, type CompiledValidator } from '../fields/validate-value.ts';
import { RECORD_ID, resolveMapping } from '../mapping/mapping.ts';
import { userDirectory } from '../org-check/users.ts';
import { columnName, tableIssue, type Issue } from './issues.ts';
import type { Prepared, TableInput } from './preflight-state.ts';
import { isBlank } from './row-rules.ts';

export const MAX_MAPPED_COLUMNS = 200;

const NUMBER_TYPES: ReadonlySet<string> = new Set(['integer', 'bigint', 'currency', 'double', 'percent']);

/** The mapping-level issues of `input` and the per-column preparation for its rows. */
/** A user cell's validator once the users are read: any form passes here; whom it names is checked per value. */
const USER_CELL: CompiledValidator = { check: () => null, normalise: (raw) => raw.trim() };

export function prepare(input: TableInput): Prepared {
  const { mapping, fields, operation, findBy } = input;
  const tableIssues: Issue[] = [];
  const { resolved, problems } = resolveMapping(mapping, fields);
  for (const p of problems) {
    tableIssues.push(
      tableIssue(p.kind === 'unknown_field' ? 'UNKNOWN_FIELD' : 'FIELD_NOT_WRITABLE', p.message, {
        column: p.column,
        apiName: p.apiName,
        fix: { kind: 'unmap', label: 'Unmap the column' },
      }),
    );
  }
  const mappedCount = mapping.columns.filter((c) => c.apiName !== null).length + mapping.defaults.length;
  if (mappedCount === 0)
    tableIssues.push(
      tableIssue('NOTHING_MAPPED', 'No column is mapped to a field, so there is nothing to import. Map at least one column.', {
        fix: { kind: 'map', label: 'Map columns' },
      }),
    );
  if (mappedCount > MAX_MAPPED_COLUMNS) {
    tableIssues.push(
      tableIssue(
        'HEADER_LIMIT_EXCEEDED',
        `${mappedCount} fields are mapped; Zoho's Bulk Write accepts at most ${MAX_MAPPED_COLUMNS} columns per job. Unmap ${mappedCount - MAX_MAPPED_COLUMNS} of them.`,
        { fix: { kind: 'unmap', label: 'Unmap columns' } },
      ),
    );
  }
  if (operation !== 'update') {
    const mapped = new Set(resolved.map((r) => r.field.apiName));
    for (const f of fields) {
      if (f.mandatory && f.writable.ok && !mapped.has(f.apiName)) {
        tableIssues.push(
          tableIssue(
            'MANDATORY_FIELDS_NOT_MAPPED',
            `${f.label} is required for new records but no column is mapped to it. Map a column to ${f.label} or give it a default value.`,
            { apiName: f.apiName, fix: { kind: 'map', label: `Map ${f.label}` } },
          ),
        );
      }
    }
  }
  let findByIndex: number | null = null;
  let findByField: FieldModel | null = null;
  if (findBy === null || findBy === '') {
    if (operation !== 'insert')
      tableIssues.push(
        tableIssue('FIND_BY_MISSING', `${operation === 'update' ? 'Update' : 'Upsert'} needs "Match records by": choose the record id or a unique field.`, {
          fix: { kind: 'find-by', label: 'Choose how to match records' },
        }),
      );
  } else {
    if (findBy !== RECORD_ID) {
      const f = fields.find((x) => x.apiName === findBy);
      if (f === undefined || f.unique === null) {
        tableIssues.push(
          tableIssue(
            'FIND_BY_NOT_UNIQUE',
            `Records can only be matched by the record id or a unique field; ${f?.label ?? findBy} is not unique. Choose another field.`,
            { apiName: findBy, fix: { kind: 'find-by', label: 'Choose how to match records' } },
          ),
        );
      } else findByField = f;
    }
    const col = mapping.columns.find((c) => c.apiName === findBy);
    if (col === undefined) {
      tableIssues.push(
        tableIssue(
          'FIND_BY_NOT_MAPPED',
          `Records are matched by ${findByField?.label ?? findBy}, so a column must be mapped to it. Map the column that holds it.`,
          { apiName: findBy, fix: { kind: 'map', label: `Map ${findByField?.label ?? findBy}` } },
        ),
      );
    } else findByIndex = col.column;
  }
  for (const r of resolved) {
    const where = r.index === null ? `The default value of ${r.field.label}` : `Column ${r.index + 1} (${r.field.label})`;
    if (r.format !== null && !isValidDatePattern(r.format)) {
      tableIssues.push(
        tableIssue('INVALID_FORMAT', `${where} has the date format "${r.format}", which is not a valid pattern. Choose a format such as dd/MM/yyyy.`, {
          column: r.index,
          apiName: r.field.apiName,
          fix: { kind: 'format', label: 'Choose a date format' },
        }),
      );
    }
    if (r.findBy !== null && isUserLookup(r.field) && !USER_FIND_BY.has(r.findBy)) {
      tableIssues.push(
        tableIssue(
          'LOOKUP_FIND_BY_NOT_LOOKUP',
          `${where} finds users by "${r.findBy}", but ${r.field.label} finds users by their id or e-mail only. Choose e-mail (or id).`,
          { column: r.index, apiName: r.field.apiName },
        ),
      );
    } else if (r.findBy !== null && r.field.dataType !== 'lookup' && !isUserLookup(r.field)) {
      tableIssues.push(
        tableIssue(
          'LOOKUP_FIND_BY_NOT_LOOKUP',
          `${where} says which field to find a linked record by, but ${r.field.label} is not a lookup. Remove that setting.`,
          { column: r.index, apiName: r.field.apiName },
        ),
      );
    }
    if (r.defaultValue !== null && !isBlank(r.defaultValue)) {
      const failure = compileValidator(r.field, { format: r.format, findBy: r.findBy }).check(r.defaultValue);
      if (failure !== null) {
        tableIssues.push(
          tableIssue('INVALID_DEFAULT', `${where}: the default value is not valid — ${failure.message} Zoho refuses the whole job with an invalid default.`, {
            column: r.index,
            apiName: r.field.apiName,
            fix: { kind: 'default', label: 'Change the default value' },
          }),
        );
      }
    }
  }
  // One directory of the users for every user column (the Map step read them; null: cells checked for form only).
  const directory = input.users ? userDirectory(input.users) : null;
  return {
    resolved,
    rowTails: [],
    columnNames: resolved.map((r) => columnName(r.index === null ? undefined : input.headers[r.index], r.field.label, r.field.apiName)),
    // With the users read, a user cell is sent as the id of the user it names whatever its form (an id, an e-mail, a
    // full name: userIdColumn): it is judged by whom it names (row-check.ts userTail, decision 175), not by its form.
    validators: resolved.map((r) =>
      directory !== null && isUserLookup(r.field) ? USER_CELL : compileValidator(r.field, { format: r.format, findBy: r.findBy }),
    ),
    picklists: resolved.map((r) => (r.field.dataType === 'picklist' || r.field.dataType === 'multiselectpicklist' ? new Set(r.field.picklistValues) : null)),
    numeric: resolved.map((r) => NUMBER_TYPES.has(r.field.dataType)),
    knownCache: resolved.map((r) => (r.field.dataType === 'picklist' || r.field.dataType === 'multiselectpicklist' ? new Map<string, boolean>() : null)),
    userDirectories: resolved.map((r) => (directory !== null && isUserLookup(r.field) ? directory : null)),
    userTails: resolved.map((r) => (directory !== null && isUserLookup(r.field) ? new Map<string, string | null>() : null)),
    uniqueMappings: resolved.filter((r) => r.field.unique !== null),
    uniqueValidators: resolved.filter((r) => r.field.unique !== null).map((r) => compileValidator(r.field, { format: r.format, findBy: r.findBy })),
    uniqueKeyArrays: [],
    findByIndex,
    findByField,
    tableIssues,
  };
}
