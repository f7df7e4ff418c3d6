// The SQLite store opens in WAL mode, seeds deterministically, and rebuilds a data dir left by an older schema.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from './db.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'emu-db-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openDb', () => {
  it('uses WAL and seeds the same ids in every fresh data dir', () => {
    const a = openDb(tempDir());
    const b = openDb(tempDir());
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const ids = (db: Database.Database) => (db.prepare(`SELECT id FROM records ORDER BY id`).all() as { id: string }[]).map((r) => r.id);
    expect(ids(a.db)).toEqual(ids(b.db));
    expect(ids(a.db).length).toBe(7);
    expect(ids(a.db).every((id) => /^\d{19}$/.test(id))).toBe(true);
    a.db.close();
    b.db.close();
  });

  it('rebuilds a data dir whose schema version differs instead of running on mismatched tables', () => {
    const dir = tempDir();
    const old = new Database(join(dir, 'emulator.sqlite'));
    old.exec(`CREATE TABLE records (id TEXT PRIMARY KEY, module TEXT, seq INTEGER, data TEXT); INSERT INTO records VALUES ('1', 'Contacts', 1, '{}')`);
    old.close();
    const { db } = openDb(dir);
    const cols = (db.prepare(`PRAGMA table_info(records)`).all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(['module', 'id', 'job_id', 'data']);
    expect((db.prepare(`SELECT COUNT(*) AS n FROM records`).get() as { n: number }).n).toBe(7);
    db.close();
    // Re-opening the rebuilt dir keeps its data.
    const again = openDb(dir);
    expect((again.db.prepare(`SELECT COUNT(*) AS n FROM records`).get() as { n: number }).n).toBe(7);
    again.db.close();
  });
});
