// The ERRORS cell of a Bulk Write result file (contract §7): `CODE-col,col:CODE-col`. Written by the emulator,
// read by the client, and explained to people in plain language with what to do next.
import { ROW_ERROR_CODES, type RowErrorCode } from '../fields/field-meta.ts';

export interface RowErrorRef {
  /** A RowErrorCode, or any other code Zoho sends (kept as-is, never dropped). */
  code: string;
  apiName: string;
}

/**
 * Format errors the way Zoho does: one group per code (in first-seen order), its columns joined with `,`, groups
 * joined with `:` — e.g. `MANDATORY_NOT_FOUND-Company,Last_Name:DUPLICATE_DATA-Email`.
 */
export function formatRowErrors(errors: readonly RowErrorRef[]): string {
  const groups = new Map<string, string[]>();
  for (const e of errors) {
    const cols = groups.get(e.code);
    if (cols === undefined) groups.set(e.code, e.apiName === '' ? [] : [e.apiName]);
    else if (e.apiName !== '' && !cols.includes(e.apiName)) cols.push(e.apiName);
  }
  const parts: string[] = [];
  for (const [code, cols] of groups) parts.push(cols.length === 0 ? code : `${code}-${cols.join(',')}`);
  return parts.join(':');
}

const GROUP_RE = /^([A-Za-z_]+)\s*(?:-\s*(.*))?$/s;

/**
 * Parse an ERRORS cell leniently: spaces around separators tolerated, known codes in any case, unknown codes kept as-is,
 * a code with no column gives apiName ''. Text that does not look like codes at all is kept whole as one
 * error with code = the text, so nothing Zoho says is lost.
 */
export function parseRowErrors(text: string): RowErrorRef[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const out: RowErrorRef[] = [];
  for (const rawGroup of trimmed.split(':')) {
    const group = rawGroup.trim();
    if (group === '') continue;
    const m = GROUP_RE.exec(group);
    if (m === null) {
      out.push({ code: group, apiName: '' });
      continue;
    }
    // Known codes are matched in any case; anything else is kept exactly as Zoho wrote it.
    const written = m[1] ?? '';
    const code = isRowErrorCode(written.toUpperCase()) ? written.toUpperCase() : written;
    const cols = (m[2] ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    if (cols.length === 0) out.push({ code, apiName: '' });
    else for (const apiName of cols) out.push({ code, apiName });
  }
  return out;
}

export function isRowErrorCode(code: string): code is RowErrorCode {
  return (ROW_ERROR_CODES as readonly string[]).includes(code);
}

/**
 * A plain-language reason for one row error, with what to do. `fieldLabel` (the field's label) reads better than
 * the API name when the caller has it.
 */
export function describeRowError(code: string, apiName: string, fieldLabel?: string | null): string {
  const name = fieldLabel ?? (apiName === '' ? null : apiName);
  const f = name === null ? 'a field' : `"${name}"`;
  switch (code as RowErrorCode) {
    case 'MANDATORY_NOT_FOUND':
      return `${name === null ? 'A required field' : `The required field ${f}`} is empty. Fill it in, or set a default value for it in the mapping, then re-send the row.`;
    case 'INVALID_DATA':
      return `The value for ${f} is not accepted by Zoho CRM (wrong format, too long, or a linked record that does not exist). Correct the value and re-send the row.`;
    case 'DUPLICATE_DATA':
      return `The value for ${f} must be unique, and a record (or an earlier row of this file) already has it. Change the value, or use Update/Upsert matching on this field to update that record instead.`;
    case 'NOT_APPROVED':
      return 'The record is waiting for approval in Zoho CRM, so it cannot be changed now. Ask an approver to act on it, then re-send the row.';
    case 'BLOCKED_RECORD':
      return 'The record is locked (for example by a review or approval process) and was not changed. Unlock it in Zoho CRM, then re-send the row.';
    case 'CANNOT_PROCESS':
      return `Zoho CRM could not process this row${name === null ? '' : ` (${f})`}. Check the row for unusual values and re-send it; if it keeps failing, contact Zoho support.`;
    case 'LIMIT_EXCEEDED':
      return `A limit was reached${name === null ? '' : ` for ${f}`} (for example the number of records or the size of a value). Split the import or shorten the value, then re-send the row.`;
    case 'RESOURCE_NOT_FOUND':
      return `No existing record matched this row${name === null ? '' : ` by ${f}`}, so there was nothing to update. Check the matching value, or use Upsert to create the record instead.`;
    default:
      return `Zoho CRM reported "${code}"${name === null ? '' : ` for ${f}`}. Check the row's values and re-send it.`;
  }
}
