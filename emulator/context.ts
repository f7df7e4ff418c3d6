// The running emulator's shared state, handed to every route: config, stores, runner, events and test hooks.
import type Database from 'better-sqlite3';
import type { CallbackSecrets } from './callback-secret.ts';
import type { EventHub } from './events.ts';
import type { IdAllocator } from './ids.ts';
import type { JobRunner } from './jobs/runner.ts';
import type { JobStore } from './jobs/job-store.ts';
import type { Credits } from './store/credits.ts';
import type { MetadataStore } from './store/metadata.ts';
import type { RecordStore } from './store/records.ts';
import type { BulkReadStore } from './bulk-read/store.ts';
import type { BulkReadRunner } from './bulk-read/runner.ts';
import type { UserStore } from './store/users.ts';

export interface EmulatorConfig {
  dataDir: string;
  token: string;
  /** More accepted tokens (admin/test mode: e.g. a canary token standing in for a Zoho sign-in); never printed. */
  extraTokens: string[];
  admin: boolean;
  /** Exact origins (scheme://host:port) callbacks may be POSTed to. Empty = the server's own origin only. */
  callbackAllowlist: string[];
  /** Extra exact origins allowed by CORS (e.g. the Vite dev server). Never `*`. */
  corsOrigins: string[];
  dailyCredits: number;
  chunkRows: number;
  maxCsvBytes: number;
  callbackTimeoutMs: number;
  callbackRetries: number;
  /** Zoho quirks mode at start (EMULATOR_QUIRKS=1); admin reset returns to it. */
  quirks: boolean;
}

export interface TestHooks {
  delayMsPerRow: number;
  failUploads: { count: number; status: number };
  throttle: { count: number; retryAfter: number };
  /** Answer in Zoho's other documented forms (emulator/quirks.ts). */
  quirks: boolean;
  /** The next N create-job calls make the job, then drop the connection without answering (bad-inputs #42). */
  dropCreateResponses: number;
  /** The next N result downloads are served with a defect, so the client's reconcile must catch it (#46). */
  corruptResults: { count: number; kind: 'drop-row' | 'echo' };
  /**
   * Bulk Read: rows per page (default 200,000; smaller makes paging testable), how many of the next jobs end in
   * FAILURE, and result downloads allowed per minute before 429 (Zoho: 10) with the times of the last minute's.
   */
  bulkRead: { pageSize: number; failNext: number; downloadsPerMinute: number; recentDownloads: number[] };
}

export interface Emulator {
  config: EmulatorConfig;
  db: Database.Database;
  ids: IdAllocator;
  meta: MetadataStore;
  records: RecordStore;
  jobs: JobStore;
  credits: Credits;
  events: EventHub;
  /** Per-job secrets of callbacks sent to the emulator's own receiver (decision 060). */
  callbackSecrets: CallbackSecrets;
  runner: JobRunner;
  users: UserStore;
  bulkReads: BulkReadStore;
  bulkReadRunner: BulkReadRunner;
  hooks: TestHooks;
  /** The server's own origin once listening (e.g. http://127.0.0.1:4173). */
  origin: string;
  org(): { zgid: string; id: string; company_name: string; domain_name: string; [k: string]: unknown };
  user(): { id: string; name: string; email: string };
  /** Server clock; one place so nothing else reads time implicitly. */
  now(): Date;
}

export const isoWithOffset = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
