// Bridges domain pre-flight validation to the Review step's view: per-cell issues with plain messages, mapping-level
// blocks, and the rows predicted to be skipped.
import type { SourceRow } from '../domain/csv/types.ts';
import type { Operation } from '../domain/fields/field-meta.ts';
import type { FieldModel } from '../domain/fields/field-model.ts';
import { resolveMapping, type Mapping } from '../domain/mapping/mapping.ts';
import { describeRowError } from '../domain/validation/row-errors.ts';
import { checkInFileUnique, createUniqueTracker, evaluateRow } from '../domain/validation/row-rules.ts';
import type { ValidationView } from '../steps/review-step/review-step.tsx';
import type { ViewIssue } from '../steps/review-step/review-model.ts';

export function validateForReview(p: {
  headers: readonly string[];
  rows: readonly SourceRow[];
  excluded: ReadonlySet<number>;
  mapping: Mapping;
  fields: readonly FieldModel[];
  operation: Operation;
  findBy: string | null;
}): ValidationView {
  const { resolved, problems } = resolveMapping(p.mapping, p.fields);
  const issues: ViewIssue[] = [];
  const predictedSkips: number[] = [];
  const tracker = createUniqueTracker();
  const columnOf = new Map(resolved.map((m) => [m.field.apiName, m.index]));
  const labelOf = new Map(resolved.map((m) => [m.field.apiName, m.field.label]));
  p.rows.forEach((r, i) => {
    if (p.excluded.has(i)) return;
    const ev = evaluateRow(r.cells, resolved, { isInsert: p.operation === 'insert', ignoreEmpty: false });
    const errors = ev.errors.length === 0 ? checkInFileUnique(ev, resolved, tracker, i) : ev.errors;
    if (errors.length > 0) predictedSkips.push(i);
    for (const e of errors) {
      issues.push({ row: i, column: columnOf.get(e.apiName) ?? null, severity: 'error', message: describeRowError(e.code, e.apiName, labelOf.get(e.apiName)) });
    }
  });
  return { issues, tableBlocks: problems.map((x) => x.message), predictedSkips };
}
