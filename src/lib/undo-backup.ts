// The backup made before an update/upsert by record id writes anything: for every record the prepared files name
// by id, its current values of the fields the import will write (read 100 at a time), as an UndoBackup for
// backupCsv(). Matches by another field need the org check's snapshot to know the ids (not read here).
import type { Connection } from '../api/connection.ts';
import { recordsByIds, type RecordRead } from '../api/delete-records.ts';
import type { RetryWait } from '../api/retry.ts';
import { extractResultCsv, parseResultCsv } from '../domain/jobs/reconcile.ts';
import { batches, type UndoBackup } from '../domain/undo/plan.ts';

/** A value from the records API as the CSV text Bulk Write reads back: lookups and users by id, lists by `;`. */
export function backupCell(v: RecordRead[string]): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null && 'id' in x ? String((x as { id: unknown }).id) : String(x))).join(';');
  if (typeof v === 'object') return 'id' in v ? String(v.id) : JSON.stringify(v);
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

export async function readBackupById(
  conn: Connection,
  module: string,
  zips: readonly Uint8Array[],
  o: { onProgress?: (done: number, total: number) => void; onWait?: (w: RetryWait) => void; signal?: AbortSignal } = {},
): Promise<UndoBackup> {
  let fields: string[] | null = null;
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const zip of zips) {
    const table = parseResultCsv(await extractResultCsv(zip));
    const idAt = table.header.indexOf('id');
    if (idAt === -1) throw new Error('The prepared file has no "id" column, so the records it will update are not known by id.');
    const these = table.header.filter((_, i) => i !== idAt);
    if (fields === null) fields = these;
    else if (fields.join(',') !== these.join(',')) throw new Error('The prepared files do not all write the same fields.');
    for (const r of table.rows) {
      const id = (r[idAt] ?? '').trim();
      if (/^\d{1,30}$/.test(id) && !seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }
  const f = fields ?? [];
  const rows: UndoBackup['rows'][number][] = [];
  let done = 0;
  for (const batch of batches(ids, 100)) {
    const got = await recordsByIds(conn, module, batch, f, { ...(o.signal ? { signal: o.signal } : {}), ...(o.onWait ? { onWait: o.onWait } : {}) });
    // An id the org does not hold is not in the backup: the import skips it (nothing to put back).
    for (const id of batch) {
      const rec = got.get(id);
      if (rec) rows.push({ id, values: f.map((name) => backupCell(rec[name])) });
    }
    done += batch.length;
    o.onProgress?.(done, ids.length);
  }
  return { module, fields: f, rows };
}
