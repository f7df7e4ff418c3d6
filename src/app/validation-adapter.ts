// Bridges domain pre-flight validation (validateTable) to the Review step's view: per-cell issues with plain
// messages, table-level blocks, and the rows predicted to be skipped. Excluded rows are validated as empty rows
// (so they claim no unique value) and their issues dropped: they are not sent.
import type { SourceRow } from '../domain/csv/types.ts';
import type { Operation } from '../domain/fields/field-meta.ts';
import type { FieldModel } from '../domain/fields/field-model.ts';
import type { Mapping } from '../domain/mapping/mapping.ts';
import { validateTable } from '../domain/validation/preflight.ts';
import type { ValidationView } from '../steps/review-step/review-step.tsx';

const NO_CELLS: readonly string[] = [];

export function validateForReview(p: {
  headers: readonly string[];
  rows: readonly SourceRow[];
  excluded: ReadonlySet<number>;
  mapping: Mapping;
  fields: readonly FieldModel[];
  operation: Operation;
  findBy: string | null;
}): ValidationView {
  const rows = p.excluded.size === 0 ? p.rows : p.rows.map((r, i) => (p.excluded.has(i) ? { line: r.line, cells: NO_CELLS } : r));
  const v = validateTable({ headers: p.headers, rows, mapping: p.mapping, fields: p.fields, operation: p.operation, findBy: p.findBy, ignoreEmpty: false });
  return {
    issues: v.issues.filter((i) => i.row === null || !p.excluded.has(i.row)).map((i) => ({ row: i.row, column: i.column, severity: i.severity, message: i.message })),
    tableBlocks: v.tableIssues.filter((i) => i.severity === 'error').map((i) => i.message),
    predictedSkips: v.predictedSkips.filter((r) => !p.excluded.has(r)),
  };
}
