// Messages of the org check between the main thread and the import worker. The snapshot of the org lives only in
// the worker (never in storage, logs or on a server): the main thread downloads each Bulk Read ZIP and transfers
// its buffer; the worker unzips, parses, indexes and predicts, and answers with packed arrays.
import type { FieldModel } from '../domain/fields/field-model.ts';
import type { Operation } from '../domain/fields/field-meta.ts';
import type { Mapping } from '../domain/mapping/mapping.ts';
import type { FieldChangeCount, OrgCounts, OrgUser } from '../domain/org-check/types.ts';
import type { PackedFix } from './column-fixes.ts';
import type { PackedTexts } from './packed-texts.ts';
import type { PackedEdits } from '../domain/jobs/packed-edits.ts';

export interface OrgStartInput {
  /** The imported module and the fields read from it. */
  target: { module: string; fields: string[] };
  /** Other modules read for lookups (a self-lookup reads the target). */
  lookups: { module: string; fields: string[] }[];
  /** Field models of lookup target modules (unique flags of their find_by fields). */
  moduleFields: Record<string, FieldModel[]>;
  /** null when the users could not be read (user fields are then not judged). */
  users: OrgUser[] | null;
  /** Which run of the check this snapshot is for: a clean-up reset naming another run leaves it alone (orgReset). */
  check?: number;
}

export interface OrgPredictWire {
  mapping: Mapping;
  fields: FieldModel[];
  operation: Operation;
  findBy: string | null;
  ignoreEmpty: boolean;
  excluded?: readonly number[];
  /** Review's edits against the table (or, with editsSince, against that prediction's rows), only the changed cells. */
  edits?: PackedEdits;
  /** Names the rows this prediction is made for (table + edits), so the next one can send only what changed since. */
  rowsVersion?: number;
  /**
   * The edits are against the rows of the prediction with this `rowsVersion`, not against the table (after a
   * clean-up of a whole column, one more edit then sends one row). The worker answers null when those rows are not
   * the last it predicted (it was restarted, or the table or the read was replaced).
   */
  editsSince?: number;
}

/** Org issues packed like pre-flight issues (issue-pack.ts), with the org's own code table (ORG_ISSUE_CODES). */
export interface PackedOrgIssues {
  rows: Int32Array;
  columns: Int32Array;
  severities: Uint8Array;
  codes: Uint8Array;
  /** The issues' messages. */
  messages: PackedTexts;
}

export interface PackedOrgPrediction {
  outcomes: Uint8Array;
  /**
   * Per row, the record it updates or duplicates ('' for none), and its Zoho errors. The texts travel as bytes in
   * transferred buffers (packed-texts.ts): a million rows' worth of strings was a long task on the page to take in.
   */
  recordIds: PackedTexts;
  errors: PackedTexts;
  changeRows: Uint32Array;
  changeFields: Uint16Array;
  changeColumns: Int32Array;
  /** Per change: the org's value and the file's. */
  olds: PackedTexts;
  news: PackedTexts;
  fieldNames: string[];
  changeCounts: FieldChangeCount[];
  changedRows: Uint32Array;
  unchangedRows: Uint32Array;
  /** Rows skipped or with an org issue, ascending: worked out here, not by a pass over every row on the page. */
  flaggedRows: Uint32Array;
  issues: PackedOrgIssues;
  fixes: PackedFix[];
  counts: OrgCounts;
  /** Records read per module. */
  orgRecords: Record<string, number>;
  /** Where the worker's time went, in ms (the benchmark prints it): pages unzipped, decoded, parsed; prediction. */
  timing: OrgWorkerTiming;
}

export interface OrgWorkerTiming {
  unzipMs: number;
  /** Copying each inflated piece into the page memory and reading its records (nothing is decoded: decision 170). */
  parseMs: number;
  /**
   * Garbage allocated after the file side was made during the wait, so the file side is promoted then rather than
   * copied by the prediction's first scavenge (settle-young.ts); 0 when no new file side was made.
   */
  settleMs: number;
  /** Working out (or bringing up to date) the file side at predict time; most of it is done during the wait. */
  sideMs: number;
  predictMs: number;
  packMs: number;
}

export type OrgRequest =
  /**
   * Drops the snapshot — when `check` is given, only the snapshot of that run of the check: a run's clean-up after it
   * stopped must not drop the copy a newer run has started meanwhile.
   */
  | { type: 'orgReset'; id: number; check?: number }
  | { type: 'orgStart'; id: number; input: OrgStartInput }
  /**
   * A Bulk Read page's download, in pieces as they arrive (decision 144): Begin starts an attempt (`id` names it;
   * it replaces an unfinished one), Chunk brings a piece of that attempt (no answer), End asks for the result.
   */
  /** `records`: how many records Zoho says the page holds (its job's result count), when it says. */
  | { type: 'orgPageBegin'; id: number; module: string; records?: number }
  | { type: 'orgPageChunk'; id: number; module: string; chunk: ArrayBuffer }
  | { type: 'orgPageEnd'; id: number; module: string; attempt: number }
  | { type: 'orgPredict'; id: number; input: OrgPredictWire }
  /** Works out the file's half of the prediction (no org data needed) while Zoho prepares the Bulk Read. */
  | { type: 'orgPrepare'; id: number; input: OrgPredictWire };

export type OrgEvent =
  /** orgReset / orgStart / orgPageEnd / orgPrepare done; `records` = records the module now holds in the snapshot (0 for orgPrepare). */
  | { type: 'orgAck'; id: number; records: number }
  /** null: the worker holds no snapshot (dropped, or never read) — run the check again. */
  | { type: 'orgPredicted'; id: number; result: PackedOrgPrediction | null };

/** The messages of a Bulk Read page's download (see OrgRequest). */
export type OrgPageRequest = Extract<OrgRequest, { type: 'orgPageBegin' | 'orgPageChunk' | 'orgPageEnd' }>;
