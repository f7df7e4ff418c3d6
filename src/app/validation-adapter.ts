// Bridges domain pre-flight validation (validateTable / revalidateRow) to the Review step's view: per-cell issues
// with plain messages, table-level blocks, and the rows predicted to be skipped. Keeps the last validation so an
// inline edit of one row re-checks that row (plus the uniqueness pass) instead of the whole table.
import type { SourceRow } from '../domain/csv/types.ts';
import type { Operation } from '../domain/fields/field-meta.ts';
import type { FieldModel } from '../domain/fields/field-model.ts';
import type { Mapping } from '../domain/mapping/mapping.ts';
import { revalidateRow, validateTable, type TableValidation } from '../domain/validation/preflight.ts';
import type { ValidationView } from '../steps/review-step/review-step.tsx';

export interface ReviewContext {
  headers: readonly string[];
  mapping: Mapping;
  fields: readonly FieldModel[];
  operation: Operation;
  findBy: string | null;
  excluded: ReadonlySet<number>;
}

function toView(v: TableValidation): ValidationView {
  return {
    issues: v.issues.map((i) => ({ row: i.row, column: i.column, severity: i.severity, message: i.message })),
    tableBlocks: v.tableIssues.filter((i) => i.severity === 'error').map((i) => i.message),
    predictedSkips: v.predictedSkips,
  };
}

/** A validator that remembers its last run (one per Review visit). */
export function createReviewValidator(): (ctx: ReviewContext, rows: readonly SourceRow[]) => ValidationView {
  let last: { ctx: ReviewContext; rows: readonly SourceRow[]; result: TableValidation } | null = null;
  return (ctx, rows) => {
    if (last && last.ctx === ctx && last.rows.length === rows.length) {
      // Rows keep their identity unless edited, so a reference check finds the changed rows.
      const changed: number[] = [];
      for (let i = 0; i < rows.length && changed.length < 2; i++) if (rows[i] !== last.rows[i]) changed.push(i);
      if (changed.length === 0) return toView(last.result);
      const row = changed[0];
      if (changed.length === 1 && row !== undefined) {
        const result = revalidateRow(last.result, row, rows[row]?.cells ?? []);
        last = { ctx, rows, result };
        return toView(result);
      }
    }
    const result = validateTable({ headers: ctx.headers, rows, mapping: ctx.mapping, fields: ctx.fields, operation: ctx.operation, findBy: ctx.findBy, ignoreEmpty: false, excluded: ctx.excluded });
    last = { ctx, rows, result };
    return toView(result);
  };
}
