// Records of the emulated org, with a side table of unique-field values so unique checks and find_by lookups are
// indexed reads. Everything here runs inside the caller's transaction when there is one.
import type Database from 'better-sqlite3';
import type { FieldModel } from '../../src/domain/fields/field-model.ts';
import { uniqueKey as domainUniqueKey } from '../../src/domain/validation/row-rules.ts';
import type { IdAllocator } from '../ids.ts';

export type StoredValue = string | number | boolean | string[] | null;
export type RecordData = Record<string, StoredValue>;

export interface StoredRecord {
  id: string;
  module: string;
  jobId: string | null;
  data: RecordData;
}

/** Unique comparisons follow `unique.case_sensitive` (default false → compare lower-cased), via the domain rule. */
export function uniqueKey(f: FieldModel, value: StoredValue | undefined): string | null {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return null;
  return domainUniqueKey(f, value);
}

/** A recycle-bin row: the record's data as it was when deleted, who deleted it and when. */
export interface DeletedRow {
  module: string;
  id: string;
  data: string;
  deleted_time: string;
  deleted_by: string;
}

export class RecordStore {
  private readonly db: Database.Database;
  private readonly ids: IdAllocator;
  private readonly sGet;
  private readonly sInsert;
  private readonly sUpdate;
  private readonly sUniqueGet;
  private readonly sUniquePut;
  private readonly sUniqueDel;
  private readonly sPage;
  private readonly sCount;
  private readonly sByField;
  private readonly sDelete;
  private readonly sBinPut;
  private readonly sBinPage;
  private readonly sBinCount;

  constructor(db: Database.Database, ids: IdAllocator) {
    this.db = db;
    this.ids = ids;
    this.sGet = db.prepare<[string, string], { id: string; module: string; job_id: string | null; data: string }>(
      `SELECT id, module, job_id, data FROM records WHERE module = ? AND id = ?`,
    );
    this.sInsert = db.prepare<[string, string, string | null, string]>(`INSERT INTO records(module, id, job_id, data) VALUES (?, ?, ?, ?)`);
    this.sUpdate = db.prepare<[string, string, string]>(`UPDATE records SET data = ? WHERE module = ? AND id = ?`);
    this.sUniqueGet = db.prepare<[string, string, string], { record_id: string }>(
      `SELECT record_id FROM unique_values WHERE module = ? AND field = ? AND value = ?`,
    );
    this.sUniquePut = db.prepare<[string, string, string, string]>(`INSERT OR REPLACE INTO unique_values(module, field, value, record_id) VALUES (?, ?, ?, ?)`);
    this.sUniqueDel = db.prepare<[string, string, string]>(`DELETE FROM unique_values WHERE module = ? AND field = ? AND value = ?`);
    this.sPage = db.prepare<[string, number, number], { id: string; module: string; job_id: string | null; data: string }>(
      `SELECT id, module, job_id, data FROM records WHERE module = ? ORDER BY id LIMIT ? OFFSET ?`,
    );
    this.sCount = db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM records WHERE module = ?`);
    this.sByField = db.prepare<[string, string, string], { id: string }>(
      `SELECT id FROM records WHERE module = ? AND json_extract(data, '$.' || ?) = ? ORDER BY id LIMIT 2`,
    );
    this.sDelete = db.prepare<[string, string]>(`DELETE FROM records WHERE module = ? AND id = ?`);
    this.sBinPut = db.prepare<[string, string, string, string, string]>(
      `INSERT INTO deleted_records(module, id, data, deleted_time, deleted_by) VALUES (?, ?, ?, ?, ?)`,
    );
    this.sBinPage = db.prepare<[string, number, number], DeletedRow>(
      `SELECT module, id, data, deleted_time, deleted_by FROM deleted_records WHERE module = ? ORDER BY seq DESC LIMIT ? OFFSET ?`,
    );
    this.sBinCount = db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM deleted_records WHERE module = ?`);
  }

  /** After a rollback: ids handed out in the failed transaction are taken again. */
  reload(): void {
    this.ids.reload();
  }

  /** The record of this module with this id, or null (a record of another module is not found). */
  get(module: string, id: string): StoredRecord | null {
    const r = this.sGet.get(module, id);
    return r ? { id: r.id, module: r.module, jobId: r.job_id, data: JSON.parse(r.data) as RecordData } : null;
  }

  /** Record id holding this unique value in the module, if any. */
  findByUnique(module: string, f: FieldModel, value: StoredValue): string | null {
    const key = uniqueKey(f, value);
    if (key === null) return null;
    return this.sUniqueGet.get(module, f.apiName, key)?.record_id ?? null;
  }

  /** Records whose (non-unique) field equals the value; at most two, so callers can tell "ambiguous". */
  findByField(module: string, apiName: string, value: string): string[] {
    if (!/^[A-Za-z0-9_]+$/.test(apiName)) return [];
    return this.sByField.all(module, apiName, value).map((r) => r.id);
  }

  insert(module: string, data: RecordData, jobId: string | null, uniqueFields: readonly FieldModel[]): string {
    return this.insertEncoded(module, JSON.stringify(data), jobId, uniqueFields, (apiName) => data[apiName]);
  }

  /**
   * Insert a record whose JSON the caller already encoded (the Bulk Write runner builds it without an object per
   * row); `valueOf` gives the stored value of a field, for the unique index. Returns the new record's id.
   */
  insertEncoded(
    module: string,
    json: string,
    jobId: string | null,
    uniqueFields: readonly FieldModel[],
    valueOf: (apiName: string) => StoredValue | undefined,
  ): string {
    const id = this.ids.take();
    this.sInsert.run(module, id, jobId, json);
    for (const f of uniqueFields) {
      const key = uniqueKey(f, valueOf(f.apiName) ?? null);
      if (key !== null) this.sUniquePut.run(module, f.apiName, key, id);
    }
    return id;
  }

  update(rec: StoredRecord, next: RecordData, uniqueFields: readonly FieldModel[]): void {
    this.sUpdate.run(JSON.stringify(next), rec.module, rec.id);
    for (const f of uniqueFields) {
      const before = uniqueKey(f, rec.data[f.apiName] ?? null);
      const after = uniqueKey(f, next[f.apiName] ?? null);
      if (before === after) continue;
      if (before !== null) this.sUniqueDel.run(rec.module, f.apiName, before);
      if (after !== null) this.sUniquePut.run(rec.module, f.apiName, after, rec.id);
    }
  }

  /**
   * Delete a record: it moves to the recycle bin and its unique values are freed (a new record may take them).
   * `deletedBy` is the user as JSON `{id, name}`. Returns false when there was no such record.
   */
  delete(module: string, id: string, uniqueFields: readonly FieldModel[], deletedTime: string, deletedBy: string): boolean {
    const rec = this.get(module, id);
    if (!rec) return false;
    for (const f of uniqueFields) {
      const key = uniqueKey(f, rec.data[f.apiName] ?? null);
      // Only the entry that points at this record: never free a value another record holds.
      if (key !== null && this.sUniqueGet.get(module, f.apiName, key)?.record_id === id) this.sUniqueDel.run(module, f.apiName, key);
    }
    this.sDelete.run(module, id);
    this.sBinPut.run(module, id, JSON.stringify(rec.data), deletedTime, deletedBy);
    return true;
  }

  /** The module's recycle bin, newest deletion first. */
  deletedPage(module: string, page: number, perPage: number): { rows: DeletedRow[]; total: number } {
    return { rows: this.sBinPage.all(module, perPage, (page - 1) * perPage), total: this.sBinCount.get(module)?.n ?? 0 };
  }

  /** Persist the id counter; call inside the transaction that used insert(). */
  persist(): void {
    this.ids.persist();
  }

  page(module: string, page: number, perPage: number): { rows: StoredRecord[]; total: number } {
    const rows = this.sPage
      .all(module, perPage, (page - 1) * perPage)
      .map((r) => ({ id: r.id, module: r.module, jobId: r.job_id, data: JSON.parse(r.data) as RecordData }));
    return { rows, total: this.sCount.get(module)?.n ?? 0 };
  }

  count(module: string): number {
    return this.sCount.get(module)?.n ?? 0;
  }

  /** Called after any rolled-back transaction, e.g. to drop metadata cached in memory during it. */
  onRollback: () => void = () => undefined;

  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn)();
    } catch (e) {
      this.reload();
      this.onRollback();
      throw e;
    }
  }
}
