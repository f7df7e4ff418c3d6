// Bulk Read jobs in SQLite (table bulk_reads): the validated request (spec), the state, and once terminal the
// page's outcome. Survives a restart like Bulk Write jobs; an unfinished read is simply run again.
import type Database from 'better-sqlite3';
import type { BulkReadCriteria, BulkReadStateOut } from '../../src/api/contract/bulk-read.ts';

export interface BulkReadSpec {
  module: string;
  /** v2 sends and echoes the module as a bare string. */
  moduleAsString: boolean;
  /** As requested (null = none given → every field). */
  fields: string[] | null;
  /** CSV columns after `id`, in order. */
  columns: string[];
  criteria: BulkReadCriteria | null;
  cvid: string | null;
  /** Page number (1-based) this job reads. */
  page: number;
  /** Set when the job continues an earlier read: the token it was given, and the last id that read wrote. */
  pageToken: string | null;
  afterId: string | null;
  /** Rows per page for this job (200,000 unless the admin hook made it smaller). */
  pageSize: number;
  /** The admin hook marked this job to fail. */
  fail: boolean;
}

export interface BulkReadOutcome {
  count: number;
  moreRecords: boolean;
  nextPageToken: string | null;
  /** Id of the last record in this page: where the next page starts. */
  lastId: string | null;
  zipPath: string | null;
  error: { code: string; message: string } | null;
}

export interface BulkReadRow {
  id: string;
  version: string;
  module: string;
  spec: BulkReadSpec;
  state: BulkReadStateOut;
  createdTime: string;
  outcome: BulkReadOutcome | null;
  callbackUrl: string | null;
  callbackState: 'none' | 'pending' | 'sent' | 'refused' | 'gave_up';
}

interface Raw {
  id: string;
  version: string;
  module: string;
  spec: string;
  state: string;
  created_time: string;
  result: string | null;
  callback_url: string | null;
  callback_state: string;
}

const fromRaw = (r: Raw): BulkReadRow => ({
  id: r.id,
  version: r.version,
  module: r.module,
  spec: JSON.parse(r.spec) as BulkReadSpec,
  state: r.state as BulkReadStateOut,
  createdTime: r.created_time,
  outcome: r.result === null ? null : (JSON.parse(r.result) as BulkReadOutcome),
  callbackUrl: r.callback_url,
  callbackState: r.callback_state as BulkReadRow['callbackState'],
});

export class BulkReadStore {
  private readonly db: Database.Database;
  constructor(db: Database.Database) {
    this.db = db;
  }

  insert(row: Omit<BulkReadRow, 'outcome' | 'callbackState' | 'state'>): void {
    this.db
      .prepare(`INSERT INTO bulk_reads(id, version, module, spec, state, created_time, callback_url, callback_state) VALUES (?, ?, ?, ?, 'ADDED', ?, ?, ?)`)
      .run(row.id, row.version, row.module, JSON.stringify(row.spec), row.createdTime, row.callbackUrl, row.callbackUrl ? 'pending' : 'none');
  }

  get(id: string): BulkReadRow | null {
    const r = this.db.prepare(`SELECT * FROM bulk_reads WHERE id = ?`).get(id) as Raw | undefined;
    return r ? fromRaw(r) : null;
  }

  setState(id: string, state: BulkReadStateOut): void {
    this.db.prepare(`UPDATE bulk_reads SET state = ? WHERE id = ?`).run(state, id);
  }

  finish(id: string, state: 'COMPLETED' | 'FAILURE', outcome: BulkReadOutcome): void {
    this.db.prepare(`UPDATE bulk_reads SET state = ?, result = ? WHERE id = ?`).run(state, JSON.stringify(outcome), id);
  }

  /** The completed job that handed out this page token (tokens are unique random strings). */
  byNextPageToken(token: string): BulkReadRow | null {
    const r = this.db.prepare(`SELECT * FROM bulk_reads WHERE state = 'COMPLETED' AND json_extract(result, '$.nextPageToken') = ?`).get(token) as
      Raw | undefined;
    return r ? fromRaw(r) : null;
  }

  unfinished(): BulkReadRow[] {
    return (this.db.prepare(`SELECT * FROM bulk_reads WHERE state NOT IN ('COMPLETED', 'FAILURE') ORDER BY id`).all() as Raw[]).map(fromRaw);
  }

  pendingCallbacks(): BulkReadRow[] {
    return (this.db.prepare(`SELECT * FROM bulk_reads WHERE state IN ('COMPLETED', 'FAILURE') AND callback_state = 'pending' ORDER BY id`).all() as Raw[]).map(
      fromRaw,
    );
  }

  setCallbackState(id: string, state: BulkReadRow['callbackState']): void {
    this.db.prepare(`UPDATE bulk_reads SET callback_state = ? WHERE id = ?`).run(state, id);
  }
}
