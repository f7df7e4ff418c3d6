// One CSV row of a Bulk Write job → ADDED / UPDATED / SKIPPED with Zoho's ERRORS text (contract §8): find_by
// matching per operation, then the shared row rules (src/domain/validation/row-rules.ts), then the store checks.
import { compileValidator } from '../../src/domain/fields/validate-value.ts';
import { evaluateRow, isBlank, sortRowErrors, type ResolvedMapping, type RowContext, type RowError } from '../../src/domain/validation/row-rules.ts';
import { formatRowErrors } from '../../src/domain/validation/row-errors.ts';
import { isoWithOffset, type Emulator } from '../context.ts';
import type { StoredRecord } from '../store/records.ts';
import type { JobRow, RowResult } from './job-store.ts';
import { RecordWriter } from './record-writer.ts';

const NO_MATCH: { key: string | null; record: StoredRecord | null } = { key: null, record: null };

export class RowProcessor {
  private readonly job: JobRow;
  private readonly emu: Emulator;
  private readonly writer: RecordWriter;
  private readonly mappings: ResolvedMapping[];
  private readonly findByIndex: number | null;
  private readonly columnOf: (apiName: string) => number;
  private readonly lookupFindBy: Map<string, string | null>;
  /** Row contexts built once (not per row): the insert case and the update case of this job. */
  private readonly insertCtx: RowContext;
  private readonly updateCtx: RowContext;
  private stamp = '';
  private readonly findByOf = (apiName: string): string | null => this.lookupFindBy.get(apiName) ?? null;

  constructor(emu: Emulator, job: JobRow) {
    this.emu = emu;
    this.job = job;
    const mod = emu.meta.module(job.module);
    if (!mod) throw new Error(`module ${job.module} vanished`);
    this.writer = new RecordWriter(emu, mod, job.id);
    const s = job.spec;
    const ignoreEmpty = s.resourceIgnoreEmpty ?? s.ignoreEmpty;
    this.insertCtx = { isInsert: true, ignoreEmpty };
    this.updateCtx = { isInsert: false, ignoreEmpty };
    this.mappings = s.mappings
      .filter((m) => m.apiName !== 'id')
      .map((m) => ({
        field: this.writer.models.get(m.apiName)!,
        index: m.index,
        defaultValue: m.defaultValue,
        ignoreEmpty: m.ignoreEmpty,
        format: m.format,
        findBy: m.findBy,
      }));
    this.findByIndex = s.findBy === null ? null : (s.mappings.find((m) => m.apiName === s.findBy)?.index ?? null);
    const cols = new Map(s.mappings.map((m, i) => [m.apiName, m.index ?? 1_000_000 + i]));
    this.columnOf = (a) => cols.get(a) ?? 2_000_000;
    this.lookupFindBy = new Map(s.mappings.map((m) => [m.apiName, m.findBy]));
  }

  private matchExisting(cells: readonly string[]): { key: string | null; record: StoredRecord | null } {
    const findBy = this.job.spec.findBy;
    if (findBy === null || this.findByIndex === null) return NO_MATCH;
    const cell = cells[this.findByIndex];
    if (isBlank(cell)) return { key: null, record: null };
    const raw = cell!.trim();
    let id: string | null;
    if (findBy === 'id') id = this.writer.findByUniqueValue('id', raw);
    else {
      const field = this.writer.models.get(findBy)!;
      const v = compileValidator(field);
      id = v.check(raw) === null ? this.writer.findByUniqueValue(findBy, v.normalise(raw)) : null;
    }
    return { key: raw, record: id === null ? null : this.writer.byId(id) };
  }

  process(_index: number, cells: readonly string[]): RowResult {
    if (this.stamp === '') this.stamp = isoWithOffset(this.emu.now());
    const op = this.job.operation;
    const findBy = this.job.spec.findBy;
    const match = this.matchExisting(cells);
    if (op === 'insert' && match.record !== null && findBy !== null) return this.skip([{ code: 'DUPLICATE_DATA', apiName: findBy }]);
    if (op === 'update' && match.record === null && findBy !== null) {
      return this.skip([{ code: match.key === null ? 'MANDATORY_NOT_FOUND' : 'RESOURCE_NOT_FOUND', apiName: findBy }]);
    }
    const existing = op === 'insert' ? null : match.record;
    const ev = evaluateRow(cells, this.mappings, existing === null ? this.insertCtx : this.updateCtx);
    const lookupErrors = this.writer.resolveLookups(ev.values, this.findByOf);
    const unique = this.writer.checkUnique(ev.values, existing?.id ?? null);
    if (ev.errors.length + lookupErrors.length + unique.errors.length > 0) return this.skip([...ev.errors, ...lookupErrors, ...unique.errors]);
    const id = this.writer.write(ev.values, existing, this.stamp);
    return { status: existing === null ? 'ADDED' : 'UPDATED', recordId: id, errors: '' };
  }

  private skip(errors: RowError[]): RowResult {
    return { status: 'SKIPPED', recordId: '', errors: formatRowErrors(sortRowErrors(errors, this.columnOf)) };
  }

  flushPicklists(): void {
    this.writer.flushPicklists();
  }

  /** Called after each committed chunk: next chunk gets a fresh timestamp. */
  afterCommit(): void {
    this.stamp = '';
  }

  /** Called after a rolled-back chunk. */
  afterRollback(): void {
    this.stamp = '';
    this.writer.resetPicklists();
  }
}
