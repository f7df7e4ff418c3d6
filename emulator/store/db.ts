// SQLite store of the emulator: schema, opening (WAL + synchronous=NORMAL: durable across process kills),
// seeding on first start, and the wipe used by the admin reset hook.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { IdAllocator } from '../ids.ts';
import { fieldModelFromMeta } from '../../src/domain/fields/field-model.ts';
import { uniqueKey } from './records.ts';
import { SEED_MODULES, SEED_ORG, SEED_RECORDS, SEED_USER } from './seed-metadata.ts';
import { seedUsers } from './users.ts';

// 3: Owner / user-lookup fields, seeded users, Bulk Read jobs (issue 9).
const SCHEMA_VERSION = 3;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS modules (api_name TEXT PRIMARY KEY, position INTEGER NOT NULL, json TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fields (
  module TEXT NOT NULL, api_name TEXT NOT NULL, position INTEGER NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY (module, api_name)) WITHOUT ROWID;
-- Keyed by (module, id): ids are fixed-width counter values, so id order is creation order and paging a module
-- needs no second index (one B-tree less per written record).
CREATE TABLE IF NOT EXISTS records (
  module TEXT NOT NULL, id TEXT NOT NULL, job_id TEXT, data TEXT NOT NULL, PRIMARY KEY (module, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS unique_values (
  module TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, record_id TEXT NOT NULL,
  PRIMARY KEY (module, field, value)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uploads (
  file_id TEXT PRIMARY KEY, path TEXT NOT NULL, name TEXT NOT NULL, bytes INTEGER NOT NULL,
  rows INTEGER NOT NULL, columns INTEGER NOT NULL, header TEXT NOT NULL, created_time TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, version TEXT NOT NULL, module TEXT NOT NULL, operation TEXT NOT NULL,
  spec TEXT NOT NULL, status TEXT NOT NULL, created_time TEXT NOT NULL, file_id TEXT NOT NULL, csv_path TEXT NOT NULL,
  total INTEGER NOT NULL, cursor INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,
  updated INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, unprocessed INTEGER NOT NULL DEFAULT 0,
  result_path TEXT, callback_url TEXT, callback_method TEXT, callback_state TEXT NOT NULL DEFAULT 'none',
  idem_key TEXT UNIQUE, idem_hash TEXT, fail_reason TEXT) WITHOUT ROWID;
-- Per-row results, one row per committed chunk (JSON array of [status, record_id, errors]) — written in the
-- chunk's transaction, so results and records can never disagree.
-- Bulk Read jobs (docs/org-apis.md §1): the parsed request, state, and once COMPLETED the page's result.
CREATE TABLE IF NOT EXISTS bulk_reads (
  id TEXT PRIMARY KEY, version TEXT NOT NULL, module TEXT NOT NULL, spec TEXT NOT NULL, state TEXT NOT NULL,
  created_time TEXT NOT NULL, result TEXT, callback_url TEXT, callback_state TEXT NOT NULL DEFAULT 'none') WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS job_results (
  job_id TEXT NOT NULL, start_row INTEGER NOT NULL, row_count INTEGER NOT NULL, data TEXT NOT NULL,
  PRIMARY KEY (job_id, start_row)) WITHOUT ROWID;
-- The recycle bin: deleted records leave records (and free their unique values) and are kept here, like Zoho's
-- bin (docs/org-apis.md A4). seq orders the listing newest first.
CREATE TABLE IF NOT EXISTS deleted_records (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, module TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL,
  deleted_time TEXT NOT NULL, deleted_by TEXT NOT NULL);
`;

export interface OpenedDb {
  db: Database.Database;
  ids: IdAllocator;
}

export function openDb(dataDir: string): OpenedDb {
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(join(dataDir, 'uploads'), { recursive: true });
  mkdirSync(join(dataDir, 'results'), { recursive: true });
  const db = new Database(join(dataDir, 'emulator.sqlite'));
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a committed chunk survives kill -9 (the WAL is in the OS page cache); only an OS crash or power
  // loss could drop the last commits, never corrupt the file. See docs/decisions/011-emulator-durability.md.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // A 25,000-row job writes ~10 MB of pages: a larger cache and rarer checkpoints keep commits cheap.
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 16384');
  // A data dir from an older schema is rebuilt (it is emulator data): never run on mismatched tables.
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== SCHEMA_VERSION) {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    if (tables.length > 0) console.warn(`emulator: data dir schema ${version} ≠ ${SCHEMA_VERSION}; rebuilding ${dataDir}`);
    for (const t of tables) db.exec(`DROP TABLE IF EXISTS "${t.name.replace(/"/g, '""')}"`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }
  db.exec(SCHEMA);
  const ids = new IdAllocator(db);
  const seeded = db.prepare(`SELECT value FROM meta WHERE key = 'seeded'`).get();
  if (!seeded) seed(db, ids);
  return { db, ids };
}

const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** Create metadata, org, user and seed records. Deterministic: a fresh dir always gets the same ids. */
export function seed(db: Database.Database, ids: IdAllocator): void {
  db.transaction(() => {
    const putMeta = db.prepare(`INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)`);
    putMeta.run('org', JSON.stringify({ ...SEED_ORG, id: ids.take() }));
    const userId = ids.take();
    putMeta.run('user', JSON.stringify({ ...SEED_USER, id: userId }));
    const putModule = db.prepare(`INSERT INTO modules(api_name, position, json) VALUES (?, ?, ?)`);
    const putField = db.prepare(`INSERT INTO fields(module, api_name, position, json) VALUES (?, ?, ?, ?)`);
    SEED_MODULES.forEach((m, i) => {
      const moduleId = ids.take();
      const { fields, ...rest } = m;
      putModule.run(m.api_name, i, JSON.stringify({ ...rest, id: moduleId }));
      fields.forEach((f, j) => putField.run(m.api_name, f.api_name, j, JSON.stringify({ ...f, id: ids.take() })));
    });
    // Lookup metadata carries the target module id, like Zoho's.
    const moduleIds = new Map(
      (db.prepare(`SELECT api_name, json FROM modules`).all() as { api_name: string; json: string }[]).map((r) => [
        r.api_name,
        (JSON.parse(r.json) as { id: string }).id,
      ]),
    );
    const lookups = db.prepare(`SELECT module, api_name, json FROM fields`).all() as { module: string; api_name: string; json: string }[];
    const setField = db.prepare(`UPDATE fields SET json = ? WHERE module = ? AND api_name = ?`);
    for (const r of lookups) {
      const f = JSON.parse(r.json) as { lookup?: { module?: { api_name: string; id: string | null } } };
      if (f.lookup?.module) {
        f.lookup.module.id = moduleIds.get(f.lookup.module.api_name) ?? null;
        setField.run(JSON.stringify(f), r.module, r.api_name);
      }
    }
    const putRecord = db.prepare(`INSERT INTO records(module, id, job_id, data) VALUES (?, ?, NULL, ?)`);
    const putUnique = db.prepare(`INSERT INTO unique_values(module, field, value, record_id) VALUES (?, ?, ?, ?)`);
    const created = nowIso();
    for (const r of SEED_RECORDS) {
      const id = ids.take();
      // Every seeded record is owned by the current user, as if they had created it.
      const owned = SEED_MODULES.find((m) => m.api_name === r.module)?.fields.some((f) => f.api_name === 'Owner') === true;
      putRecord.run(r.module, id, JSON.stringify({ ...r.data, ...(owned ? { Owner: userId } : {}), Created_Time: created, Modified_Time: created }));
      for (const f of SEED_MODULES.find((m) => m.api_name === r.module)?.fields ?? []) {
        const model = fieldModelFromMeta(f);
        const key = model.unique ? uniqueKey(model, r.data[f.api_name]) : null;
        if (key !== null) putUnique.run(r.module, f.api_name, key, id);
      }
    }
    // Users after everything else, so adding one never shifts the ids of modules, fields or seed records.
    putMeta.run('users', JSON.stringify(seedUsers(userId, ids)));
    putMeta.run('seeded', created);
    ids.persist();
  })();
}

/** Admin reset: drop every row (records, jobs, uploads, metadata) and reseed. Files are removed by the caller. */
export function wipe(db: Database.Database): void {
  db.transaction(() => {
    for (const t of ['meta', 'modules', 'fields', 'records', 'unique_values', 'uploads', 'jobs', 'job_results', 'bulk_reads', 'deleted_records'])
      db.exec(`DELETE FROM ${t}`);
  })();
}
