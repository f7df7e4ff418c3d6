// The undo plan of an import: which records to delete (those the import ADDED) and which to put back (those it
// UPDATED, from the backup of their old values). A pure function of the import's result rows and the backup: it
// never names a record that the import did not add or update (property-tested). Batching for the delete calls and
// the "changed since the import" filter live here too, so the run only executes what the plan says.

import type { RowStatus } from '../jobs/types.ts';
import { IdSet } from './id-set.ts';

/** One result row as the undo needs it: Zoho's STATUS and RECORD_ID, and where the row came from (for messages). */
export interface UndoResultRow {
  status: RowStatus;
  recordId: string | null;
  /** 1-based source line when known, else null (an undo from files knows only the result row). */
  line: number | null;
}

/** One job's result rows. `reconciled` false = the result file disagreed with what was sent: its ids are not trusted. */
export interface UndoJobResult {
  job: number;
  reconciled: boolean;
  rows: readonly UndoResultRow[];
}

/** The old values of the fields an update/upsert import wrote, one row per record it was about to touch. */
export interface UndoBackup {
  module: string;
  /** Field API names, in column order (never `id`). */
  fields: readonly string[];
  rows: readonly { id: string; values: readonly string[] }[];
}

export interface UndoRestore {
  id: string;
  /** Old values, in `UndoPlan.fields` order; '' = the field was empty and is emptied again. */
  values: readonly string[];
}

export type CannotReason = 'no-backup' | 'not-reconciled' | 'bad-id';

export interface UndoCannot {
  id: string;
  line: number | null;
  action: 'delete' | 'restore';
  reason: CannotReason;
}

export interface UndoPlan {
  module: string;
  /**
   * Ids of records the import added, each once, in result order. A plan made by `UndoPlanBuilder` makes these
   * strings when they are first read (the Undo button's click), not before: see `deleteCount`.
   */
  deletes: readonly string[];
  /** `deletes.length`, without making the ids' strings (what Results shows before anyone asks for an undo). */
  deleteCount: number;
  /** Records the import updated (and did not add), each once, with their old values. */
  restores: readonly UndoRestore[];
  fields: readonly string[];
  /** Records the import added or updated that the undo cannot touch, with why. */
  cannot: readonly UndoCannot[];
}

const RECORD_ID = /^\d{1,30}$/;

/** A record id as the plan's maps key it: see `idKey`. */
type IdKey = bigint | string;

/**
 * A record id as a Map or Set key: its value as a BigInt when it is a plain decimal of up to 19 digits without a
 * leading zero (every Zoho id), else its text. V8 (in Chromium) internalizes the string keys of a Map or Set, and
 * every full garbage collection walks the whole string table: a million record ids kept by the undo plan at Results
 * added ~50 ms to every full collection of the page: the merged save had one task of 110–170 ms (decision 156). BigInts
 * are not internalized. Two ids differing only in leading zeros stay two keys ("007" is text, 7 a number).
 */
function idKey(id: string): IdKey {
  return id.length <= 19 && (id.length === 1 || id.charCodeAt(0) !== 48) && RECORD_ID.test(id) ? BigInt(id) : id;
}

/**
 * Builds the plan. An id ADDED by any row is deleted (a later row of the same upsert that UPDATED it changed a
 * record that did not exist before the import). An id only UPDATED is restored once from the backup; without a
 * backup row it cannot be restored. Rows SKIPPED or UNPROCESSED are never named, whatever RECORD_ID they carry.
 */
export function buildUndoPlan(module: string, results: readonly UndoJobResult[], backup: UndoBackup | null): UndoPlan {
  const builder = new UndoPlanBuilder();
  for (const job of results) for (const row of job.rows) builder.add(row, job.reconciled);
  return builder.plan(module, backup);
}

/**
 * `buildUndoPlan` a row at a time, so a caller can feed a million result rows in slices of the main thread and build
 * the plan at the end (and again with another backup) without reading the rows again. Same plan as `buildUndoPlan`.
 */
export class UndoPlanBuilder {
  // Which ids were seen, in the order first seen, as bytes (decision 159): a million added ids held as strings, BigInt
  // keys and Set entries were ~2 million objects that every full collection of the page walked while Results was open.
  readonly #added = new IdSet();
  readonly #updated = new IdSet();
  readonly #updatedRows: { id: string; line: number | null }[] = [];
  readonly #cannot: UndoCannot[] = [];
  readonly #cannotSeen = new Set<string>();

  #refuse(c: UndoCannot, into: UndoCannot[], seen: Set<string>): void {
    // Rows without a usable id are each reported (by line); a real id is reported once.
    const key = c.reason === 'bad-id' ? `${c.action}:${c.id}:${c.line ?? ''}:${into.length}` : `${c.action}:${c.id}:${c.reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    into.push(c);
  }

  /** One result row; `reconciled` false = its job's result file disagreed with what was sent. */
  add(row: UndoResultRow, reconciled: boolean): void {
    if (row.status !== 'ADDED' && row.status !== 'UPDATED') return;
    const action = row.status === 'ADDED' ? 'delete' : 'restore';
    const id = (row.recordId ?? '').trim();
    if (!RECORD_ID.test(id)) {
      this.#refuse({ id, line: row.line, action, reason: 'bad-id' }, this.#cannot, this.#cannotSeen);
      return;
    }
    if (!reconciled) {
      this.#refuse({ id, line: row.line, action, reason: 'not-reconciled' }, this.#cannot, this.#cannotSeen);
      return;
    }
    if (row.status === 'ADDED') this.#added.add(id);
    else if (this.#updated.add(id)) this.#updatedRows.push({ id, line: row.line });
  }

  /** The plan of the rows added so far, with `backup`'s old values for the records only updated. */
  plan(module: string, backup: UndoBackup | null): UndoPlan {
    const added = this.#added;
    const cannot = this.#cannot.slice();
    const cannotSeen = new Set(this.#cannotSeen);
    const old = new Map<IdKey, readonly string[]>();
    const fields = backup?.fields ?? [];
    if (backup)
      for (const r of backup.rows) {
        const key = idKey(r.id);
        if (!old.has(key)) old.set(key, r.values);
      }
    const restores: UndoRestore[] = [];
    // The restores' keys, beside them (worked out once, when the row was added).
    const restoredKeys: IdKey[] = [];
    for (const { id, line } of this.#updatedRows) {
      if (added.has(id)) continue;
      const key = idKey(id);
      const values = old.get(key);
      if (values === undefined) this.#refuse({ id, line, action: 'restore', reason: 'no-backup' }, cannot, cannotSeen);
      else {
        restores.push({ id, values: fields.map((_, i) => values[i] ?? '') });
        restoredKeys.push(key);
      }
    }
    // A refusal for an id that is also planned (e.g. one job unreconciled, another reconciled) is dropped: the
    // record is handled; the refusal would only confuse the report. (Looked up in the maps: a Set of every planned id
    // cost a million-entry copy at a million rows.)
    const restored = cannot.length === 0 || restores.length === 0 ? null : new Set(restoredKeys);
    const planned = (id: string): boolean => added.has(id) || (restored?.has(idKey(id)) ?? false);
    // The ids added so far; their strings are made on first read (the builder only ever appends), or a slice at a
    // time ahead of it (`deleteStringsSteps`).
    added.trim();
    const pending: PendingDeletes = { ids: added, count: added.size, made: [] };
    const plan: UndoPlan = {
      module,
      get deletes(): readonly string[] {
        return madeDeletes(pending);
      },
      deleteCount: pending.count,
      restores,
      fields,
      cannot: cannot.length === 0 ? cannot : cannot.filter((c) => !planned(c.id)),
    };
    pendingOf.set(plan, pending);
    return plan;
  }
}

/** The strings of a builder's plan's `deletes`, made so far. */
interface PendingDeletes {
  ids: IdSet;
  count: number;
  made: string[];
}

const pendingOf = new WeakMap<UndoPlan, PendingDeletes>();
/** Ids made into strings per step: a million in one go took 100–140 ms (Node). */
const DELETE_STRINGS_STEP = 50_000;

/** Makes the strings of the ids up to `to` (those not made yet) and returns all made so far. */
function madeDeletes(p: PendingDeletes, to = p.count): readonly string[] {
  if (p.made.length < to) for (const id of p.ids.slice(p.made.length, to)) p.made.push(id);
  return p.made;
}

/**
 * Steps (for `runInSlices`) that make a plan's `deletes` strings a slice at a time, so the first read of `deletes`
 * finds them made instead of making a million in one task. Each step returns true once all are made; a plan that
 * holds its `deletes` as an array already is done at once.
 */
export function deleteStringsSteps(plan: UndoPlan): () => boolean {
  const p = pendingOf.get(plan);
  return () => !p || madeDeletes(p, Math.min(p.count, p.made.length + DELETE_STRINGS_STEP)).length >= p.count;
}

/** Splits ids into calls of at most `size` (500 for mass delete, 100 for DELETE ?ids=). */
export function batches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size must be a positive integer, not ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Records changed after the import: their Modified_Time is later than the import's end. Times are ISO 8601 with
 * an offset (Zoho's form); an unreadable time counts as changed, so the admin decides rather than the undo.
 */
export function changedSince(modifiedTimes: ReadonlyMap<string, string>, importEndIso: string): Set<string> {
  const end = Date.parse(importEndIso);
  const out = new Set<string>();
  for (const [id, t] of modifiedTimes) {
    const at = Date.parse(t);
    if (Number.isNaN(end) || Number.isNaN(at) || at > end) out.add(id);
  }
  return out;
}

/** The plan without these records (the admin chose to leave records changed since the import alone). */
export function withoutRecords(plan: UndoPlan, leave: ReadonlySet<string>): UndoPlan {
  const deletes = plan.deletes.filter((id) => !leave.has(id));
  return { ...plan, deletes, deleteCount: deletes.length, restores: plan.restores.filter((r) => !leave.has(r.id)) };
}

/** The confirmation, worded exactly as the issue asks. */
export function confirmationText(plan: Pick<UndoPlan, 'deleteCount' | 'restores'>): string {
  const n = plan.deleteCount;
  const m = plan.restores.length;
  const del = `Delete the ${n} record${n === 1 ? '' : 's'} this import added`;
  const put = `put back the old values of the ${m} record${m === 1 ? '' : 's'} it updated`;
  if (m === 0) return `${del}.`;
  if (n === 0) return `${put[0]!.toUpperCase()}${put.slice(1)}.`;
  return `${del}; ${put}.`;
}

export const CANNOT_WORDS: Record<CannotReason, string> = {
  'no-backup': 'the backup holds no old values for this record, so it cannot be put back',
  'not-reconciled': "this job's result file did not match what was sent, so its record ids are not trusted",
  'bad-id': 'the result file gives no valid record id for this row',
};

export type ResultFileRead = { ok: true; job: UndoJobResult } | { ok: false; message: string };

const STATUSES: ReadonlySet<string> = new Set<RowStatus>(['ADDED', 'UPDATED', 'SKIPPED', 'UNPROCESSED']);

/**
 * An import's result CSV read for an undo from files (after a reload the sent rows are gone, so the echo cannot
 * be compared): strict instead — STATUS and RECORD_ID columns, every STATUS known, every ADDED/UPDATED row with a
 * record id. Any problem refuses the whole file, naming the row, so nothing is undone from a file not understood.
 */
export function resultRowsForUndo(job: number, table: { header: readonly string[]; rows: readonly (readonly string[])[] }, fileName: string): ResultFileRead {
  const upper = table.header.map((h) => h.trim().toUpperCase());
  const statusAt = upper.indexOf('STATUS');
  const idAt = upper.indexOf('RECORD_ID');
  if (statusAt === -1 || idAt === -1)
    return { ok: false, message: `${fileName} is not a Bulk Write result file: it has no ${statusAt === -1 ? 'STATUS' : 'RECORD_ID'} column.` };
  const rows: UndoResultRow[] = [];
  for (const [i, r] of table.rows.entries()) {
    const status = (r[statusAt] ?? '').replace(/\s+/g, '').toUpperCase();
    if (!STATUSES.has(status)) return { ok: false, message: `${fileName}, row ${i + 2}: unknown STATUS "${r[statusAt] ?? ''}".` };
    const id = (r[idAt] ?? '').trim();
    if ((status === 'ADDED' || status === 'UPDATED') && !RECORD_ID.test(id))
      return { ok: false, message: `${fileName}, row ${i + 2}: ${status} without a valid RECORD_ID ("${id}").` };
    rows.push({ status: status as RowStatus, recordId: id === '' ? null : id, line: null });
  }
  return { ok: true, job: { job, reconciled: true, rows } };
}
