// What the store adds to the shared row rules: lookups must name an existing record (for a job: one that existed
// BEFORE the job — a record the same job wrote does not count), unique values must be free (in the org, which
// includes rows this job already wrote), new pick-list values are added to the field. Used by the Bulk Write
// runner and by the synchronous records API, so both behave the same.
import { fieldModelFromMeta, isUserLookup, type FieldModel } from '../../src/domain/fields/field-model.ts';
import type { FieldValue } from '../../src/domain/fields/validate-value.ts';
import type { RowError } from '../../src/domain/validation/row-rules.ts';
import type { Emulator } from '../context.ts';
import type { ModuleEntry } from '../store/metadata.ts';
import type { RecordData, StoredRecord } from '../store/records.ts';
import { DIGITS } from '../../src/api/contract/common.ts';
import { encodeNewRecord, RecordJsonCache } from './record-json.ts';

/** Shared empty results (never mutated): most rows have no store errors. */
const NO_ERRORS: RowError[] = [];
const NO_HOLDERS = new Map<string, string>();
const NO_DUPLICATES: { errors: RowError[]; holders: Map<string, string> } = { errors: NO_ERRORS, holders: NO_HOLDERS };

export class RecordWriter {
  readonly models: Map<string, FieldModel>;
  readonly uniqueFields: FieldModel[];
  /** Only these fields need store work per row; iterating them beats scanning every value of every row. */
  private readonly lookupFields: FieldModel[];
  /** Owner and custom user lookups: resolved against the org's users, not records (docs/org-apis.md A1). */
  private readonly userFields: FieldModel[];
  /** Whether records of this module have an owner; a new record without one is owned by the current user. */
  private readonly hasOwner: boolean;
  /** The current user's id, read once (emu.user() reads the store). */
  private readonly currentUserId: string;
  private readonly picklistFields: FieldModel[];
  private readonly emu: Emulator;
  private readonly module: ModuleEntry;
  private readonly jobId: string | null;
  private readonly knownPicks = new Map<string, Set<string>>();
  private readonly pendingPicks = new Map<string, Set<string>>();
  /** Lookup targets already proven valid for this job, by target module (records that existed before it never stop existing). */
  private readonly validTargets = new Map<string, Set<string>>();
  /** Pieces of the record JSON reused from row to row (see encodeNewRecord). */
  private readonly jsonCache = new RecordJsonCache();
  /** The row being inserted, read by valueOfRow (one getter for every row instead of a closure per row). */
  private rowValues: ReadonlyMap<string, FieldValue | null> = new Map();
  private readonly valueOfRow = (apiName: string): FieldValue | undefined => this.rowValues.get(apiName) ?? undefined;

  constructor(emu: Emulator, module: ModuleEntry, jobId: string | null) {
    this.emu = emu;
    this.module = module;
    this.jobId = jobId;
    this.models = new Map(module.fields.map((f) => [f.api_name, fieldModelFromMeta(f)]));
    this.uniqueFields = [...this.models.values()].filter((f) => f.unique !== null);
    this.lookupFields = [...this.models.values()].filter((f) => f.dataType === 'lookup');
    this.userFields = [...this.models.values()].filter(isUserLookup);
    this.hasOwner = this.models.get('Owner')?.dataType === 'ownerlookup';
    this.currentUserId = this.hasOwner ? emu.user().id : '';
    this.picklistFields = [...this.models.values()].filter((f) => f.dataType === 'picklist' || f.dataType === 'multiselectpicklist');
    for (const f of this.models.values()) {
      if (f.dataType === 'picklist' || f.dataType === 'multiselectpicklist') this.knownPicks.set(f.apiName, new Set(f.picklistValues));
    }
  }

  get moduleName(): string {
    return this.module.info.api_name;
  }

  /** Existing record of this module by id, or null. */
  byId(id: string): StoredRecord | null {
    if (!DIGITS.test(id)) return null;
    return this.emu.records.get(this.module.info.api_name, id);
  }

  /**
   * Resolve lookup values (ids, or the mapping's find_by field) to record ids in place. A value that matches
   * nothing, matches several records, or matches a record this job wrote is INVALID_DATA on that field.
   */
  resolveLookups(values: Map<string, FieldValue | null>, findByOf: (apiName: string) => string | null): RowError[] {
    let errors: RowError[] = NO_ERRORS;
    for (const f of this.lookupFields) {
      const apiName = f.apiName;
      const v = values.get(apiName);
      if (v === undefined || v === null) continue;
      const target = f.lookupModule;
      const text = String(v).trim();
      const findBy = findByOf(apiName);
      let id: string | null = null;
      if (target !== null) {
        if (findBy === null || findBy === 'id') {
          if (this.validTargets.get(target)?.has(text) === true) id = text;
          else {
            const rec = DIGITS.test(text) ? this.emu.records.get(target, text) : null;
            if (rec && (this.jobId === null || rec.jobId !== this.jobId)) {
              id = rec.id;
              if (this.jobId !== null) {
                let known = this.validTargets.get(target);
                if (known === undefined) this.validTargets.set(target, (known = new Set<string>()));
                known.add(text);
              }
            }
          }
        } else {
          const tm = this.emu.meta.module(target);
          const meta = tm?.byName.get(findBy);
          if (tm && meta) {
            const model = fieldModelFromMeta(meta);
            const ids = model.unique
              ? [this.emu.records.findByUnique(target, model, text)].filter((x): x is string => x !== null)
              : this.emu.records.findByField(target, findBy, text);
            if (ids.length === 1) {
              const rec = this.emu.records.get(target, ids[0]!);
              if (rec && (this.jobId === null || rec.jobId !== this.jobId)) id = rec.id;
            }
          }
        }
      }
      if (id === null) {
        if (errors === NO_ERRORS) errors = [];
        errors.push({ code: 'INVALID_DATA', apiName });
      } else values.set(apiName, id);
    }
    for (const f of this.userFields) {
      const apiName = f.apiName;
      const v = values.get(apiName);
      if (v === undefined || v === null) continue;
      const text = String(v).trim();
      // find_by "email" → the user's e-mail; none or "id" → the user id. Unknown or not active → INVALID_DATA.
      const user = findByOf(apiName) === 'email' ? this.emu.users.byEmail(text) : this.emu.users.byId(text);
      if (user === null || user.status !== 'active') {
        if (errors === NO_ERRORS) errors = [];
        errors.push({ code: 'INVALID_DATA', apiName });
      } else values.set(apiName, user.id);
    }
    return errors;
  }

  /** DUPLICATE_DATA for every unique value already held by another record, with the holder per field. */
  checkUnique(values: Map<string, FieldValue | null>, selfId: string | null): { errors: RowError[]; holders: Map<string, string> } {
    let errors: RowError[] = NO_ERRORS;
    let holders: Map<string, string> = NO_HOLDERS;
    for (const f of this.uniqueFields) {
      const v = values.get(f.apiName);
      if (v === undefined || v === null) continue;
      const owner = this.emu.records.findByUnique(this.module.info.api_name, f, v);
      if (owner !== null && owner !== selfId) {
        // Allocate only for the rare duplicate: this runs for every row of a 25,000-row job.
        if (errors === NO_ERRORS) {
          errors = [];
          holders = new Map();
        }
        errors.push({ code: 'DUPLICATE_DATA', apiName: f.apiName });
        holders.set(f.apiName, owner);
      }
    }
    return errors === NO_ERRORS ? NO_DUPLICATES : { errors, holders };
  }

  /** Record id matching a unique field's (raw) value, for find_by / duplicate_check_fields. */
  findByUniqueValue(apiName: string, value: FieldValue): string | null {
    if (apiName === 'id') {
      const rec = this.byId(String(value).trim());
      return rec ? rec.id : null;
    }
    const f = this.models.get(apiName);
    if (!f || f.unique === null) return null;
    return this.emu.records.findByUnique(this.module.info.api_name, f, value);
  }

  /** Write values: a new record (insert) or merged into an existing one. Returns the record id. */
  write(values: Map<string, FieldValue | null>, existing: StoredRecord | null, nowIso: string): string {
    this.notePicklists(values);
    if (existing === null) {
      // Zoho makes the importing user the owner of a record whose Owner is not given. (`values` is this row's own
      // map, built fresh by evaluateRow, so adding to it cannot leak into another row.)
      if (this.hasOwner && (values.get('Owner') ?? null) === null) values.set('Owner', this.currentUserId);
      const json = encodeNewRecord(values, nowIso, this.jsonCache);
      if (json !== null) {
        this.rowValues = values;
        return this.emu.records.insertEncoded(this.module.info.api_name, json, this.jobId, this.uniqueFields, this.valueOfRow);
      }
      const data: RecordData = {};
      // forEach, not for…of: no [key, value] pair per field of every row.
      values.forEach((v, k) => {
        if (v !== null) data[k] = v;
      });
      data.Created_Time = nowIso;
      data.Modified_Time = nowIso;
      return this.emu.records.insert(this.module.info.api_name, data, this.jobId, this.uniqueFields);
    }
    const next: RecordData = { ...existing.data };
    for (const [k, v] of values) {
      // A record always has an owner: an empty Owner cell never clears it.
      if (v === null) {
        if (k !== 'Owner') delete next[k];
      } else next[k] = v;
    }
    next.Modified_Time = nowIso;
    this.emu.records.update(existing, next, this.uniqueFields);
    return existing.id;
  }

  private notePicklists(values: Map<string, FieldValue | null>): void {
    for (const f of this.picklistFields) {
      const k = f.apiName;
      const v = values.get(k);
      const known = this.knownPicks.get(k);
      if (!known || v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) this.notePick(k, known, item);
      else this.notePick(k, known, String(v)); // no one-item array per row for a single pick list
    }
  }

  private notePick(apiName: string, known: Set<string>, item: string): void {
    if (known.has(item)) return;
    known.add(item);
    let p = this.pendingPicks.get(apiName);
    if (!p) this.pendingPicks.set(apiName, (p = new Set()));
    p.add(item);
  }

  /** Persist new pick-list values; call inside the transaction that wrote the records. */
  flushPicklists(): void {
    for (const [k, vals] of this.pendingPicks) this.emu.meta.addPicklistValues(this.module.info.api_name, k, [...vals]);
    this.pendingPicks.clear();
  }

  /** After a rollback the pending values were never stored: forget them so they are noted again. */
  resetPicklists(): void {
    this.pendingPicks.clear();
    this.knownPicks.clear();
    const fresh = this.emu.meta.module(this.module.info.api_name);
    for (const f of fresh?.fields ?? []) {
      const m = fieldModelFromMeta(f);
      if (m.dataType === 'picklist' || m.dataType === 'multiselectpicklist') this.knownPicks.set(m.apiName, new Set(m.picklistValues));
    }
  }
}
