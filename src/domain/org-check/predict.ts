// Per-row prediction against the org snapshot, deciding exactly as the emulator's Bulk Write runner does
// (emulator/jobs/row-processor.ts + record-writer.ts): match on find_by (insert → DUPLICATE_DATA, update without a
// match → RESOURCE_NOT_FOUND / MANDATORY_NOT_FOUND), the shared row rules (evaluateRow), lookups against records
// that existed BEFORE the job, users that exist and are active, unique values against the org plus the rows this
// file already wrote; then the written row updates the simulated org, so later rows see it. For matched rows it
// also computes what the update changes (old → new), honouring ignore_empty (an ignored empty cell is no change).
import { ROW_ERROR_CODES, type Operation, type RowErrorCode } from '../fields/field-meta.ts';
import { isUserLookup, type FieldModel } from '../fields/field-model.ts';
import type { CellChange } from '../fields/normalisers.ts';
import type { FieldValue } from '../fields/validate-value.ts';
import { RECORD_ID, type Mapping } from '../mapping/mapping.ts';
import { formatRowErrors } from '../validation/row-errors.ts';
import { sortRowErrors, uniqueKey, type ResolvedMapping, type RowError } from '../validation/row-rules.ts';
import { RowTexts, TextBytes } from '../text-bytes.ts';
import { cellAt as rowCellAt } from '../csv/packed-rows.ts';
import { touchPages, TypedList } from '../typed-list.ts';
import { FileSide, hasHashBit, type KeyDict } from './file-side.ts';
import { KeyIndex, keyHash, NO_RECORD, recordsHolding, SEVERAL_RECORDS, type ModuleSnapshot, type TextColumn } from './snapshot.ts';
import type { FieldChangeCount, OrgCounts, OrgUser } from './types.ts';
import { isActive, looseKey, resolveUserValue, userDirectory, userResolutionReason, type UserDirectory } from './users.ts';

export const OUTCOME_ADD = 0;
export const OUTCOME_UPDATE = 1;
export const OUTCOME_SKIP = 2;
export const OUTCOME_EXCLUDED = 3;

/**
 * Codes of per-cell org issues: Zoho's row codes, plus the ones the org adds — a near match (a value that differs
 * from the org's only in case or spaces), a shared match value, a lookup value several records share, and a record
 * that several rows of the file update.
 */
export type OrgIssueCode = RowErrorCode | 'NEAR_MATCH' | 'SHARED_MATCH' | 'SHARED_LOOKUP' | 'SAME_RECORD';
export const ORG_ISSUE_CODES: readonly OrgIssueCode[] = [...ROW_ERROR_CODES, 'NEAR_MATCH', 'SHARED_MATCH', 'SHARED_LOOKUP', 'SAME_RECORD'];

/** A per-cell finding about the org, in the grid's row/column/severity/message shape. */
export interface OrgIssue {
  row: number;
  column: number | null;
  apiName: string;
  code: OrgIssueCode;
  severity: 'error' | 'warning';
  message: string;
}

/** A clean-up the check offers (near matches), in the shape column clean-ups use before packing. */
export interface OrgFix {
  label: string;
  note: string | null;
  column: number;
  summary: string;
  changes: CellChange[];
}

export interface OrgSnapshotInput {
  target: ModuleSnapshot;
  /** Snapshots of lookup targets by module (the target module itself may be one). */
  modules: ReadonlyMap<string, ModuleSnapshot>;
  /** Field models of lookup target modules (to know whether a find_by field is unique, and its case rule). */
  moduleFields: ReadonlyMap<string, readonly FieldModel[]>;
  users: readonly OrgUser[] | null;
}

export interface PredictInput {
  rows: readonly { cells: readonly string[] }[];
  mapping: Mapping;
  fields: readonly FieldModel[];
  operation: Operation;
  findBy: string | null;
  ignoreEmpty: boolean;
  excluded: ReadonlySet<number>;
}

export interface OrgPrediction {
  outcomes: Uint8Array;
  /** Per row: the record updated, or the org record a skipped insert duplicates; '' otherwise. */
  recordIds: TextBytes;
  /** Per row: Zoho's ERRORS text of a skipped row (`CODE-field:…`), '' otherwise. */
  errors: TextBytes;
  /** Changes of matched rows in row order: change k is row changeRows[k], field fieldNames[changeFields[k]]. */
  changeRows: Uint32Array;
  changeFields: Uint16Array;
  changeColumns: Int32Array;
  /** Old and new values of the changes, in change order (written as bytes while the records are compared). */
  olds: TextBytes;
  news: TextBytes;
  fieldNames: string[];
  changeCounts: FieldChangeCount[];
  changedRows: Uint32Array;
  unchangedRows: Uint32Array;
  issues: OrgIssue[];
  fixes: OrgFix[];
  counts: OrgCounts;
}

const SHARED = '\u0000shared';
/** `written` of a key no row of the file has written yet (see predictAgainstOrg). */
const UNWRITTEN = -0x80000000;

/** Index of one field of a snapshot: key → record id (SHARED when several records hold it). */
function indexColumn(s: ModuleSnapshot, apiName: string, keyOf: (text: string) => string | null): Map<string, string> {
  const out = new Map<string, string>();
  const col = s.columns.get(apiName);
  if (!col) return out;
  for (let i = 0; i < col.length; i++) {
    const k = keyOf(col.get(i));
    if (k === null) continue;
    const before = out.get(k);
    out.set(k, before === undefined ? s.ids.get(i) : SHARED);
  }
  return out;
}

const storeKey =
  (f: FieldModel) =>
  (text: string): string | null =>
    text === '' ? null : uniqueKey(f, text);

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^[+-]?\d+$/;

/**
 * For a type whose values Zoho stores the same though their text differs — a number's zeros ("1234.50", "1234.5"),
 * a boolean's case, a date-time's offset (the same instant) — whether an org value and a sent one are the same value;
 * null for the other types (their text is their value). Bulk Read writes values in Zoho's own form, which need not be
 * the form the wizard sends: without this, such a value showed as a change, and its row was not "one that changes
 * nothing".
 */
export function sameStoredValue(dataType: string): ((org: string, sent: string) => boolean) | null {
  switch (dataType) {
    case 'bigint':
      return (a, b) => INTEGER.test(a.trim()) && INTEGER.test(b.trim()) && BigInt(a.trim()) === BigInt(b.trim());
    case 'integer':
    case 'double':
    case 'currency':
    case 'percent':
      return (a, b) => DECIMAL.test(a.trim()) && DECIMAL.test(b.trim()) && Number(a) === Number(b);
    case 'boolean':
      return (a, b) => a.trim().toLowerCase() === b.trim().toLowerCase();
    case 'datetime': {
      return (a, b) => {
        const x = Date.parse(a);
        return !Number.isNaN(x) && x === Date.parse(b);
      };
    }
    default:
      return null;
  }
}

/** Text of a value as Bulk Read writes it back: lists joined by `;`, numbers and booleans as JS prints them. */
export function valueText(v: FieldValue | null | undefined): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return Array.isArray(v) ? v.join(';') : String(v);
}

interface LookupIndex {
  exact: Map<string, string>;
  loose: Map<string, string>;
  /** For find_by id: the ids that existed before the job. */
  ids: Set<string> | null;
  unique: FieldModel | null;
}

/**
 * Who holds each key of a file's KeyDict in the org, as the join found it: per key number, a record index, NO_RECORD
 * or SEVERAL_RECORDS in `holders`, and in `exact` whether that answer was compared with the key (1) or is the one
 * record whose value has the key's hash, not compared yet (0; see `joinKeys`, `PreparedOrg.holderOf`).
 */
export interface KeyHolders {
  holders: Int32Array;
  exact: Uint8Array;
  /** The org's values of the field, and its case rule: what a holder is compared with its key by. */
  column: TextColumn | undefined;
  fold: boolean;
}

/**
 * Sets in `found` the holders of the keys numbered [from, dict.size) of `dict` (`holders` start as NO_RECORD, `exact`
 * as 0): the org record whose value of `found.column` has that key, or SEVERAL_RECORDS when more than one does. The
 * org's values are hashed in place, in record order, and looked up in the dictionary's table of those keys
 * (KeyDict.probeTable). The one record with a key's hash is taken as its holder without comparing the two (`exact` stays 0): reading a file
 * key at random to compare it cost most of the join (its string, then its characters, each a memory read the cache
 * does not have), and the prediction compares it when it first asks for that key, when the row's key and the
 * record are read anyway. Compared here, at once: a second record with the same hash (a key several records share,
 * or a record whose value only has the hash), and every value whose hash two of the file's keys share.
 */
function joinKeys(dict: KeyDict, from: number, found: KeyHolders): void {
  const { holders, exact, column: col, fold } = found;
  if (col === undefined || dict.size <= from) return;
  const { table, mask, bits } = dict.probeTable(from);
  /** Record i's value has key number id's hash: holders[id] becomes exact, with record i counted when its value is the key. */
  const compare = (id: number, i: number): void => {
    const key = dict.keys[id]!;
    const first = exactHolder(found, id, key);
    // From here on, every record with this hash is compared with the key.
    exact[id] = 1;
    if (first !== SEVERAL_RECORDS && col.keyEquals(i, key, fold)) holders[id] = first === NO_RECORD ? i : SEVERAL_RECORDS;
  };
  for (let i = 0; i < col.length; i++) {
    const h = col.hashAt(i, fold);
    // Most org values are no key of the file: the bit (in 128 KB that stay in cache) says so without a table read.
    if (h < 0 || !hasHashBit(bits, h)) continue;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const id = table[2 * s]!;
      if (id < 0) break;
      if (table[2 * s + 1] !== h) continue;
      if (dict.hashShared(h)) {
        // Several keys of the file have this hash: the value is compared with each of them.
        compare(id, i);
        continue;
      }
      if (exact[id] === 0 && holders[id] === NO_RECORD) holders[id] = i;
      else compare(id, i);
      break;
    }
  }
}

/**
 * The org record holding key number `id` (`key` is that key) of the field `found` was joined for: a record the join
 * did not compare with the key is compared now, and the answer kept (a record that only had the key's hash becomes
 * NO_RECORD).
 */
function exactHolder(found: KeyHolders, id: number, key: string): number {
  const h = found.holders[id]!;
  if (h < 0 || found.exact[id] === 1) return h;
  found.exact[id] = 1;
  if (found.column !== undefined && found.column.keyEquals(h, key, found.fold)) return h;
  found.holders[id] = NO_RECORD;
  return NO_RECORD;
}

/** Prepared indexes of a snapshot, built once per check and reused by every re-prediction after an edit. */
export class PreparedOrg {
  readonly input: OrgSnapshotInput;
  private idIndex: Map<string, number> | null = null;
  private readonly uniqueBase = new Map<string, KeyIndex | null>();
  private readonly lookupCache = new Map<string, LookupIndex>();
  /** The users as the wizard resolves a user cell before sending it (users.ts). */
  readonly users: UserDirectory;
  private looseMatch: { field: string; map: Map<string, string> } | null = null;
  private readonly joins = new Map<string, { dict: KeyDict; found: KeyHolders; upTo: number }>();
  /** Per lookup module and find_by field read: record id → that field's value (recordLabel). */
  private readonly recordNames = new Map<string, Map<string, string>>();

  constructor(input: OrgSnapshotInput) {
    this.input = input;
    this.users = userDirectory(input.users ?? []);
  }

  /** The index of the target record with this id (find_by id), or NO_RECORD. Built on first use only. */
  recordOfId(id: string): number {
    if (this.idIndex === null) {
      this.idIndex = new Map();
      const ids = this.input.target.ids;
      for (let i = 0; i < ids.length; i++) this.idIndex.set(ids.get(i), i);
    }
    return this.idIndex.get(id) ?? NO_RECORD;
  }

  /** key → record index for a unique field of the target module, as the org holds it before the import. */
  uniqueIndex(f: FieldModel): KeyIndex | null {
    let m = this.uniqueBase.get(f.apiName);
    if (m === undefined) {
      const col = this.input.target.columns.get(f.apiName);
      m = col ? new KeyIndex(col, f.unique?.caseSensitive !== true) : null;
      this.uniqueBase.set(f.apiName, m);
    }
    return m;
  }

  /** The org's record for a unique key (`hash` = keyHash(key)): its index, NO_RECORD or SEVERAL_RECORDS. */
  holderOfKey(f: FieldModel, key: string, hash: number): number {
    return this.uniqueIndex(f)?.get(key, hash) ?? NO_RECORD;
  }

  /**
   * Who holds each key of the file's dictionary of unique field `f` in the org (see KeyHolders; read them through
   * `holderOf`). Worked out by one pass over the org's values against a table of the file's keys (the org's records
   * read in order, the file's keys being the ones looked up), instead of an index of every org value probed once per
   * row; kept, and extended when the dictionary has grown since (edited rows).
   */
  baseHolders(f: FieldModel, dict: KeyDict): KeyHolders {
    const col = this.input.target.columns.get(f.apiName);
    let j = this.joins.get(f.apiName);
    if (j === undefined || j.dict !== dict) {
      j = { dict, found: { holders: new Int32Array(0), exact: new Uint8Array(0), column: col, fold: f.unique?.caseSensitive !== true }, upTo: 0 };
      this.joins.set(f.apiName, j);
    }
    if (j.upTo < dict.size) {
      const holders = new Int32Array(dict.size);
      holders.set(j.found.holders);
      holders.fill(NO_RECORD, j.upTo);
      const exact = new Uint8Array(dict.size);
      exact.set(j.found.exact);
      j.found = { ...j.found, holders, exact };
      joinKeys(dict, j.upTo, j.found);
      j.upTo = dict.size;
    }
    return j.found;
  }

  /**
   * The org record holding key number `id` (`key` is that key) of the field `found` was joined for (baseHolders): a
   * record the join did not compare with the key is compared now, and the answer kept.
   */
  holderOf(found: KeyHolders, id: number, key: string): number {
    return exactHolder(found, id, key);
  }

  /** Every record sharing a unique key (rare: only asked when several do), in record order: a scan. */
  sharedHolders(f: FieldModel, key: string): number[] {
    const col = this.input.target.columns.get(f.apiName);
    return col === undefined ? [] : recordsHolding(col, key, f.unique?.caseSensitive !== true);
  }

  /** looseKey(value of the match field) → the org's spelling, for "near" clean-ups of unmatched rows. */
  looseMatchIndex(field: string): Map<string, string> {
    if (this.looseMatch?.field !== field) {
      const map = new Map<string, string>();
      const col = this.input.target.columns.get(field);
      for (let i = 0; col !== undefined && i < col.length; i++) {
        const v = col.get(i);
        if (v === '') continue;
        const k = looseKey(v);
        map.set(k, map.has(k) ? SHARED : v);
      }
      this.looseMatch = { field, map };
    }
    return this.looseMatch.map;
  }

  lookup(module: string, findBy: string): LookupIndex | null {
    const key = `${module}\u0000${findBy}`;
    const hit = this.lookupCache.get(key);
    if (hit) return hit;
    const s = this.input.modules.get(module);
    if (!s) return null;
    let built: LookupIndex;
    if (findBy === RECORD_ID) built = { exact: new Map(), loose: new Map(), ids: new Set(s.ids.toArray()), unique: null };
    else {
      const model = this.input.moduleFields.get(module)?.find((f) => f.apiName === findBy) ?? null;
      const unique = model !== null && model.unique !== null ? model : null;
      const exact = indexColumn(s, findBy, unique ? storeKey(unique) : (t) => (t === '' ? null : t));
      const loose = new Map<string, string>();
      const col = s.columns.get(findBy);
      for (let i = 0; col !== undefined && i < col.length; i++) {
        const v = col.get(i);
        if (v === '') continue;
        const k = looseKey(v);
        const before = loose.get(k);
        loose.set(k, before !== undefined && before !== v ? SHARED : v);
      }
      built = { exact, loose, ids: null, unique };
    }
    this.lookupCache.set(key, built);
    return built;
  }

  /**
   * How What will change names a user id: the user's full name (with the e-mail when another user has the same name),
   * or the id itself when no user has it.
   */
  userLabel(id: string): string {
    const u = this.users.byId.get(id);
    if (u === undefined) return id;
    if (u.fullName === '') return u.email || id;
    return (this.users.byName.get(u.fullName.trim())?.length ?? 0) > 1 && u.email !== '' ? `${u.fullName} (${u.email})` : u.fullName;
  }

  /**
   * How What will change names a record of `module` linked by id: its `findBy` value when that module was read by it
   * (a lookup found by name), or the id itself.
   */
  recordLabel(module: string, findBy: string, id: string): string {
    const key = `${module}\u0000${findBy}`;
    let names = this.recordNames.get(key);
    if (names === undefined) {
      names = new Map();
      const s = this.input.modules.get(module);
      const col = s?.columns.get(findBy);
      if (s !== undefined && col !== undefined) for (let i = 0; i < s.ids.length; i++) names.set(s.ids.get(i), col.get(i));
      this.recordNames.set(key, names);
    }
    const name = names.get(id);
    return name === undefined || name === '' ? id : name;
  }

  /** The user with this id (a user cell as it is sent: an id), or null. */
  userOfId(id: string): OrgUser | null {
    return this.users.byId.get(id.trim()) ?? null;
  }
}

/**
 * What a prediction of `rows` rows writes, made before it starts: sized from the row count (a change or two per row
 * is typical; room not written costs next to nothing, a doubling copies into fresh memory), so no list grows more
 * than once or twice. The worker makes them while Zoho prepares the Bulk Read and maps their memory then
 * (`prefault`, decision 169); a prediction uses a set once (its lists leave with the answer).
 */
export class PredictionLists {
  readonly outcomes: Uint8Array;
  /** Per row: the record it updates or duplicates, and a skipped row's errors ('' for the other rows). */
  readonly recordIds: RowTexts;
  readonly errorsText: RowTexts;
  readonly changeRows: TypedList<Uint32Array<ArrayBuffer>>;
  readonly changeFields: TypedList<Uint16Array<ArrayBuffer>>;
  readonly changeColumns: TypedList<Int32Array<ArrayBuffer>>;
  readonly olds: TextBytes;
  readonly news: TextBytes;
  readonly changedRows: TypedList<Uint32Array<ArrayBuffer>>;
  readonly unchangedRows: TypedList<Uint32Array<ArrayBuffer>>;

  constructor(readonly rows: number) {
    const guess = Math.max(1024, rows);
    this.outcomes = new Uint8Array(rows);
    this.recordIds = new RowTexts(rows + 1, 20 * guess);
    this.errorsText = new RowTexts(rows + 1, 4 * guess);
    this.changeRows = new TypedList((k) => new Uint32Array(k), 2 * guess);
    this.changeFields = new TypedList((k) => new Uint16Array(k), 2 * guess);
    this.changeColumns = new TypedList((k) => new Int32Array(k), 2 * guess);
    this.olds = new TextBytes(2 * guess, 32 * guess);
    this.news = new TextBytes(2 * guess, 32 * guess);
    this.changedRows = new TypedList((k) => new Uint32Array(k), guess);
    this.unchangedRows = new TypedList((k) => new Uint32Array(k), guess);
  }

  /** Writes once into every memory page of every list, so the system maps them now (decision 166). */
  prefault(): void {
    touchPages(this.outcomes);
    for (const t of [this.recordIds.list, this.errorsText.list, this.olds, this.news]) t.prefault();
    for (const l of [this.changeRows, this.changeFields, this.changeColumns, this.changedRows, this.unchangedRows]) l.prefault();
  }
}

interface Cause {
  code: OrgIssueCode;
  apiName: string;
  column: number | null;
  severity: 'error' | 'warning';
  message: string;
}

/**
 * Runs the whole file against the prepared org. Pure apart from the PreparedOrg's lazily built indexes (immutable once
 * built, but for the join's holders, each compared with its key the first time it is asked for: `holderOf`).
 * `side` is the file side of exactly these rows and settings (`fileSideFor`), when the caller keeps one.
 */
export function predictAgainstOrg(
  org: PreparedOrg,
  p: PredictInput,
  side: FileSide = new FileSide({ ...p, users: org.input.users }),
  lists?: PredictionLists,
): OrgPrediction {
  const n = p.rows.length;
  const moduleName = org.input.target.module;
  const byName = new Map(p.fields.map((f) => [f.apiName, f]));
  const mappings: ResolvedMapping[] = side.mappings;
  const columnOfField = new Map<string, number | null>();
  const sortKey = new Map<string, number>();
  mappings.forEach((m, i) => {
    columnOfField.set(m.field.apiName, m.index);
    sortKey.set(m.field.apiName, m.index ?? 1_000_000 + i);
  });
  const idColumn = p.mapping.columns.find((c) => c.apiName === RECORD_ID)?.column ?? null;
  if (idColumn !== null) sortKey.set(RECORD_ID, idColumn);
  const columnOf = (a: string): number => sortKey.get(a) ?? 2_000_000;
  const findByColumn = p.findBy === null ? null : p.findBy === RECORD_ID ? idColumn : (columnOfField.get(p.findBy) ?? null);
  const findByField = p.findBy !== null && p.findBy !== RECORD_ID ? (byName.get(p.findBy) ?? null) : null;
  const uniqueFields = p.fields.filter((f) => f.unique !== null);
  const sideUnique = new Map(side.uniques.map((u) => [u.field.apiName, u]));
  // The unique key of value v of field f in row `row` (the file side's when v is the value it worked out), and its
  // hash in keyHashOut.
  let keyHashOut = -1;
  // …and its number in the field's KeyDict in keyIdOut (-1: not known here; looked up by the key when needed).
  let keyIdOut = -1;
  const uniqueKeyOf = (f: FieldModel, u: FileSide['uniques'][number] | undefined, row: number, v: FieldValue): string => {
    if (u !== undefined && side.valueAt(row, u.at) === v) {
      keyHashOut = u.keys.hashes[row]!;
      keyIdOut = u.keys.ids[row]!;
      return u.keys.keys[row]!;
    }
    const key = uniqueKey(f, v);
    keyHashOut = keyHash(key);
    keyIdOut = -1;
    return key;
  };
  const lookupMappings = mappings.filter((m) => m.field.dataType === 'lookup');
  const userMappings = mappings.filter((m) => isUserLookup(m.field));

  // Who holds a key, as a number (no id strings in the loop): a target record's index (≥ 0), NO_RECORD,
  // SEVERAL_RECORDS, or a record this file adds, -(row + 3) (`newHolder`).
  const ids = org.input.target.ids;
  const newHolder = (row: number): number => -(row + 3);
  const isNew = (h: number): boolean => h <= -3;
  const rowOfNew = (h: number): number => -h - 3;
  // A record's id cut out of its page once, when first named: a million-row file names the same 200,000 records
  // again and again (each updated row's RECORD_ID), and a string per naming was ~480,000 strings more to collect.
  // (Messages only: the per-row record ids go from the page straight into `recordIds`.)
  const idTexts = new Map<number, string>();
  const idOf = (h: number): string => {
    if (h < 0) return '';
    let t = idTexts.get(h);
    if (t === undefined) idTexts.set(h, (t = ids.get(h)));
    return t;
  };
  // The simulated org: unique keys written (a holder) or freed (NO_RECORD) by this file, over the org's index.
  // The keys the file holds (a KeyDict per unique field) are followed by number: who holds each in the org
  // (`base`, one pass over the org: PreparedOrg.baseHolders) and what this file wrote (`written`). Other keys (a
  // value the file does not hold, such as an org value an update frees: rare) go through `otherKeys`.
  const keyState = new Map<string, { dict: KeyDict; base: KeyHolders; written: Int32Array } | null>();
  const otherKeys = new Map<string, Map<string, number>>(uniqueFields.map((f) => [f.apiName, new Map()]));
  const keyStateOf = (f: FieldModel) => {
    let k = keyState.get(f.apiName);
    if (k === undefined) {
      const dict = side.dicts.get(f.apiName);
      k = dict === undefined ? null : { dict, base: org.baseHolders(f, dict), written: new Int32Array(dict.size).fill(UNWRITTEN) };
      keyState.set(f.apiName, k);
    }
    return k;
  };
  /** The number of `key` in f's dictionary (`id` when the caller has it), or -1 when the file does not hold it. */
  const numberOf = (k: { dict: KeyDict } | null, key: string, id: number): number => (k === null ? -1 : id >= 0 ? id : k.dict.idOf(key));
  const overlaySet = (f: FieldModel, key: string, holder: number, id = -1): void => {
    const k = keyStateOf(f);
    const at = numberOf(k, key, id);
    if (at >= 0) {
      k!.written[at] = holder;
      return;
    }
    otherKeys.get(f.apiName)!.set(key, holder);
  };
  // The match and the unique check of the same row usually ask for the same key (find_by is a unique field): the
  // last answer is reused until the simulated org changes.
  let lastField: FieldModel | null = null;
  let lastKey = '';
  let lastHolder = NO_RECORD;
  const holderOf = (f: FieldModel, key: string, hash: number, id = -1): number => {
    if (f === lastField && key === lastKey) return lastHolder;
    const k = keyStateOf(f);
    const at = numberOf(k, key, id);
    let h: number;
    if (at >= 0) {
      const w = k!.written[at]!;
      h = w !== UNWRITTEN ? w : org.holderOf(k!.base, at, key);
    } else {
      h = otherKeys.get(f.apiName)!.get(key) ?? org.holderOfKey(f, key, hash);
    }
    lastField = f;
    lastKey = key;
    lastHolder = h;
    return h;
  };
  const forgetHolder = (): void => {
    lastField = null;
  };
  // Everything the loop asks per field is kept by mapping position (`at`), not looked up by API name per row.
  const posOf = new Map<string, number>();
  mappings.forEach((m, i) => posOf.set(m.field.apiName, i));
  // The unique fields the file writes (an unmapped one has no value to check).
  const mappedUniques = uniqueFields.filter((f) => posOf.has(f.apiName));
  // …by the loop's index into mappedUniques: the field's mapping position and the file side's keys of it (no lookup by
  // API name per row).
  const uniquePosAt = mappedUniques.map((f) => posOf.get(f.apiName)!);
  const uniqueSideAt = mappedUniques.map((f) => sideUnique.get(f.apiName));
  const orgColumnAt: (TextColumn | undefined)[] = mappings.map((m) => org.input.target.columns.get(m.field.apiName));
  const sameValueAt = mappings.map((m) => sameStoredValue(m.field.dataType));
  // What will change names users and linked records rather than showing their ids (a display: the comparison is by id).
  const shownAt: (((id: string) => string) | null)[] = mappings.map((m) => {
    if (isUserLookup(m.field)) return org.input.users === null ? null : (id: string) => (id === '' ? '' : org.userLabel(id));
    const target = m.field.lookupModule;
    if (m.field.dataType !== 'lookup' || target === null || m.findBy === null || m.findBy === RECORD_ID) return null;
    const findBy = m.findBy;
    return (id: string) => (id === '' ? '' : org.recordLabel(target, findBy, id));
  });
  // Values this file wrote into org records: per field, a slot per record (-1: unchanged) into a list of the texts
  // written ('' = blanked). Typed, because a plain array of 200,000 holes would be a slow dictionary in V8.
  const overrideAt: ({ slot: Int32Array; texts: string[] } | undefined)[] = mappings.map(() => undefined);
  // Records an earlier row wrote a value into (most are matched once, or never): one byte read instead of a slot
  // per field. Marked after the row's last field: a row reads each field once, before it writes it.
  const touched = new Uint8Array(ids.length);
  const overrideOf = (at: number, h: number): string | undefined => {
    if (touched[h] === 0) return undefined;
    const o = overrideAt[at];
    if (o === undefined) return undefined;
    const slot = o.slot[h]!;
    return slot < 0 ? undefined : o.texts[slot];
  };
  // The row's values, by mapping position (from the file side; undefined = the field is left untouched).
  const vals: (FieldValue | null | undefined)[] = new Array<FieldValue | null | undefined>(mappings.length);
  const valueOf = (apiName: string): FieldValue | null | undefined => {
    const at = posOf.get(apiName);
    return at === undefined ? undefined : vals[at];
  };
  // Records this file adds (upsert only), by the row that added them: a copy of the row's values when a later row
  // changed them or they hold resolved lookups or users; otherwise the file side's values are the record's.
  const newRecords: ((FieldValue | null | undefined)[] | undefined)[] = [];
  const copyNewRecords = lookupMappings.length > 0 || userMappings.length > 0;
  const newRecordOf = (row: number): (FieldValue | null | undefined)[] => {
    let rec = newRecords[row];
    if (rec === undefined) {
      rec = new Array<FieldValue | null | undefined>(mappings.length);
      side.valuesInto(row, rec);
      newRecords[row] = rec;
    }
    return rec;
  };
  const currentText = (h: number, at: number): string => {
    if (isNew(h)) {
      const rec = newRecords[rowOfNew(h)];
      return valueText(rec !== undefined ? rec[at] : side.valueAt(rowOfNew(h), at));
    }
    if (h < 0) return '';
    const o = overrideOf(at, h);
    if (o !== undefined) return o;
    return orgColumnAt[at]?.get(h) ?? '';
  };
  const setCurrent = (h: number, at: number, text: string): void => {
    if (isNew(h)) {
      newRecordOf(rowOfNew(h))[at] = text === '' ? null : text;
      return;
    }
    if (h < 0) return;
    let o = overrideAt[at];
    if (o === undefined) overrideAt[at] = o = { slot: new Int32Array(ids.length).fill(-1), texts: [] };
    o.slot[h] = o.texts.length;
    o.texts.push(text);
  };
  /** Adds currentText(h, at) to `sink`, without cutting an unchanged org value out of its page. */
  const appendCurrent = (h: number, at: number, sink: TextBytes): void => {
    const col = orgColumnAt[at];
    if (h >= 0 && col !== undefined && overrideOf(at, h) === undefined) col.appendTo(h, sink);
    else sink.push(currentText(h, at));
  };
  /** currentText(h, at) === text, without cutting an unchanged org value out of its page. */
  const sameAsCurrent = (h: number, at: number, text: string): boolean => {
    if (h >= 0 && overrideOf(at, h) === undefined) {
      const col = orgColumnAt[at];
      return col ? col.keyEquals(h, text, false) : text === '';
    }
    return currentText(h, at) === text;
  };
  // Reused for every row (reset, not reallocated): most rows have no error and no cause.
  const causes: Cause[] = [];
  const rowErrors: RowError[] = [];
  const skip = (row: number, holder: number): void => {
    outcomes[row] = OUTCOME_SKIP;
    if (holder >= 0) ids.appendTo(holder, recordIds.row(row));
    errorsText.row(row).push(formatRowErrors(sortRowErrors(rowErrors, columnOf)));
    counts.skip++;
    for (const c of causes) issues.push({ row, ...c });
  };

  const { outcomes, recordIds, errorsText, changeRows, changeFields, changeColumns, olds, news, changedRows, unchangedRows } =
    lists !== undefined && lists.rows === n ? lists : new PredictionLists(n);
  const fieldNames: string[] = [];
  // Per mapping position: the field's index in fieldNames (-1 until it first changes), and its count of changes.
  const fieldIndexAt = new Int32Array(mappings.length).fill(-1);
  const changesAt = new Int32Array(mappings.length);
  const issues: OrgIssue[] = [];
  const nearByColumn = new Map<number, { label: string; changes: CellChange[] }>();
  const counts: OrgCounts = { add: 0, update: 0, skip: 0, excluded: 0, unchanged: 0 };
  const label = (apiName: string) => byName.get(apiName)?.label ?? (apiName === RECORD_ID ? 'Record Id' : apiName);
  const near = (column: number | null, what: string, change: CellChange) => {
    if (column === null) return;
    let e = nearByColumn.get(column);
    if (!e) nearByColumn.set(column, (e = { label: what, changes: [] }));
    e.changes.push(change);
  };

  // Rows per match key (find_by a field: its dictionary's numbers). A record matched by the only row with its key is
  // matched by no later row (a record is matched only through a key it holds, and it holds no other key of the file
  // unless a row matched it), so what that row writes into it need not be remembered: the overrides below (a slot
  // per record and field, and a text per change) are kept only for records that another row may read again.
  const matchIds = side.match.ids;
  let matchCount: Uint32Array | null = null;
  // Per match key: the first row updating the org record that holds it, when several rows do (SAME_RECORD).
  let firstUpdater: Int32Array | null = null;
  if (side.match.dict !== null && p.findBy !== RECORD_ID) {
    matchCount = new Uint32Array(side.match.dict.size);
    for (let row = 0; row < n; row++) {
      const id = matchIds[row]!;
      if (id >= 0) matchCount[id]!++;
    }
  }

  // One cell of a row as the file has it (a packed row's `cells` would cut every cell of the row: packed-rows' cellAt
  // cuts only this one). Read only where a message or a clean-up quotes the cell.
  const cellAt = (row: number, column: number | null): string => (column === null ? '' : rowCellAt(p.rows[row]!, column));
  // A row's line in the file (what the grid and the messages call it).
  const lineOf = (row: number): number => (p.rows[row] as { line?: number }).line ?? row + 2;

  for (let row = 0; row < n; row++) {
    if (p.excluded.has(row)) {
      outcomes[row] = OUTCOME_EXCLUDED;
      counts.excluded++;
      continue;
    }
    // Most rows have neither: setting an array's length is a call into the engine, so only when there is something.
    if (causes.length !== 0) causes.length = 0;
    if (rowErrors.length !== 0) rowErrors.length = 0;

    // 1. The match on find_by, against the org plus the rows this file already wrote.
    let matched = NO_RECORD;
    const matchRaw = side.matchRaw[row]!;
    if (p.findBy !== null && findByColumn !== null && matchRaw !== '') {
      const key = side.match.keys[row] ?? null;
      if (p.findBy === RECORD_ID) matched = org.recordOfId(matchRaw);
      else if (findByField && key !== null) {
        const h = holderOf(findByField, key, side.match.hashes[row]!, side.match.ids[row]);
        const all = h === SEVERAL_RECORDS ? org.sharedHolders(findByField, key) : [];
        matched = h === SEVERAL_RECORDS ? (all[0] ?? NO_RECORD) : h;
        if (h === SEVERAL_RECORDS && matched !== NO_RECORD) {
          issues.push({
            row,
            column: findByColumn,
            apiName: p.findBy,
            code: 'SHARED_MATCH',
            severity: 'warning',
            message: `${all.length} ${moduleName} records share this ${label(p.findBy)} (${all.slice(0, 5).map(idOf).join(', ')}). Zoho matches only one of them and does not say which; the check assumes record ${idOf(matched)}. Make the value unique in Zoho CRM, or match by record id.`,
          });
        }
      }
    }
    if (p.operation === 'insert' && matched !== NO_RECORD && p.findBy !== null) {
      rowErrors.push({ code: 'DUPLICATE_DATA', apiName: p.findBy });
      causes.push({
        code: 'DUPLICATE_DATA',
        apiName: p.findBy,
        column: findByColumn,
        severity: 'error',
        message: isNew(matched)
          ? `An earlier row of this file (line ${lineOf(rowOfNew(matched))}) already adds a record with this ${label(p.findBy)}, so Zoho skips this row (DUPLICATE_DATA).`
          : `A ${moduleName} record with this ${label(p.findBy)} already exists (record ${idOf(matched)}), so Zoho skips this row (DUPLICATE_DATA). Import it as an update or upsert instead, or exclude the row.`,
      });
      skip(row, matched);
      continue;
    }
    if (p.operation === 'update' && matched === NO_RECORD && p.findBy !== null) {
      const code = matchRaw === '' ? 'MANDATORY_NOT_FOUND' : 'RESOURCE_NOT_FOUND';
      rowErrors.push({ code, apiName: p.findBy });
      if (code === 'RESOURCE_NOT_FOUND') {
        causes.push({
          code,
          apiName: p.findBy,
          column: findByColumn,
          severity: 'error',
          message: `No ${moduleName} record has ${label(p.findBy)} "${matchRaw}", so there is nothing to update and Zoho skips the row (RESOURCE_NOT_FOUND). Check the value, or import with Upsert to add it as a new record.`,
        });
        noteNearMatch(row, matchRaw);
      }
      skip(row, NO_RECORD);
      continue;
    }
    const existing = p.operation === 'insert' ? NO_RECORD : matched;

    // 2. The shared row rules (the file-only check reports these already; here they decide the outcome).
    side.valuesInto(row, vals);
    const ruleErrors = side.errorsOf(row, existing === NO_RECORD);
    for (let k = 0; k < ruleErrors.length; k++) rowErrors.push(ruleErrors[k]!);

    // 3. Lookups: a record that existed before the import, found by id or by the mapping's find_by field.
    for (let li = 0; li < lookupMappings.length; li++) {
      const m = lookupMappings[li]!;
      const apiName = m.field.apiName;
      const v = valueOf(apiName);
      if (v === undefined || v === null) continue;
      const text = String(v).trim();
      const target = m.field.lookupModule;
      const findBy = m.findBy === null || m.findBy === RECORD_ID ? RECORD_ID : m.findBy;
      const idx = target === null ? null : org.lookup(target, findBy);
      let id: string | null = null;
      if (idx !== null) {
        if (idx.ids !== null) id = idx.ids.has(text) ? text : null;
        else {
          const h = idx.exact.get(idx.unique ? uniqueKey(idx.unique, text) : text);
          id = h === undefined || h === SHARED ? null : h;
          if (h === SHARED) {
            causes.push({
              code: 'SHARED_LOOKUP',
              apiName,
              column: m.index,
              severity: 'error',
              message: `Several ${target} records have ${findBy} "${text}", so Zoho cannot tell which one ${label(apiName)} means and skips the row (INVALID_DATA). Use the record id, or make the value unique in Zoho CRM.`,
            });
          }
        }
      }
      if (id === null) {
        rowErrors.push({ code: 'INVALID_DATA', apiName });
        if (!causes.some((c) => c.apiName === apiName)) {
          const what = findBy === RECORD_ID ? `id ${text}` : `${findBy} "${text}"`;
          // A value the org has once case and spaces are ignored: the clean-up to its spelling, not a new record.
          const close = idx !== null && idx.ids === null ? idx.loose.get(looseKey(text)) : undefined;
          const isNear = close !== undefined && close !== SHARED;
          causes.push({
            code: isNear ? 'NEAR_MATCH' : 'INVALID_DATA',
            apiName,
            column: m.index,
            severity: 'error',
            message: `No ${target ?? 'linked'} record has ${what}, so ${label(apiName)} cannot be linked and Zoho skips the row (INVALID_DATA). ${isNear ? `The org has "${close}", which differs only in case or spaces: the clean-up can use its spelling.` : 'Create that record first, correct the value, or leave the cell empty.'}`,
          });
          if (isNear) near(m.index, `${label(apiName)}: use the org's spelling`, { row, before: cellAt(row, m.index), after: close });
        }
      } else vals[posOf.get(apiName)!] = id;
    }

    // 4. Users (Owner, user lookups): must exist and be active (docs/org-apis.md A1). The file side holds each user
    // cell as the wizard sends it (decision 175): the id of the active user it names (by id, e-mail or unique full
    // name), else the cell as it is — which names no user, so Zoho skips the row.
    for (let ui = 0; ui < userMappings.length; ui++) {
      const m = userMappings[ui]!;
      const apiName = m.field.apiName;
      // Users could not be read: the check cannot judge this field, and says nothing rather than guess.
      if (org.input.users === null) continue;
      const v = valueOf(apiName);
      if (v !== undefined && v !== null) {
        const u = org.userOfId(String(v));
        if (u !== null && isActive(u)) {
          vals[posOf.get(apiName)!] = u.id;
          continue;
        }
      }
      // Not an active user's id: the row is skipped on this field. The raw cell is read only now (most rows pass).
      const raw = m.index === null ? '' : cellAt(row, m.index).trim();
      const ruleFailed = rowErrors.some((e) => e.apiName === apiName);
      if ((v === undefined || v === null) && ((raw === '' && (m.defaultValue ?? '') === '') || !ruleFailed)) continue;
      // What the cell (or, for a blank cell, the default) names, in the words the admin wrote it.
      const shown = raw !== '' ? raw : (m.defaultValue ?? String(v ?? ''));
      const r = resolveUserValue(shown, org.users);
      if (!ruleFailed) rowErrors.push({ code: 'INVALID_DATA', apiName });
      causes.push({
        code: 'INVALID_DATA',
        apiName,
        column: m.index,
        severity: 'error',
        message:
          userResolutionReason(label(apiName), shown, r) ??
          // A value naming an active user that is still not sent as that user's id (a default with no column goes as
          // it is): Zoho reads it as an id and finds no one.
          `${label(apiName)} is sent as "${shown}", which Zoho reads as a user id and finds no user, so it skips the row (INVALID_DATA).${r.kind === 'ok' ? ` Write the user's id (${r.id}) instead.` : ''}`,
      });
      if (r.kind === 'near' && raw !== '')
        near(m.index, `${label(apiName)}: use the user's ${r.suggestion.includes('@') ? 'e-mail' : 'name'} as Zoho spells it`, {
          row,
          before: cellAt(row, m.index),
          after: r.suggestion,
        });
    }

    // 5. Unique values: free in the org (which includes the rows this file already wrote), unless held by the record itself.
    for (let fi = 0; fi < mappedUniques.length; fi++) {
      const f = mappedUniques[fi]!;
      const v = vals[uniquePosAt[fi]!];
      if (v === undefined || v === null) continue;
      const text = valueText(v);
      if (text === '') continue;
      const key = uniqueKeyOf(f, uniqueSideAt[fi], row, v);
      const holder = holderOf(f, key, keyHashOut, keyIdOut);
      if (holder !== NO_RECORD && holder !== existing) {
        rowErrors.push({ code: 'DUPLICATE_DATA', apiName: f.apiName });
        const col = columnOfField.get(f.apiName) ?? null;
        if (holder >= 0) {
          causes.push({
            code: 'DUPLICATE_DATA',
            apiName: f.apiName,
            column: col,
            severity: 'error',
            message: `${label(f.apiName)} "${text}" already belongs to ${moduleName} record ${idOf(holder)}, and the field must be unique, so Zoho skips the row (DUPLICATE_DATA). ${p.operation === 'insert' ? 'Import as an upsert matching on this field to update that record, change the value, or exclude the row.' : 'Change the value, or exclude the row.'}`,
          });
        }
        if (matched === NO_RECORD && holder >= 0) matched = holder;
      }
    }

    if (rowErrors.length > 0) {
      skip(row, p.operation === 'insert' ? matched : existing !== NO_RECORD ? existing : matched);
      continue;
    }

    // 6. Written: the simulated org changes, and an update's changes are recorded.
    if (existing === NO_RECORD) {
      const id = newHolder(row);
      for (let fi = 0; fi < mappedUniques.length; fi++) {
        const f = mappedUniques[fi]!;
        const v = vals[uniquePosAt[fi]!];
        if (v === undefined || v === null || valueText(v) === '') continue;
        const key = uniqueKeyOf(f, uniqueSideAt[fi], row, v);
        overlaySet(f, key, id, keyIdOut);
      }
      forgetHolder();
      // An upsert row later in the file may match this new record and update it: remember what it holds.
      if (p.operation === 'upsert' && copyNewRecords) newRecords[row] = vals.slice();
      outcomes[row] = OUTCOME_ADD;
      counts.add++;
      continue;
    }
    outcomes[row] = OUTCOME_UPDATE;
    ids.appendTo(existing, recordIds.row(row));
    counts.update++;
    // How many rows of the file hold this row's match key, when it matched an org record by it (0 otherwise).
    const key = existing >= 0 && matchCount !== null ? matchIds[row]! : -1;
    const rowsOfKey = key >= 0 ? matchCount![key]! : 0;
    const readAgain = rowsOfKey !== 1;
    // A record that more than one row updates: each later row is told which row came first (Zoho writes them in
    // order, so the last one's values stand where they differ).
    if (rowsOfKey > 1) {
      firstUpdater ??= new Int32Array(matchCount!.length).fill(-1);
      const first = firstUpdater[key]!;
      if (first < 0) firstUpdater[key] = row;
      else
        issues.push({
          row,
          column: findByColumn,
          apiName: p.findBy!,
          code: 'SAME_RECORD',
          severity: 'warning',
          message: `An earlier row of this file (line ${lineOf(first)}) updates the same ${moduleName} record ${idOf(existing)}: Zoho writes the rows in order, so where they differ this row's values replace that row's. Keep one row per record, or exclude the one you do not want.`,
        });
    }
    let changes = 0;
    for (let at = 0; at < mappings.length; at++) {
      const m = mappings[at]!;
      const apiName = m.field.apiName;
      const v = vals[at];
      if (v === undefined) continue; // an ignored empty cell: the field is left as it is
      if (v === null && apiName === 'Owner') continue; // a record always keeps an owner
      const next = valueText(v);
      if (sameAsCurrent(existing, at, next)) continue;
      // Another text of the same stored value (a number's zeros, a boolean's case, a date-time's offset) is no change.
      const sameValue = sameValueAt[at] ?? null;
      if (sameValue !== null && sameValue(currentText(existing, at), next)) continue;
      // The old value goes straight from the page into `olds` (a string is cut only for a unique field's key, or for a
      // user's or a linked record's id, named instead).
      const old = m.field.unique !== null ? currentText(existing, at) : null;
      const shown = shownAt[at] ?? null;
      if (shown !== null) olds.push(shown(old ?? currentText(existing, at)));
      else if (old !== null) olds.push(old);
      else appendCurrent(existing, at, olds);
      if (readAgain) setCurrent(existing, at, next);
      // A unique value this update changes moves in the simulated org: its old key is free, its new key is held.
      if (old !== null) {
        const before = old === '' ? null : uniqueKey(m.field, old);
        const after = next === '' ? null : uniqueKey(m.field, next);
        if (before !== after) {
          if (before !== null) overlaySet(m.field, before, NO_RECORD);
          if (after !== null) overlaySet(m.field, after, existing);
          forgetHolder();
        }
      }
      let fi = fieldIndexAt[at]!;
      if (fi < 0) {
        fi = fieldNames.length;
        fieldIndexAt[at] = fi;
        fieldNames.push(apiName);
      }
      changeRows.push(row);
      changeFields.push(fi);
      changeColumns.push(m.index ?? -1);
      news.push(shown !== null ? shown(next) : next);
      changesAt[at]!++;
      changes++;
    }
    if (changes > 0 && existing >= 0 && readAgain) touched[existing] = 1;
    if (changes === 0) {
      unchangedRows.push(row);
      counts.unchanged++;
    } else changedRows.push(row);
  }

  function noteNearMatch(row: number, raw: string): void {
    if (p.findBy === null || p.findBy === RECORD_ID) return;
    const close = org.looseMatchIndex(p.findBy).get(looseKey(raw));
    if (close === undefined || close === SHARED) return;
    issues.push({
      row,
      column: findByColumn,
      apiName: p.findBy,
      code: 'NEAR_MATCH',
      severity: 'warning',
      message: `${label(p.findBy)} "${close}" exists in the org; this cell differs only in case or spaces. The clean-up can use the org's spelling.`,
    });
    near(findByColumn, `${label(p.findBy)}: use the org's spelling`, { row, before: raw, after: close });
  }

  const fixes: OrgFix[] = [...nearByColumn].map(([column, e]) => ({
    label: e.label,
    note: 'Values that match the org only when case and spaces are ignored.',
    column,
    summary: `${e.changes.length} cell${e.changes.length === 1 ? '' : 's'} in this column match a value in Zoho CRM once case and spaces are ignored; change them to the org's spelling.`,
    changes: e.changes,
  }));
  const changeCounts: FieldChangeCount[] = fieldNames.map((apiName) => ({ apiName, label: label(apiName), count: changesAt[posOf.get(apiName)!]! }));
  return {
    outcomes,
    recordIds: recordIds.finish(n),
    errors: errorsText.finish(n),
    changeRows: changeRows.take(),
    changeFields: changeFields.take(),
    changeColumns: changeColumns.take(),
    olds,
    news,
    fieldNames,
    changeCounts,
    changedRows: changedRows.take(),
    unchangedRows: unchangedRows.take(),
    issues,
    fixes,
    counts,
  };
}
