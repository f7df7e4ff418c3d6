// The org check's answer on the main thread: packed arrays from the worker, read row by row on demand (a
// 100,000-row answer is never turned into 100,000 objects at once). What the Review grid, the summary and
// "What will change" read.
import type { RowErrorCode } from '../domain/fields/field-meta.ts';
import { OUTCOME_ADD, OUTCOME_EXCLUDED, OUTCOME_SKIP, OUTCOME_UPDATE, ORG_ISSUE_CODES, type OrgIssueCode } from '../domain/org-check/predict.ts';
import type { CellChangeOrg, FieldChangeCount, OrgCounts, OrgReadPlan, OrgRowPrediction, RowOutcome } from '../domain/org-check/types.ts';
import { describeRowError, parseRowErrors } from '../domain/validation/row-errors.ts';
import type { PackedFix } from './column-fixes.ts';
import type { OrgWorkerTiming, PackedOrgPrediction } from './org-protocol.ts';
import { PackedTextsReader } from './packed-texts.ts';

const OUTCOMES: Record<number, RowOutcome> = { [OUTCOME_ADD]: 'add', [OUTCOME_UPDATE]: 'update', [OUTCOME_SKIP]: 'skip', [OUTCOME_EXCLUDED]: 'excluded' };

export interface OrgIssueView {
  row: number;
  column: number | null;
  code: OrgIssueCode;
  severity: 'error' | 'warning';
  message: string;
}

export class OrgCheckResult {
  readonly packed: PackedOrgPrediction;
  readonly plan: OrgReadPlan;
  readonly module: string;
  readonly operation: 'insert' | 'update' | 'upsert';
  /** Field API name → label, for reasons. */
  private readonly labels: ReadonlyMap<string, string>;
  /** The answer's texts, each read (decoded) only when asked for. */
  private readonly texts: Record<'recordIds' | 'errors' | 'olds' | 'news' | 'messages', PackedTextsReader>;

  constructor(
    packed: PackedOrgPrediction,
    o: { plan: OrgReadPlan; module: string; operation: 'insert' | 'update' | 'upsert'; labels: ReadonlyMap<string, string> },
  ) {
    this.packed = packed;
    this.plan = o.plan;
    this.module = o.module;
    this.operation = o.operation;
    this.labels = o.labels;
    this.texts = {
      recordIds: new PackedTextsReader(packed.recordIds),
      errors: new PackedTextsReader(packed.errors),
      olds: new PackedTextsReader(packed.olds),
      news: new PackedTextsReader(packed.news),
      messages: new PackedTextsReader(packed.issues.messages),
    };
  }

  get counts(): OrgCounts {
    return this.packed.counts;
  }
  /** Per row: 0 add, 1 update, 2 skip, 3 excluded (OUTCOME_* in domain/org-check/predict.ts). */
  get outcomes(): Uint8Array {
    return this.packed.outcomes;
  }
  get rowCount(): number {
    return this.packed.outcomes.length;
  }
  get changeCounts(): FieldChangeCount[] {
    return this.packed.changeCounts;
  }
  /** Matched rows whose update changes at least one value (for "Show only rows that change"). */
  get changedRows(): Uint32Array {
    return this.packed.changedRows;
  }
  /** Matched rows whose update changes nothing (one click excludes them). */
  get unchangedRows(): Uint32Array {
    return this.packed.unchangedRows;
  }
  /** Rows predicted to be skipped or with an org issue, ascending. */
  get flaggedRows(): Uint32Array {
    return this.packed.flaggedRows;
  }
  /** Near-match clean-ups, in the same shape as the column clean-ups (apply them the same way). */
  get fixes(): PackedFix[] {
    return this.packed.fixes;
  }
  /** Where the worker's time went (see OrgWorkerTiming). */
  get timing(): OrgWorkerTiming {
    return this.packed.timing;
  }

  get orgRecords(): Record<string, number> {
    return this.packed.orgRecords;
  }
  get issueCount(): number {
    return this.packed.issues.rows.length;
  }

  outcomeOf(row: number): RowOutcome {
    return OUTCOMES[this.packed.outcomes[row] ?? OUTCOME_EXCLUDED] ?? 'excluded';
  }

  recordIdOf(row: number): string | null {
    const id = this.texts.recordIds.get(row);
    return id === '' ? null : id;
  }

  errorsOf(row: number): { code: RowErrorCode; apiName: string }[] {
    const text = this.texts.errors.get(row);
    return text === '' ? [] : (parseRowErrors(text) as { code: RowErrorCode; apiName: string }[]);
  }

  /** Cells the row's update changes (old → new), in mapping order. Empty for other rows. */
  changesOf(row: number): CellChangeOrg[] {
    const p = this.packed;
    const rows = p.changeRows;
    // Changes are in row order: binary search for the first of this row (no index built up front, so the first
    // read after a check costs nothing on the main thread).
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((rows[mid] as number) < row) lo = mid + 1;
      else hi = mid;
    }
    const out: CellChangeOrg[] = [];
    for (let k = lo; k < rows.length && rows[k] === row; k++) {
      const col = p.changeColumns[k] as number;
      out.push({
        apiName: p.fieldNames[p.changeFields[k] as number] ?? '',
        column: col < 0 ? null : col,
        old: this.texts.olds.get(k),
        new: this.texts.news.get(k),
      });
    }
    return out;
  }

  /** The per-row prediction with a plain-language reason. */
  row(row: number): OrgRowPrediction {
    const outcome = this.outcomeOf(row);
    const recordId = this.recordIdOf(row);
    const errors = outcome === 'skip' ? this.errorsOf(row) : [];
    return { row, outcome, recordId, errors, reason: this.reasonOf(row, outcome, recordId, errors) };
  }

  private reasonOf(row: number, outcome: RowOutcome, recordId: string | null, errors: readonly { code: string; apiName: string }[]): string {
    switch (outcome) {
      case 'excluded':
        return 'Excluded: not sent.';
      case 'add':
        return this.operation === 'upsert' ? 'Adds a new record (no existing record matches it).' : 'Adds a new record.';
      case 'update': {
        const n = this.changesOf(row).length;
        const who = recordId === null ? 'a record an earlier row of this file adds' : `record ${recordId}`;
        return n === 0 ? `Updates ${who}, but changes no value.` : `Updates ${who}: ${n} field${n === 1 ? '' : 's'} change.`;
      }
      case 'skip': {
        const first = errors[0];
        if (first === undefined) return 'Skipped.';
        const label = this.labels.get(first.apiName) ?? null;
        if (first.code === 'DUPLICATE_DATA' && recordId !== null) {
          return `Skipped: ${label ?? first.apiName} already belongs to record ${recordId} in Zoho CRM (DUPLICATE_DATA).`;
        }
        if (first.code === 'RESOURCE_NOT_FOUND')
          return `Skipped: no ${this.module} record matches ${label ?? first.apiName}, so there is nothing to update (RESOURCE_NOT_FOUND).`;
        const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length === 2 ? '' : 's'})` : '';
        return `Skipped: ${describeRowError(first.code, first.apiName, label)}${more}`;
      }
    }
  }

  /** Per-cell org issues [from, to), in row order, in the grid's shape. */
  forEachIssue(each: (i: OrgIssueView) => void, from = 0, to = this.issueCount): void {
    const p = this.packed.issues;
    for (let i = from; i < Math.min(to, p.rows.length); i++) {
      const column = p.columns[i] as number;
      each({
        row: p.rows[i] as number,
        column: column < 0 ? null : column,
        code: ORG_ISSUE_CODES[p.codes[i] as number] ?? 'INVALID_DATA',
        severity: p.severities[i] === 0 ? 'error' : 'warning',
        message: this.texts.messages.get(i),
      });
    }
  }
}
