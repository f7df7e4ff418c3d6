// The backup made before an update/upsert writes anything: for every record the prepared files will touch, its
// current values of the fields the import will write, as an UndoBackup for backupCsv(). By record id the ids are
// in the files (read 100 at a time through the records API); by another field (e.g. Email) the module is read
// with Bulk Read and each record is matched the way Bulk Write matches it (the field's normalised, case-folded
// unique key), so every record a row can update is in the backup.
import type { Connection } from '../api/connection.ts';
import { recordsByIds, type RecordRead } from '../api/delete-records.ts';
import { createBulkRead } from '../api/create-bulk-read.ts';
import { downloadBulkRead } from '../api/download-bulk-read.ts';
import { bulkReadPollDelay, fetchBulkReadRetrying, isBulkReadDone } from '../api/get-bulk-read.ts';
import { fetchFields } from '../api/get-fields.ts';
import { pause, type RetryWait } from '../api/retry.ts';
import { fieldModelFromMeta } from '../domain/fields/field-model.ts';
import { compileValidator } from '../domain/fields/validate-value.ts';
import { forEachCsvRecord, headerIndex } from '../domain/org-check/snapshot.ts';
import { uniqueKey } from '../domain/validation/row-rules.ts';
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
  const { header, rows: prepared } = preparedRows(zips);
  const idAt = header.indexOf('id');
  if (idAt === -1) throw new Error('The prepared file has no "id" column, so the records it will update are not known by id.');
  const fields = header.filter((_, i) => i !== idAt);
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const r of prepared) {
    const id = (r[idAt] ?? '').trim();
    if (/^\d{1,30}$/.test(id) && !seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  const f = fields;
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

/** The header and rows of the prepared files, which must all write the same fields. */
function preparedRows(zips: readonly Uint8Array[]): { header: string[]; rows: string[][] } {
  let header: string[] | null = null;
  const rows: string[][] = [];
  for (const zip of zips) {
    const table = parseResultCsv(extractResultCsv(zip));
    if (header === null) header = table.header;
    else if (header.join(',') !== table.header.join(',')) throw new Error('The prepared files do not all write the same fields.');
    rows.push(...table.rows);
  }
  return { header: header ?? [], rows };
}

const sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  if (!(await pause(ms, signal))) throw new DOMException('The backup was cancelled.', 'AbortError');
};

/**
 * The backup of an update/upsert matched by a unique field: reads `id`, the match field and the written fields of
 * the whole module with Bulk Read (50 credits a job, 200,000 records a page) and keeps the records whose match key
 * one of the prepared rows carries. Rows that match nothing are adds (upsert) or skips: nothing to put back.
 */
export async function readBackupByMatch(
  conn: Connection,
  module: string,
  matchField: string,
  zips: readonly Uint8Array[],
  o: { onProgress?: (pagesDone: number) => void; onWait?: (w: RetryWait) => void; signal?: AbortSignal; pollDelay?: (n: number) => number } = {},
): Promise<UndoBackup> {
  const { header, rows } = preparedRows(zips);
  const matchAt = header.indexOf(matchField);
  if (matchAt === -1) throw new Error(`The prepared files have no "${matchField}" column, so the records this import will update cannot be found.`);
  const fields = header.filter((h) => h !== 'id');
  const meta = (await fetchFields(conn, module, o.signal)).map(fieldModelFromMeta);
  const model = meta.find((f) => f.apiName === matchField);
  if (!model) throw new Error(`${module} has no field "${matchField}" to match records by.`);
  const validator = compileValidator(model);
  const keyOf = (raw: string): string | null => {
    const t = raw.trim();
    return t === '' || validator.check(t) !== null ? null : uniqueKey(model, validator.normalise(t));
  };
  const wanted = new Set<string>();
  for (const r of rows) {
    const k = keyOf(r[matchAt] ?? '');
    if (k !== null) wanted.add(k);
  }
  const out: UndoBackup['rows'][number][] = [];
  const opt = o.signal ? { signal: o.signal } : {};
  // A status ask refused (429) or failed on the way is waited out and asked again.
  const statusOpt = { ...opt, ...(o.onWait ? { onWait: o.onWait } : {}) };
  let token: string | null = null;
  for (let page = 1; wanted.size > 0; page++) {
    const jobId = await createBulkRead(conn, { module, fields, pageToken: token }, o.signal);
    let job = await fetchBulkReadRetrying(conn, jobId, statusOpt);
    for (let n = 0; !isBulkReadDone(job); n++) {
      await sleep((o.pollDelay ?? bulkReadPollDelay)(n), o.signal);
      job = await fetchBulkReadRetrying(conn, jobId, statusOpt);
    }
    if (job.state === 'FAILURE')
      throw new Error(
        `Zoho could not read ${module} for the backup (Bulk Read job ${jobId} failed${job.result?.error_message?.code ? `: ${job.result.error_message.code}` : ''}). Try again later.`,
      );
    const zip = await downloadBulkRead(conn, jobId, job.result?.download_url, { ...opt, ...(o.onWait ? { onWait: o.onWait } : {}) });
    let at: number[] | null = null;
    const whole = forEachCsvRecord(extractResultCsv(zip), (cells) => {
      if (at === null) {
        at = ['id', ...fields].map((f) => headerIndex(cells, f));
        const missing = ['id', ...fields].filter((_, i) => at![i] === -1);
        if (missing.length > 0) throw new Error(`Zoho's Bulk Read of ${module} has no column ${missing.map((m) => `"${m}"`).join(', ')}.`);
        return;
      }
      const key = keyOf(cells[at[1 + fields.indexOf(matchField)]!] ?? '');
      if (key !== null && wanted.has(key)) out.push({ id: cells[at[0]!] ?? '', values: fields.map((_, i) => cells[at![i + 1]!] ?? '') });
    });
    if (!whole) throw new Error(`Zoho's Bulk Read of ${module} ended inside a quoted value (a truncated file). Try the backup again.`);
    o.onProgress?.(page);
    if (job.result?.more_records !== true || !job.result.next_page_token) break;
    token = job.result.next_page_token;
  }
  return { module, fields, rows: out };
}
