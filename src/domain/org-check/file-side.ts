// The file's half of the org check: what every row writes (the shared row rules' values and errors) and the keys it
// is matched and checked by. None of it depends on the org, so the worker works it out while Zoho is still
// preparing the Bulk Read (decision 093), and keeps it for the re-predictions after edits: a row is worked out
// again only when it is not the same row object as last time (an edit replaces the row, the others are shared).
import { isUserLookup, type FieldModel } from '../fields/field-model.ts';
import { compileValidator, validatorFor, type FieldValue } from '../fields/validate-value.ts';
import { RECORD_ID, resolveMapping, type Mapping } from '../mapping/mapping.ts';
import { evaluateRowInto, isBlank, uniqueKey, type ResolvedMapping, type RowError } from '../validation/row-rules.ts';
import { keyHash } from './snapshot.ts';
import { ascendingColumns, readColumns } from '../csv/packed-rows.ts';
import type { OrgUser } from './types.ts';
import { resolveUserValue, sentUserId, userDirectory } from './users.ts';

export interface FileSideInput {
  rows: readonly { cells: readonly string[] }[];
  mapping: Mapping;
  fields: readonly FieldModel[];
  findBy: string | null;
  ignoreEmpty: boolean;
  /**
   * The org's users, when read: user columns are then worked out as the wizard sends them (decision 175) — a cell or
   * default naming an active user (by id, e-mail or unique full name) as that user's id, found by id; anything else
   * as it is, found by id (so Zoho skips it).
   */
  users?: readonly OrgUser[] | null;
}

type Value = FieldValue | null | undefined;

/**
 * Key numbers by hash, open addressing: per slot, side by side, a key's number (-1: empty) and its hash; and a bit
 * per hash (its low 20 bits) in 128 KB, which answers "no such key" for most hashes without a read of the table.
 */
export interface KeyTable {
  table: Int32Array;
  mask: number;
  bits: Int32Array;
}

/** Whether `bits` (a KeyTable's) has the bit of hash `h`: if not, no key of the table has that hash. */
export function hasHashBit(bits: Int32Array, h: number): boolean {
  return (bits[(h >>> 5) & 0x7fff]! & (1 << (h & 31))) !== 0;
}

function setHashBit(bits: Int32Array, h: number): void {
  bits[(h >>> 5) & 0x7fff]! |= 1 << (h & 31);
}

/** A table of `size` slots (a power of two) holding the keys numbered [from, to), whose hashes are `hashes`. */
function slotsFor(hashes: readonly number[], from: number, to: number, size: number): Int32Array<ArrayBuffer> {
  const table = new Int32Array(2 * size).fill(-1);
  const mask = size - 1;
  for (let id = from; id < to; id++) {
    const h = hashes[id]!;
    let s = h & mask;
    while (table[2 * s]! >= 0) s = (s + 1) & mask;
    table[2 * s] = id;
    table[2 * s + 1] = h;
  }
  return table;
}

/**
 * The distinct keys the file holds for one unique field, each with a number: the prediction keeps what it knows of a
 * key (who holds it in the org, what an earlier row wrote) in typed arrays by that number instead of hashing the
 * key string into a table per row. Numbers are never reused: a re-worked row may add keys, never renumber them.
 */
export class KeyDict {
  readonly keys: string[] = [];
  readonly hashes: number[] = [];
  /**
   * Open addressing on the keys' hashes (which the file side works out anyway), per slot side by side the key's
   * number (-1: empty) and its hash: a million keys are numbered without a Map hashing each string again.
   */
  private table = new Int32Array(2 * 1024).fill(-1);
  private mask = 1023;
  /** The keys' hash bits (see KeyTable). */
  private readonly bits = new Int32Array(1 << 15);
  /** Hashes two or more keys share (rare: a 31-bit hash): a join compares values with these keys at once. */
  private readonly sharedHashes = new Set<number>();

  get size(): number {
    return this.keys.length;
  }

  /** The number of `key` (`hash` = keyHash(key)), given one if it is new. */
  add(key: string, hash: number): number {
    const table = this.table;
    let s = hash & this.mask;
    for (;;) {
      const id = table[2 * s]!;
      if (id < 0) break;
      if (table[2 * s + 1] === hash) {
        if (this.keys[id] === key) return id;
        this.sharedHashes.add(hash);
      }
      s = (s + 1) & this.mask;
    }
    const id = this.keys.length;
    this.keys.push(key);
    this.hashes.push(hash);
    setHashBit(this.bits, hash);
    table[2 * s] = id;
    table[2 * s + 1] = hash;
    if (this.keys.length * 2 > this.mask + 1) this.grow();
    return id;
  }

  /**
   * A table of the keys numbered from `from` on, for a join to probe by hash (`joinKeys` in predict.ts): the
   * dictionary's own for all of them (built while the rows were worked out), else one of the newer keys only.
   */
  probeTable(from = 0): KeyTable {
    if (from <= 0) return { table: this.table, mask: this.mask, bits: this.bits };
    let size = 16;
    while (size < (this.size - from) * 2) size *= 2;
    const bits = new Int32Array(1 << 15);
    for (let id = from; id < this.size; id++) setHashBit(bits, this.hashes[id]!);
    return { table: slotsFor(this.hashes, from, this.size, size), mask: size - 1, bits };
  }

  /** Whether another key of the dictionary has hash `hash` too. */
  hashShared(hash: number): boolean {
    return this.sharedHashes.size !== 0 && this.sharedHashes.has(hash);
  }

  /** The number of `key`, or -1 when no row of the file has it. */
  idOf(key: string): number {
    if (key === '') return -1;
    const hash = keyHash(key);
    for (let s = hash & this.mask; ; s = (s + 1) & this.mask) {
      const id = this.table[2 * s]!;
      if (id < 0) return -1;
      if (this.table[2 * s + 1] === hash && this.keys[id] === key) return id;
    }
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    this.table = slotsFor(this.hashes, 0, this.size, size);
    this.mask = size - 1;
  }
}

/**
 * Keys of one field per row: the key (null when the row has none), its KeyIndex hash (-1 when none) and its number
 * in the field's KeyDict (-1 when none).
 */
export interface RowKeys {
  keys: (string | null)[];
  hashes: Int32Array;
  ids: Int32Array;
  /** The field's dictionary; null for match keys that are no field's values (find_by id, or no unique find_by). */
  dict: KeyDict | null;
}

function rowKeys(n: number, dict: KeyDict | null): RowKeys {
  return { keys: new Array<string | null>(n).fill(null), hashes: new Int32Array(n).fill(-1), ids: new Int32Array(n).fill(-1), dict };
}

function setRowKey(k: RowKeys, row: number, key: string | null): void {
  k.keys[row] = key;
  const hash = key === null || key === '' ? -1 : keyHash(key);
  k.hashes[row] = hash;
  k.ids[row] = hash < 0 || k.dict === null ? -1 : k.dict.add(key!, hash);
}

export class FileSide {
  /** What the values depend on besides the rows; another signature needs another FileSide. */
  readonly signature: string;
  readonly mappings: ResolvedMapping[];
  /** The mapped unique fields whose keys are kept, with their position in `mappings`. */
  readonly uniques: { field: FieldModel; at: number; keys: RowKeys }[];
  /**
   * The match cell trimmed ('' when blank) and the key it is matched by: the id itself for find_by id, the unique
   * key of a valid value of a unique find_by field, else none (no match is looked for).
   */
  readonly matchRaw: string[];
  readonly match: RowKeys;
  private readonly width: number;
  private readonly values: Value[];
  /** Errors of the rows that have any: as an insert, and as an update (a subset: see `work`). */
  private readonly insertErrors = new Map<number, RowError[]>();
  private readonly updateErrors = new Map<number, RowError[]>();
  /**
   * Per row, whether it has errors as an insert (1) or as an update (2): the prediction asks every row, most have
   * none, and a Map lookup per row was ~200 ms of a million-row prediction (Node replay, session 23).
   */
  private readonly errorBits: Uint8Array;
  private readonly rowRefs: unknown[];
  private readonly findByColumn: number | null;
  private readonly findByField: FieldModel | null;
  private readonly findByValidator: ReturnType<typeof compileValidator> | null;
  /**
   * The unique field matched by, when its values are read from the match column with the match's own validator:
   * a row's match key is then its unique key (see `work`).
   */
  private readonly matchUnique: { field: FieldModel; at: number; keys: RowKeys } | null;
  private readonly ignoreEmpty: boolean;
  private readonly findBy: string | null;
  /** The key dictionaries of the unique fields, by API name (see KeyDict). */
  readonly dicts = new Map<string, KeyDict>();

  private dictOf(apiName: string): KeyDict {
    let d = this.dicts.get(apiName);
    if (d === undefined) this.dicts.set(apiName, (d = new KeyDict()));
    return d;
  }

  static signatureOf(input: Omit<FileSideInput, 'rows'>): string {
    const users = input.users ? input.users.map((u) => [u.id, u.email, u.fullName, u.status]) : null;
    return JSON.stringify([input.mapping, input.fields, input.findBy, input.ignoreEmpty, users]);
  }

  /** The CSV columns of user fields and what each cell of them is sent as (see FileSideInput.users); none without users. */
  private readonly userColumns: number[] = [];
  private readonly sendAs: (raw: string) => string = (raw) => raw;

  constructor(input: FileSideInput) {
    const n = input.rows.length;
    this.signature = FileSide.signatureOf(input);
    this.mappings = resolveMapping(input.mapping, input.fields).resolved;
    if (input.users) {
      const directory = userDirectory(input.users);
      const sent = new Map<string, string>();
      this.sendAs = (raw) => {
        let out = sent.get(raw);
        if (out === undefined) {
          out = sentUserId(resolveUserValue(raw, directory)) ?? raw;
          sent.set(raw, out);
        }
        return out;
      };
      // As projectForUpload sends them: a column found by id, its default resolved the same way. A field with no
      // column (a default alone) is sent as it is, and so worked out.
      this.mappings = this.mappings.map((m) => {
        if (!isUserLookup(m.field) || m.index === null) return m;
        this.userColumns.push(m.index);
        return { ...m, findBy: null, defaultValue: m.defaultValue === null ? null : this.sendAs(m.defaultValue) };
      });
    }
    this.width = this.mappings.length;
    this.ignoreEmpty = input.ignoreEmpty;
    this.findBy = input.findBy;
    const byName = new Map(input.fields.map((f) => [f.apiName, f]));
    const idColumn = input.mapping.columns.find((c) => c.apiName === RECORD_ID)?.column ?? null;
    this.findByColumn =
      input.findBy === null ? null : input.findBy === RECORD_ID ? idColumn : (this.mappings.find((m) => m.field.apiName === input.findBy)?.index ?? null);
    this.findByField = input.findBy !== null && input.findBy !== RECORD_ID ? (byName.get(input.findBy) ?? null) : null;
    this.findByValidator = this.findByField && this.findByField.unique !== null ? compileValidator(this.findByField) : null;
    this.uniques = [];
    this.mappings.forEach((m, at) => {
      // Lookups and users are replaced by the id they resolve to, which only the org knows: their keys wait for it.
      if (m.field.unique !== null && m.field.dataType !== 'lookup' && !isUserLookup(m.field))
        this.uniques.push({ field: m.field, at, keys: rowKeys(n, this.dictOf(m.field.apiName)) });
    });
    this.matchUnique =
      this.uniques.find((u) => {
        const m = this.mappings[u.at]!;
        return u.field === this.findByField && m.index === this.findByColumn && validatorFor(m.field, m.format, m.findBy) === this.findByValidator;
      }) ?? null;
    this.matchRaw = new Array<string>(n).fill('');
    // The match keys of a unique field are keys of that field: numbered in the same dictionary as its values.
    this.match = rowKeys(n, this.findByField !== null ? this.dictOf(this.findByField.apiName) : null);
    this.values = new Array<Value>(n * this.width).fill(undefined);
    this.rowRefs = new Array<unknown>(n).fill(undefined);
    this.errorBits = new Uint8Array(n);
    this.refresh(input.rows);
  }

  /** Works out again the rows that are not the row objects seen last time; returns how many. */
  refresh(rows: readonly { cells: readonly string[] }[]): number {
    let worked = 0;
    const vals = new Array<Value>(this.width);
    const errors: RowError[] = [];
    // Only the columns worked on are cut from a packed row, into one array reused row after row.
    const columns = ascendingColumns([...this.mappings.map((m) => m.index), this.findByColumn]);
    const cells: (string | undefined)[] = [];
    for (let row = 0; row < this.rowRefs.length; row++) {
      const r = rows[row];
      if (r === undefined || r === this.rowRefs[row]) continue;
      this.rowRefs[row] = r;
      readColumns(r, columns, cells);
      for (const c of this.userColumns) {
        const raw = cells[c];
        if (raw !== undefined) cells[c] = this.sendAs(raw);
      }
      this.work(row, cells as readonly string[], vals, errors);
      worked++;
    }
    return worked;
  }

  /** Whether this holds the rows `rows` may be refreshed into (same count and same signature). */
  fits(input: FileSideInput): boolean {
    return input.rows.length === this.rowRefs.length && FileSide.signatureOf(input) === this.signature;
  }

  private work(row: number, cells: readonly string[], vals: Value[], errors: RowError[]): void {
    errors.length = 0;
    evaluateRowInto(cells, this.mappings, { isInsert: true, ignoreEmpty: this.ignoreEmpty }, vals, errors);
    const base = row * this.width;
    for (let at = 0; at < this.width; at++) this.values[base + at] = vals[at];
    // Rows with errors are few: the maps hold this row only when its bits say so.
    if (this.errorBits[row] !== 0) {
      this.insertErrors.delete(row);
      this.updateErrors.delete(row);
      this.errorBits[row] = 0;
    }
    if (errors.length > 0) {
      this.insertErrors.set(row, errors.slice());
      this.errorBits[row] = 1;
      // An update only drops errors (a blank mandatory cell left alone under ignore_empty): values are the same.
      errors.length = 0;
      evaluateRowInto(cells, this.mappings, { isInsert: false, ignoreEmpty: this.ignoreEmpty }, vals, errors);
      if (errors.length > 0) {
        this.updateErrors.set(row, errors.slice());
        this.errorBits[row] |= 2;
      }
    }
    for (const u of this.uniques) {
      const v = this.values[base + u.at];
      setRowKey(u.keys, row, v === undefined || v === null || (Array.isArray(v) ? v.join(';') : String(v)) === '' ? null : uniqueKey(u.field, v));
    }
    const cell = this.findByColumn === null ? undefined : cells[this.findByColumn];
    const raw = isBlank(cell) ? '' : cell!.trim();
    this.matchRaw[row] = raw;
    // The match cell is the unique field's cell, read as the row rules read it (untrimmed: here it has nothing to
    // trim) with the same validator: a valid value's unique key is the match key, already hashed and numbered. The
    // validator, the key and the dictionary are not run twice per row (a fifth of a million-row file side).
    const mu = this.matchUnique;
    if (mu !== null && raw !== '' && raw === cell && mu.keys.keys[row] !== null) {
      this.match.keys[row] = mu.keys.keys[row]!;
      this.match.hashes[row] = mu.keys.hashes[row]!;
      this.match.ids[row] = mu.keys.ids[row]!;
      return;
    }
    let key: string | null = null;
    if (raw !== '') {
      if (this.findBy === RECORD_ID) key = raw;
      else if (this.findByField !== null && this.findByValidator !== null && this.findByValidator.check(raw) === null)
        key = uniqueKey(this.findByField, this.findByValidator.normalise(raw));
    }
    setRowKey(this.match, row, key);
  }

  /** Copies row `row`'s values (by mapping position) into `out`. */
  valuesInto(row: number, out: Value[]): void {
    const base = row * this.width;
    for (let at = 0; at < this.width; at++) out[at] = this.values[base + at];
  }

  /** The value row `row` writes to the field at mapping position `at` (undefined: left untouched). */
  valueAt(row: number, at: number): Value {
    return this.values[row * this.width + at];
  }

  /** The row rules' errors of row `row` as an insert or as an update (none: an empty list). */
  errorsOf(row: number, isInsert: boolean): readonly RowError[] {
    if ((this.errorBits[row]! & (isInsert ? 1 : 2)) === 0) return NONE;
    return (isInsert ? this.insertErrors : this.updateErrors).get(row) ?? NONE;
  }
}

const NONE: readonly RowError[] = [];

/** The file side of `input`: `held` brought up to date when it fits (only the replaced rows are worked out), else a new one. */
export function fileSideFor(input: FileSideInput, held: FileSide | null): FileSide {
  if (held !== null && held.fits(input)) {
    held.refresh(input.rows);
    return held;
  }
  return new FileSide(input);
}
