// The backup file: `id` plus the fields an update/upsert import is about to write, with their current (old)
// values, one row per record it will touch. Excel-safe like every download (UTF-8 BOM, CRLF, formula leaders
// escaped with `'`), but the escape must be undone exactly when the file comes back for an undo, so a value that
// itself starts with `'` is escaped too (decision 100): reading strips exactly one leading `'`, never guesses.

import Papa from 'papaparse';
import { startsWithFormulaLeader } from '../csv/excel-safe.ts';
import { quoteField } from '../csv/serialise.ts';
import type { UndoBackup } from './plan.ts';

/** Reversible escape: formula leaders and a leading apostrophe get one `'` in front. */
export function escapeBackupValue(v: string): string {
  return startsWithFormulaLeader(v) || v.startsWith("'") ? `'${v}` : v;
}

export function unescapeBackupValue(v: string): string {
  return v.startsWith("'") ? v.slice(1) : v;
}

export function backupCsv(backup: UndoBackup): string {
  const line = (cells: readonly string[]): string => cells.map(quoteField).join(',') + '\r\n';
  const parts = ['\uFEFF', line(['id', ...backup.fields])];
  for (const r of backup.rows) parts.push(line([r.id, ...backup.fields.map((_, i) => escapeBackupValue(r.values[i] ?? ''))]));
  return parts.join('');
}

export type BackupRead = { ok: true; backup: UndoBackup } | { ok: false; message: string };

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Reads a backup file back. Strict: the first column must be `id`, every other header a field API name, every row
 * as wide as the header with a digit id, no id twice. The first problem is reported with its row and column.
 */
export function readBackupCsv(text: string, module: string): BackupRead {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const res = Papa.parse<string[]>(clean, { delimiter: ',', quoteChar: '"', skipEmptyLines: 'greedy' });
  if (res.errors.length > 0) {
    const e = res.errors[0]!;
    return { ok: false, message: `The backup file could not be read as CSV at row ${(e.row ?? 0) + 1}: ${e.message}.` };
  }
  const [header, ...rows] = res.data;
  if (!header || header[0]?.trim() !== 'id')
    return { ok: false, message: 'This is not a backup file: its first column must be "id" (the file made by Download backup).' };
  const fields = header.slice(1).map((h) => h.trim());
  const badField = fields.findIndex((f) => !FIELD_NAME.test(f));
  if (badField !== -1) return { ok: false, message: `Column ${badField + 2} of the backup header ("${fields[badField]}") is not a field API name.` };
  if (new Set(fields).size !== fields.length) return { ok: false, message: 'The backup header names a field twice.' };
  const seen = new Set<string>();
  const out: { id: string; values: string[] }[] = [];
  for (const [i, r] of rows.entries()) {
    const line = i + 2;
    if (r.length !== header.length)
      return {
        ok: false,
        message: `Row ${line} of the backup has ${r.length} values; the header has ${header.length}. The file was changed or cut; use the file as downloaded.`,
      };
    const id = (r[0] ?? '').trim();
    if (!/^\d{1,30}$/.test(id)) return { ok: false, message: `Row ${line} of the backup, column "id": "${id}" is not a record id.` };
    if (seen.has(id)) return { ok: false, message: `Row ${line} of the backup repeats record id ${id}.` };
    seen.add(id);
    out.push({ id, values: r.slice(1).map(unescapeBackupValue) });
  }
  return { ok: true, backup: { module, fields, rows: out } };
}
