// The running emulator's shared state, handed to every route: config, stores, runner, events and test hooks.
import type Database from 'better-sqlite3';
import type { CallbackSecrets } from './callback-secret.ts';
import type { EventHub } from './events.ts';
import type { IdAllocator } from './ids.ts';
import type { JobStore } from './jobs/job-store.ts';
import type { Credits } from './store/credits.ts';
import type { MetadataStore } from './store/metadata.ts';
import type { RecordStore } from './store/records.ts';
import type { BulkReadStore } from './bulk-read/store.ts';
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
   * Deletes that fail with RECORD_LOCKED: `ids` maps a record id to how many more attempts on it fail; `count`
   * makes the next N id deletes fail whatever the id (so an undo's retry can be tested).
   */
  failDeletes: { ids: Map<string, number>; count: number };
  /**
   * Bulk Read: rows per page (default 200,000; smaller makes paging testable), how many of the next jobs end in
   * FAILURE, result downloads allowed per minute before 429 (Zoho: 10) with the times of the last minute's, and how
   * many of the next result downloads send only the first half of their ZIP (as a complete answer); how many of the
   * next jobs run before every later one is held IN PROGRESS (-1: none is held; see bulk-read/runner.ts).
   */
  bulkRead: {
    pageSize: number;
    failNext: number;
    downloadsPerMinute: number;
    recentDownloads: number[];
    cutNext: number;
    holdAfter: number;
    pageTokens: boolean;
  };
}

/** What the routes and tests ask of the Bulk Read runner (bulk-read/runner.ts implements it), declared here for the same reason. */
export interface BulkReadQueue {
  enqueue(id: string): void;
  /** Resolves once the read job is COMPLETED or FAILURE (or the runner stops). */
  settled(id: string): Promise<void>;
  restart(): void;
  stop(): Promise<void>;
}

/**
 * What the routes and tests ask of the job runner (jobs/runner.ts implements it). Declared here rather than
 * importing the runner's class, which imports this module: the context stays a leaf every part can depend on.
 */
export interface JobQueue {
  enqueue(id: string): void;
  /** Admin hook: mark a job FAILED; false when it already finished. */
  requestFail(id: string): boolean;
  /** Resolves once the job is COMPLETED or FAILED (or the runner stops). */
  settled(id: string): Promise<void>;
  restart(): void;
  stop(): Promise<void>;
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
  runner: JobQueue;
  users: UserStore;
  bulkReads: BulkReadStore;
  bulkReadRunner: BulkReadQueue;
  hooks: TestHooks;
  /** The server's own origin once listening (e.g. http://127.0.0.1:4173). */
  origin: string;
  org(): { zgid: string; id: string; company_name: string; domain_name: string; [k: string]: unknown };
  user(): { id: string; name: string; email: string };
  /** Server clock; one place so nothing else reads time implicitly. */
  now(): Date;
}

export const isoWithOffset = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');
