// The Review validator through the import client's in-thread fallback — the same session code the Web Worker
// runs — must show exactly what validateTable (and the column clean-ups) on the main thread would: after a full
// check, after one-row re-checks (sent back as changed rows only), and after a change of the excluded rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../domain/csv/types.ts';
import { fieldOf, leadFields } from '../domain/fields/test-fields.ts';
import { assignColumn, emptyMapping, type Mapping } from '../domain/mapping/mapping.ts';
import { validateTable } from '../domain/validation/preflight.ts';
import { IssueIndex, type ValidationView } from '../steps/review-step/review-model.ts';
import { columnFixes, mappedFields, packFix } from '../worker/column-fixes.ts';
import { createImportClient } from '../worker/import-client.ts';
import { createReviewValidator, type ReviewContext, type ReviewValidator } from './validation-adapter.ts';

const SEED = 20261129;

function mapAll(headers: readonly string[]): Mapping {
  let m = emptyMapping(headers.length);
  headers.forEach((h, i) => {
    m = assignColumn(m, i, h).mapping;
  });
  return m;
}

/** A view as plain sorted data, so two views compare with toEqual. */
function plain(v: ValidationView) {
  return {
    fixes: v.fixes,
    byRow: [...v.byRow].sort((a, b) => a[0] - b[0]).map(([row, cols]) => [row, [...cols].sort((a, b) => a[0] - b[0])]),
    countsByColumn: v.countsByColumn,
    tableBlocks: v.tableBlocks,
    predictedSkips: [...v.predictedSkips],
  };
}

/** What today's main-thread path shows: validateTable on the rows as they stand. */
function inThread(ctx: ReviewContext, rows: readonly SourceRow[]) {
  const v = validateTable({
    headers: ctx.table.headers,
    rows,
    mapping: ctx.mapping,
    fields: ctx.fields,
    operation: ctx.operation,
    findBy: ctx.findBy,
    ignoreEmpty: false,
    excluded: ctx.excluded,
  });
  const index = new IssueIndex(ctx.table.headers.length);
  for (const i of v.issues) if (i.row !== null) index.add(i.row, i.column ?? -1, { severity: i.severity, message: i.message });
  // Clean-ups as Review computed them before: every mapped column over the rows as they stand.
  const fixes = [...mappedFields(ctx.mapping, ctx.fields, ctx.table.headers.length)].flatMap(([col, field]) =>
    columnFixes(
      field,
      col,
      rows.map((r) => r.cells[col] ?? ''),
    ).map(packFix),
  );
  return plain({
    byRow: index,
    countsByColumn: index.countsByColumn,
    tableBlocks: v.tableIssues.filter((i) => i.severity === 'error').map((i) => i.message),
    predictedSkips: v.predictedSkips,
    fixes,
  });
}

/**
 * Validates and checks the view against validateTable: the issues, skips and counts at once; the clean-ups at once
 * after a full check, and after a one-row re-check once the refresh it promised (`fixesPending`) came in.
 */
async function expectAgrees(validate: ReviewValidator, ctx: ReviewContext, rows: readonly SourceRow[]): Promise<ValidationView> {
  const expected = inThread(ctx, rows);
  let onFixes: (v: ValidationView) => void = () => undefined;
  const later = new Promise<ValidationView>((resolve) => (onFixes = resolve));
  const now = await validate(ctx, rows, { onFixes });
  expect({ ...plain(now), fixes: expected.fixes }).toEqual(expected);
  const settled = now.fixesPending === true ? await later : now;
  expect(plain(settled)).toEqual(expected);
  return settled;
}

const csvOf = (headers: readonly string[], rows: readonly (readonly string[])[]): Blob =>
  new Blob([[headers, ...rows].map((r) => r.join(',')).join('\n') + '\n']);

describe('review validator (worker session, in-thread fallback)', () => {
  const fields = [fieldOf('Last_Name', 'text', { system_mandatory: true }), fieldOf('Email', 'email', { unique: { case_sensitive: false } })];
  const headers = ['Last_Name', 'Email'];

  it('an inline edit re-checks one row in the worker and agrees with a full validation', async () => {
    const client = createImportClient();
    const table = await client.openFile(
      csvOf(headers, [
        ['Lee', 'a@example.com'],
        ['Ray', 'A@example.com'],
        ['', 'c@example.com'],
      ]),
    );
    const ctx: ReviewContext = { table, mapping: mapAll(headers), fields, operation: 'insert', findBy: null, excluded: new Set() };
    const validate = createReviewValidator(client);
    const first = await validate(ctx, table.rows);
    expect([...first.predictedSkips]).toEqual([1, 2]);
    const cells = ['Ray', 'b@example.com'];
    const edited = [table.rows[0]!, { line: 3, cells }, table.rows[2]!];
    const second = await expectAgrees(validate, ctx, edited);
    expect([...second.predictedSkips]).toEqual([2]);
  });

  it('excluded rows are not checked, so never predicted skipped', async () => {
    const client = createImportClient();
    const table = await client.openFile(
      csvOf(headers, [
        ['Lee', 'a@example.com'],
        ['Ray', 'A@example.com'],
        ['', 'c@example.com'],
      ]),
    );
    const validate = createReviewValidator(client);
    const v = await validate({ table, mapping: mapAll(headers), fields, operation: 'insert', findBy: null, excluded: new Set([2]) }, table.rows);
    expect([...v.predictedSkips]).toEqual([1]);
  });

  it(`equals validateTable on the main thread after full checks, one-row edits, one row included or excluded, and exclusions (fast-check seed ${SEED})`, async () => {
    console.log(`fast-check seed ${SEED}`);
    const leadHeaders = ['Last_Name', 'Company', 'Email', 'Lead_Source', 'No_of_Employees'];
    const pools = [
      ['Smith', '', 'Lee', ' Lee '],
      ['Zylker', '', 'Zylker '],
      ['a@x.co', 'A@X.CO', 'b@x.co', 'bad', ''],
      ['Partner', 'Trade Show', 'Nope', ''],
      ['1', '007', 'x', ''],
    ];
    const row = fc.tuple(...pools.map((p) => fc.constantFrom(...p)));
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 14 }),
        // An edit of a row's cells, or (null) one row included or excluded.
        fc.array(fc.tuple(fc.nat(), fc.option(row, { nil: null })), { maxLength: 7 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        async (rows, edits, excludes) => {
          const client = createImportClient();
          const table = await client.openFile(csvOf(leadHeaders, rows));
          let ctx: ReviewContext = { table, mapping: mapAll(leadHeaders), fields: leadFields(), operation: 'insert', findBy: null, excluded: new Set() };
          const validate = createReviewValidator(client);
          let current: SourceRow[] = table.rows;
          await expectAgrees(validate, ctx, current);
          for (const [at, cells] of edits) {
            const i = at % rows.length;
            if (cells === null) {
              const excluded = new Set(ctx.excluded);
              if (excluded.has(i)) excluded.delete(i);
              else excluded.add(i);
              ctx = { ...ctx, excluded };
            } else current = current.map((r, j) => (j === i ? { line: r.line, cells: [...cells] } : r));
            await expectAgrees(validate, ctx, current);
          }
          ctx = { ...ctx, excluded: new Set(excludes.map((e) => e % rows.length)) };
          await expectAgrees(validate, ctx, current);
          client.dispose();
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});
