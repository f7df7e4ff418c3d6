// The org's daily API credit budget (contract §11: 500 per bulk job; records API: 1 per 10 records).
// Day boundaries are UTC; the clock is passed in so callers (and tests) decide what "today" is.
import type Database from 'better-sqlite3';
import { ZohoError } from '../errors.ts';

export class Credits {
  private readonly db: Database.Database;
  private readonly daily: number;
  constructor(db: Database.Database, daily: number) {
    this.db = db;
    this.daily = daily;
  }
  private read(today: string): number {
    const day = this.db.prepare(`SELECT value FROM meta WHERE key = 'credits_day'`).get() as { value: string } | undefined;
    if (day?.value !== today) return 0;
    const used = this.db.prepare(`SELECT value FROM meta WHERE key = 'credits_used'`).get() as { value: string } | undefined;
    return Number(used?.value ?? 0);
  }
  left(now: Date): number {
    return Math.max(0, this.daily - this.read(now.toISOString().slice(0, 10)));
  }
  /** Spend `amount` or throw LIMIT_REACHED; call inside the transaction that creates the work. */
  spend(amount: number, now: Date): void {
    const today = now.toISOString().slice(0, 10);
    const used = this.read(today);
    if (used + amount > this.daily) {
      throw new ZohoError(
        400,
        'LIMIT_REACHED',
        `The daily API credit limit is spent: this needs ${amount} credits and ${Math.max(0, this.daily - used)} are left. Try again tomorrow (UTC).`,
        {
          credits_left: Math.max(0, this.daily - used),
        },
      );
    }
    const put = this.db.prepare(`INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)`);
    put.run('credits_day', today);
    put.run('credits_used', String(used + amount));
  }
}
