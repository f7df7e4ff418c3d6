// Persistence of bulk write jobs: the normalised job spec, status, progress cursor and counts, per-row results.
import type Database from 'better-sqlite3';
import type { JobStatus } from '../../src/api/contract/job-details.ts';
import type { Operation } from '../../src/domain/fields/field-meta.ts';

export interface MappingSpec {
  apiName: string;
  index: number | null;
  format: string | null;
  /** For lookups: which field of the looked-up module the cell holds (`id` or a field api_name). */
  findBy: string | null;
  defaultValue: string | null;
  ignoreEmpty: boolean | null;
}

export interface JobSpec {
  operation: Operation;
  module: string;
  moduleId: string;
  findBy: string | null;
  ignoreEmpty: boolean;
  resourceIgnoreEmpty: boolean | null;
  /** True when field_mappings were left out and the CSV headers named the fields. */
  mappingsFromHeader: boolean;
  mappings: MappingSpec[];
  callback: { url: string | null; method: string } | null;
  characterEncoding: string;
  fileName: string;
  header: string[];
}

export interface JobRow {
  id: string;
  seq: number;
  version: string;
  module: string;
  operation: Operation;
  spec: JobSpec;
  status: JobStatus;
  createdTime: string;
  fileId: string;
  csvPath: string;
  total: number;
  cursor: number;
  added: number;
  updated: number;
  skipped: number;
  unprocessed: number;
  resultPath: string | null;
  callbackUrl: string | null;
  callbackState: 'none' | 'pending' | 'sent' | 'gave_up' | 'refused';
  idemKey: string | null;
  idemHash: string | null;
  failReason: string | null;
}

interface RawJob {
  id: string;
  seq: number;
  version: string;
  module: string;
  operation: string;
  spec: string;
  status: string;
  created_time: string;
  file_id: string;
  csv_path: string;
  total: number;
  cursor: number;
  added: number;
  updated: number;
  skipped: number;
  unprocessed: number;
  result_path: string | null;
  callback_url: string | null;
  callback_state: string;
  idem_key: string | null;
  idem_hash: string | null;
  fail_reason: string | null;
}

const toJob = (r: RawJob): JobRow => ({
  id: r.id,
  seq: r.seq,
  version: r.version,
  module: r.module,
  operation: r.operation as Operation,
  spec: JSON.parse(r.spec) as JobSpec,
  status: r.status as JobStatus,
  createdTime: r.created_time,
  fileId: r.file_id,
  csvPath: r.csv_path,
  total: r.total,
  cursor: r.cursor,
  added: r.added,
  updated: r.updated,
  skipped: r.skipped,
  unprocessed: r.unprocessed,
  resultPath: r.result_path,
  callbackUrl: r.callback_url,
  callbackState: r.callback_state as JobRow['callbackState'],
  idemKey: r.idem_key,
  idemHash: r.idem_hash,
  failReason: r.fail_reason,
});

export interface RowResult {
  status: 'ADDED' | 'UPDATED' | 'SKIPPED' | 'UNPROCESSED';
  recordId: string;
  errors: string;
}

/** One row's stored result: status, record id, ERRORS text. */
export type ResultTuple = [RowResult['status'], string, string];

export class JobStore {
  private readonly db: Database.Database;
  private readonly sGet;
  private readonly sByKey;
  private readonly sInsert;
  private readonly sProgress;
  private readonly sStatus;
  private readonly sResult;
  private readonly sResults;
  private readonly sUnfinished;
  private readonly sCallback;
  private readonly sPendingCallbacks;
  private readonly sNextSeq;

  constructor(db: Database.Database) {
    this.db = db;
    this.sGet = db.prepare<[string], RawJob>(`SELECT * FROM jobs WHERE id = ?`);
    this.sByKey = db.prepare<[string], RawJob>(`SELECT * FROM jobs WHERE idem_key = ?`);
    this.sInsert = db.prepare(
      `INSERT INTO jobs(id, seq, version, module, operation, spec, status, created_time, file_id, csv_path, total, callback_url, callback_method, callback_state, idem_key, idem_hash)
       VALUES (@id, @seq, @version, @module, @operation, @spec, 'ADDED', @created_time, @file_id, @csv_path, @total, @callback_url, @callback_method, @callback_state, @idem_key, @idem_hash)`,
    );
    this.sProgress = db.prepare<[string, number, number, number, number, string]>(
      `UPDATE jobs SET status = ?, cursor = ?, added = ?, updated = ?, skipped = ? WHERE id = ?`,
    );
    this.sStatus = db.prepare<[string, number, string | null, string | null, string]>(
      `UPDATE jobs SET status = ?, unprocessed = ?, result_path = ?, fail_reason = ? WHERE id = ?`,
    );
    this.sResult = db.prepare<[string, number, number, string]>(`INSERT INTO job_results(job_id, start_row, row_count, data) VALUES (?, ?, ?, ?)`);
    this.sResults = db.prepare<[string], { start_row: number; row_count: number; data: string }>(
      `SELECT start_row, row_count, data FROM job_results WHERE job_id = ? ORDER BY start_row`,
    );
    this.sUnfinished = db.prepare<[], RawJob>(`SELECT * FROM jobs WHERE status IN ('ADDED', 'INPROGRESS') ORDER BY seq`);
    this.sCallback = db.prepare<[string, string]>(`UPDATE jobs SET callback_state = ? WHERE id = ?`);
    this.sPendingCallbacks = db.prepare<[], RawJob>(`SELECT * FROM jobs WHERE status IN ('COMPLETED', 'FAILED') AND callback_state = 'pending' ORDER BY seq`);
    this.sNextSeq = db.prepare<[], { n: number | null }>(`SELECT MAX(seq) AS n FROM jobs`);
  }

  get(id: string): JobRow | null {
    const r = this.sGet.get(id);
    return r ? toJob(r) : null;
  }
  byIdempotencyKey(key: string): JobRow | null {
    const r = this.sByKey.get(key);
    return r ? toJob(r) : null;
  }
  insert(j: {
    id: string;
    version: string;
    spec: JobSpec;
    createdTime: string;
    fileId: string;
    csvPath: string;
    total: number;
    idemKey: string | null;
    idemHash: string | null;
  }): void {
    const url = j.spec.callback?.url ?? null;
    this.sInsert.run({
      id: j.id,
      seq: (this.sNextSeq.get()?.n ?? 0) + 1,
      version: j.version,
      module: j.spec.module,
      operation: j.spec.operation,
      spec: JSON.stringify(j.spec),
      created_time: j.createdTime,
      file_id: j.fileId,
      csv_path: j.csvPath,
      total: j.total,
      callback_url: url,
      callback_method: j.spec.callback?.method ?? null,
      callback_state: url ? 'pending' : 'none',
      idem_key: j.idemKey,
      idem_hash: j.idemHash,
    });
  }
  progress(id: string, status: JobStatus, cursor: number, added: number, updated: number, skipped: number): void {
    this.sProgress.run(status, cursor, added, updated, skipped, id);
  }
  finish(id: string, status: JobStatus, unprocessed: number, resultPath: string | null, failReason: string | null): void {
    this.sStatus.run(status, unprocessed, resultPath, failReason, id);
  }
  /** Store the results of rows start … start+results.length-1 (one chunk) — inside the chunk's transaction. */
  addResults(jobId: string, start: number, results: readonly RowResult[]): void {
    this.sResult.run(jobId, start, results.length, JSON.stringify(results.map((r) => [r.status, r.recordId, r.errors])));
  }
  /** Results by row index as stored ([status, record id, errors]), without an object per row; unprocessed rows absent. */
  resultTuples(jobId: string): (ResultTuple | undefined)[] {
    const out: (ResultTuple | undefined)[] = [];
    for (const chunk of this.sResults.all(jobId)) {
      const rows = JSON.parse(chunk.data) as ResultTuple[];
      for (let i = 0; i < rows.length; i++) out[chunk.start_row + i] = rows[i];
    }
    return out;
  }
  unfinished(): JobRow[] {
    return this.sUnfinished.all().map(toJob);
  }
  pendingCallbacks(): JobRow[] {
    return this.sPendingCallbacks.all().map(toJob);
  }
  setCallbackState(id: string, state: JobRow['callbackState']): void {
    this.sCallback.run(state, id);
  }
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
