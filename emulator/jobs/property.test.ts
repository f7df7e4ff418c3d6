// Property test (fast-check, fixed seed): for random files and operations, added + updated + skipped = total and
// the result file has one row per input row, in input order, echoing the input's first three mapped columns.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../csv.ts';
import { fileCounts, startTestServer, type TestServer } from '../test-helpers.ts';

const SEED = 20261129;
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

const cell = fc.oneof(
  fc.constant(''),
  fc.constantFrom('a@x.example', 'A@X.example', 'b@x.example', 'not-an-email', 'c@x.example'),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('+15550100', '12 34', '2020-01-31', 'true', '"quoted, comma"', 'line\nbreak', '__proto__', ' padded '),
);
const row = fc.tuple(cell, cell, cell, cell);

describe(`property (fast-check seed ${SEED})`, () => {
  it('counts add up and result rows match input rows in order', { timeout: 120_000 }, async () => {
    console.log(`fast-check seed ${SEED}`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 40 }),
        fc.constantFrom('insert', 'update', 'upsert'),
        fc.boolean(),
        async (rows, operation, ignoreEmpty) => {
          // A fully empty line is not a record (the CSV reader skips it, as Zoho does): keep one cell non-empty.
          const data = rows.map((r) => (r.every((c) => c === '') ? ['x', ...r.slice(1)] : [...r]));
          const csv = csvLine(['Last_Name', 'Email', 'Phone', 'Title']) + data.map((r) => csvLine(r)).join('');
          const fileId = await s.uploadCsv(csv);
          const created = await s.createJob({
            operation,
            ignore_empty: ignoreEmpty,
            resource: [
              {
                type: 'data',
                module: 'Contacts',
                file_id: fileId,
                ...(operation === 'insert' ? {} : { find_by: 'Email' }),
                field_mappings: [
                  { api_name: 'Last_Name', index: 0 },
                  { api_name: 'Email', index: 1 },
                  { api_name: 'Phone', index: 2 },
                  { api_name: 'Title', index: 3 },
                ],
              },
            ],
          });
          expect(created.status).toBe(201);
          const id = (created.json.details as { id: string }).id;
          const c = fileCounts(await s.waitJob(id));
          expect(c.status).toBe('COMPLETED');
          expect(c.total).toBe(data.length);
          expect(c.added + c.updated + c.skipped).toBe(c.total);
          const r = await s.result(id);
          expect(r.rows.length).toBe(data.length);
          r.rows.forEach((out, i) => {
            expect(out.slice(0, 3)).toEqual(data[i]!.slice(0, 3));
            expect(['ADDED', 'UPDATED', 'SKIPPED']).toContain(out[3]);
            expect(out[4] === '').toBe(out[3] === 'SKIPPED');
            expect(out[5] === '').toBe(out[3] !== 'SKIPPED');
          });
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });
});
