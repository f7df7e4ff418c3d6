// The pre-flight Issue model and the wording shared by its checks: codes, fix kinds, where an issue is ("Line 7,
// "Email" (E-mail)") and the issue of a repeated unique value, which the full pass and the per-edit re-check share.
import type { FieldModel } from '../fields/field-model.ts';
import type { ResolvedMapping } from './row-rules.ts';

export type IssueCode =
  | 'MANDATORY_NOT_FOUND'
  | 'INVALID_DATA'
  | 'DUPLICATE_DATA'
  | 'MANDATORY_FIELDS_NOT_MAPPED'
  | 'FIND_BY_MISSING'
  | 'FIND_BY_NOT_UNIQUE'
  | 'FIND_BY_NOT_MAPPED'
  | 'HEADER_LIMIT_EXCEEDED'
  | 'FIELD_NOT_WRITABLE'
  | 'UNKNOWN_FIELD'
  | 'INVALID_FORMAT'
  | 'INVALID_DEFAULT'
  | 'LOOKUP_FIND_BY_NOT_LOOKUP'
  | 'NOTHING_MAPPED'
  | 'NEW_PICKLIST_VALUE'
  | 'MANDATORY_IF_NEW'
  | 'LEADING_ZEROS_LOST';

export type FixKind = 'date' | 'phone' | 'boolean' | 'trim' | 'number' | 'edit' | 'default' | 'map' | 'unmap' | 'find-by' | 'format';

export interface Issue {
  /** 0-based data row index (null for table-level issues). */
  row: number | null;
  /** 1-based source line of the row. */
  line: number | null;
  /** 0-based CSV column. */
  column: number | null;
  apiName: string | null;
  code: IssueCode;
  severity: 'error' | 'warning';
  /**
   * A row check's cell issue computes it when read (a getter of its class, decision 147): read it, or copy an issue
   * field by field; an object spread of such an issue has no message.
   */
  readonly message: string;
  /**
   * Set when `message` is `Line ${line}, ` + tail, with a tail shared by every row that has the same problem in the
   * same column: packing reads it instead of the message (reading a joined string's characters copies it whole).
   */
  tail?: string;
  fix?: { kind: FixKind; label: string };
}

export interface ColumnCounts {
  errors: number;
  warnings: number;
}

export const FIX_BY_RULE: Readonly<Record<string, { kind: FixKind; label: string }>> = {
  'phone.characters': { kind: 'phone', label: 'Clean up phone numbers' },
  'date.format': { kind: 'date', label: 'Convert dates or set the date format' },
  'datetime.format': { kind: 'date', label: 'Convert date-times or set the format' },
  'boolean.format': { kind: 'boolean', label: 'Convert yes/no values to true/false' },
  'integer.format': { kind: 'number', label: 'Clean up numbers' },
  'bigint.format': { kind: 'number', label: 'Clean up numbers' },
  'decimal.format': { kind: 'number', label: 'Clean up numbers' },
  'percent.format': { kind: 'number', label: 'Clean up numbers' },
  'date.invalid_format': { kind: 'format', label: 'Choose a valid date format' },
  'datetime.invalid_format': { kind: 'format', label: 'Choose a valid date format' },
  'field.not_writable': { kind: 'unmap', label: 'Unmap the column' },
};
export const EDIT_FIX = { kind: 'edit', label: 'Edit the value' } as const;
export const DEFAULT_FIX = { kind: 'default', label: 'Fill the cell or set a default value' } as const;
export const TRIM_FIX = { kind: 'trim', label: 'Trim spaces around values' } as const;

export function tableIssue(code: IssueCode, message: string, extra: Partial<Issue> = {}, severity: 'error' | 'warning' = 'error'): Issue {
  return { row: null, line: null, column: null, apiName: null, code, severity, message, ...extra };
}

/** How an issue names its column: the header in quotes, with the field's label when they differ. */
export function columnName(header: string | undefined, label: string, apiName = label): string {
  return header === undefined ? label : header === label || header === apiName ? `"${header}"` : `"${header}" (${label})`;
}

export function location(line: number | null, header: string | undefined, label: string, apiName = label): string {
  return `Line ${line ?? '?'}, ${columnName(header, label, apiName)}`;
}
export const at = (line: number | null, header: string | undefined, f: FieldModel) => location(line, header, f.label, f.apiName);

export function addIssue(list: Issue[] | null, issue: Issue): Issue[] {
  if (list === null) return [issue];
  list.push(issue);
  return list;
}

/**
 * A row's own issues: the issue itself when there is one (most rows with a problem have exactly one), a list when
 * there are more. At a million rows with an issue each, a one-issue list per row was a million arrays to allocate,
 * keep and scan in every minor GC.
 */
export type RowIssues = Issue | Issue[];

export function addRowIssue(issues: RowIssues | null, issue: Issue): RowIssues {
  if (issues === null) return issue;
  if (Array.isArray(issues)) {
    issues.push(issue);
    return issues;
  }
  return [issues, issue];
}

/** The issues of a RowIssues as a list (the list itself when it is one). */
export function rowIssueList(issues: RowIssues): readonly Issue[] {
  return Array.isArray(issues) ? issues : [issues];
}

/** Row `row` repeats the unique value of `m` that row `holder` (earlier, written) already has. */
export function duplicateIssue(m: ResolvedMapping, row: number, line: number | null, holderLine: number | null, header: string | undefined): Issue {
  return {
    row,
    line,
    column: m.index,
    apiName: m.field.apiName,
    code: 'DUPLICATE_DATA',
    severity: 'error',
    message: `${at(line, header, m.field)}: ${m.field.label} must be unique, and line ${holderLine ?? '?'} of this file already has the same value${m.field.unique?.caseSensitive === true ? '' : ' (ignoring case)'}. Zoho will skip this row. Change the value or exclude one of the rows.`,
    fix: EDIT_FIX,
  };
}
