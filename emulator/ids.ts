// Zoho-like record/job/file ids: 19-digit strings from one persisted counter, so a fresh data dir always hands
// out the same ids in the same order (tests and seeds can rely on them) and no id is ever reused after a commit.
import type Database from 'better-sqlite3';

const PREFIX = '5725767';
const WIDTH = 12;

export class IdAllocator {
  private next: number;
  private readonly db: Database.Database;
  private readonly write: Database.Statement<[string]>;
  constructor(db: Database.Database) {
    this.db = db;
    this.write = db.prepare<[string]>(`INSERT INTO meta(key, value) VALUES ('next_id', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    this.next = this.load();
  }
  private load(): number {
    const row = this.db.prepare(`SELECT value FROM meta WHERE key = 'next_id'`).get() as { value: string } | undefined;
    return row ? Number(row.value) : 1_000_000;
  }
  /** Take the next id. Call persist() inside the same transaction that stores the id. */
  take(): string {
    const n = this.next++;
    return PREFIX + String(n).padStart(WIDTH, '0');
  }
  persist(): void {
    this.write.run(String(this.next));
  }
  /** After a rolled-back transaction: forget ids handed out but never committed. */
  reload(): void {
    this.next = this.load();
  }
}
