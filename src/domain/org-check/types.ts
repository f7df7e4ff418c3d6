// The org check's plain data: what it reads (the plan), what the org holds (users), and what it predicts per row
// (add / update / skip, the record it touches, why, and what an update changes). Shared by the worker, the
// orchestrator and the Review UI; no behaviour here.
import type { Operation } from '../fields/field-meta.ts';
import type { RowErrorCode } from '../fields/field-meta.ts';

/** Credits one Bulk Read job costs (docs/org-apis.md A2). */
export const BULK_READ_JOB_CREDITS = 50;
/** Records in one Bulk Read page; the next page is another job. */
export const BULK_READ_PAGE_ROWS = 200_000;

/** One module the check reads with Bulk Read, and why. */
export interface OrgReadModule {
  module: string;
  /** Field API names requested (never `id`: Bulk Read always adds it). Empty = only ids. */
  fields: string[];
  /** Plain words per field, e.g. "Email — the match field", "Account_Name — target of the Account_Name lookup". */
  reasons: string[];
  /** `target` = the imported module; `lookup` = a module that lookups point at. */
  role: 'target' | 'lookup';
  /** Records the module holds when known (Zoho's module count is not read: null), to estimate pages. */
  knownRecords: number | null;
  /** false when nothing of it is needed (an insert that maps no unique field and matches on nothing): no job, no credits. */
  read: boolean;
}

/** What the check will read and cost, computed before anything is spent (planOrgRead). */
export interface OrgReadPlan {
  modules: OrgReadModule[];
  /** Also reads all pages of the users API (1 API credit a page, as any call other than Bulk Read's create). */
  readsUsers: boolean;
  /** One Bulk Read job per module page; at least one per module. */
  minJobs: number;
  /** minJobs × 50. Further pages (over 200,000 records a module) cost 50 more each; `perExtraPage` says so. */
  minCredits: number;
  perExtraPage: number;
  /** One sentence: "Reads 2 modules with 2 Bulk Read jobs (100 credits) and the users list." */
  summary: string;
}

/** A user as the check and the Map step see it (from the users API; status lower-cased). */
export interface OrgUser {
  id: string;
  email: string;
  fullName: string;
  /** `active`, `inactive`, `deleted`, … (lower-cased). Only active users can own records. */
  status: string;
}

/** How one distinct cell value of a user column resolves against the users list. */
export type UserValueResolution =
  | { kind: 'ok'; id: string; user: OrgUser; by: 'id' | 'email' | 'name' }
  /** Matches only after case/space clean-up: offered as a clean-up to `suggestion` (the org's spelling). */
  | { kind: 'near'; id: string; user: OrgUser; suggestion: string }
  | { kind: 'inactive'; id: string; user: OrgUser }
  /** A full name shared by several users: cannot be resolved by name. */
  | { kind: 'ambiguous'; users: OrgUser[] }
  | { kind: 'unknown' }
  | { kind: 'blank' };

/** For one user column: cell value key (see userValueKey) → active user id. What buildJobs sends instead of the cell. */
export interface UserIdColumn {
  column: number;
  ids: Record<string, string>;
}

export type RowOutcome = 'add' | 'update' | 'skip' | 'excluded';

/** Per-row prediction, read on the main thread through OrgCheckResult.row(i). */
export interface OrgRowPrediction {
  row: number;
  outcome: RowOutcome;
  /** The record an update touches, or the existing record an insert duplicates; null otherwise. */
  recordId: string | null;
  /** Zoho's codes and fields the row is skipped with (same order as Zoho's ERRORS), empty unless skipped. */
  errors: { code: RowErrorCode; apiName: string }[];
  /** Plain-language reason: "Updates record 1234", "Adds a new record", "Skipped: a contact with this Email already exists (record 1234)". */
  reason: string;
}

/** One changed cell of a matched row: old (the org's value) → new (what the row writes). */
export interface CellChangeOrg {
  apiName: string;
  /** 0-based CSV column (null for a default-only mapping). */
  column: number | null;
  old: string;
  new: string;
}

export interface FieldChangeCount {
  apiName: string;
  label: string;
  count: number;
}

export interface OrgCounts {
  add: number;
  update: number;
  skip: number;
  excluded: number;
  /** Updates (incl. upsert matches) whose row changes no value of the record. */
  unchanged: number;
}

/** Input of the prediction: what the file-only validation takes, plus the job's match field. */
export interface OrgPredictInput {
  module: string;
  operation: Operation;
  /** API name of the match field (`id` or a unique field); null for a plain insert. */
  findBy: string | null;
  ignoreEmpty: boolean;
}
