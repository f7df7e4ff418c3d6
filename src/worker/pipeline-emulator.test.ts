// The whole csv layer against the REAL emulator over HTTP: the client opens a messy file (BOM, semicolons, CRLF,
// a blank line, quoted newline), builds several jobs, each zip is uploaded and run, and every result file is
// reconciled back to the source lines — including a skipped row, and a tampered result that must not reconcile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import type { ZohoFieldMeta } from '../domain/fields/field-meta.ts';
import { fieldModelFromMeta } from '../domain/fields/field-model.ts';
import { assignColumn, emptyMapping } from '../domain/mapping/mapping.ts';
import { buildCreateJobRequest, projectForUpload } from '../domain/mapping/project-for-upload.ts';
import { extractResultCsv, mergeResults, reconcileJob, resultExportCsv, rowsToRetry } from '../domain/jobs/reconcile.ts';
import type { JobFileCounts, ReconcileResult } from '../domain/jobs/types.ts';
import { createImportClient } from './import-client.ts';

let server: TestServer;
let zgid = '';

// The shared in-process emulator helper speaks to the server over real HTTP.
const call = (method: string, path: string, body?: unknown) => server.api(method, path, body);

beforeAll(async () => {
  server = await startTestServer();
  const org = await call('GET', '/crm/v8/org');
  zgid = (org.json.org as { zgid: string }[])[0]?.zgid ?? '';
});

afterAll(async () => {
  await server.stop();
});

async function runJob(zip: Uint8Array, fieldMappings: ReturnType<typeof projectForUpload>['fieldMappings']): Promise<{ csv: string; counts: JobFileCounts }> {
  const form = new FormData();
  form.append('file', new Blob([zip as BlobPart], { type: 'application/zip' }), 'Contacts.zip');
  const up = await fetch(`${server.url}/crm/v8/upload`, {
    method: 'POST',
    headers: { Authorization: `Zoho-oauthtoken ${server.token}`, feature: 'bulk-write', 'X-CRM-ORG': zgid },
    body: form,
  });
  const upJson = (await up.json()) as { details: { file_id: string } };
  expect(up.status, JSON.stringify(upJson)).toBe(200);
  const created = await call(
    'POST',
    '/crm/bulk/v8/write',
    buildCreateJobRequest({
      operation: 'insert',
      module: 'Contacts',
      fileId: upJson.details.file_id,
      fieldMappings,
      findBy: null,
      ignoreEmpty: false,
    }),
  );
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const id = (created.json.details as { id: string }).id;
  let details: Record<string, unknown> = {};
  for (let i = 0; i < 600; i++) {
    details = (await call('GET', `/crm/bulk/v8/write/${id}`)).json;
    if (details.status === 'COMPLETED' || details.status === 'FAILED') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(details.status).toBe('COMPLETED');
  const url = (details.result as { download_url: string }).download_url;
  const res = await fetch(url, { headers: { Authorization: `Zoho-oauthtoken ${server.token}` } });
  const csv = extractResultCsv(new Uint8Array(await res.arrayBuffer()));
  const counts = (details.resource as { file: JobFileCounts }[])[0]?.file ?? {};
  return { csv, counts };
}

describe('csv layer against the real emulator', () => {
  it('open → split into jobs → upload/run → reconcile every row to its source line', async () => {
    const text =
      [
        'sep=;',
        'Last Name;Email;Note;First Name',
        'Ames;ames@x.io;"multi',
        'line";Ann',
        '',
        'Bell;bell@x.io;=1+1;Bo',
        'Cole;AMES@x.io;dup email;Cy',
        'Dunn;dunn@x.io;"a ""quoted"" one";Di',
        'Eddy;eddy@x.io;plain;Ed',
      ].join('\r\n') + '\r\n';
    const client = createImportClient();
    const table = await client.openFile(new Blob([new Uint8Array([0xef, 0xbb, 0xbf]), text]));
    expect(table.blocked).toBe(false);
    expect(table.delimiter.char).toBe(';');
    expect(table.rows.map((r) => r.line)).toEqual([3, 6, 7, 8, 9]);

    const fieldsJson = await call('GET', '/crm/v8/settings/fields?module=Contacts');
    const fields = (fieldsJson.json.fields as ZohoFieldMeta[]).map(fieldModelFromMeta);
    let mapping = emptyMapping(table.headers.length);
    mapping = assignColumn(mapping, 0, 'Last_Name').mapping;
    mapping = assignColumn(mapping, 1, 'Email').mapping;
    mapping = assignColumn(mapping, 2, 'Description').mapping;
    mapping = assignColumn(mapping, 3, 'First_Name').mapping;
    const plan = projectForUpload(table.headers, table.rows, mapping, fields);
    const v = await client.validate({ mapping, fields, operation: 'insert', findBy: null, ignoreEmpty: false });
    expect([...v.predictedSkips]).toEqual([2]); // AMES@x.io repeats ames@x.io (case-insensitive unique)

    const built = await client.buildJobs({ header: plan.header, columnSource: plan.columnSource, module: 'Contacts', maxRows: 2 });
    expect(built.jobs.map((j) => j.rowCount)).toEqual([2, 2, 1]);
    const parts: ReconcileResult[] = [];
    for (const job of built.jobs) {
      const { csv, counts } = await runJob(job.zip, plan.fieldMappings);
      parts.push(reconcileJob({ job, sentHeader: built.header, resultCsv: csv, fileCounts: counts }));
    }
    const merged = mergeResults(parts);
    // Reconciled means the echoed Last_Name/Email/Description (with its quoted newline and doubled quotes) came
    // back exactly as sent, and the job counts match.
    expect(merged.problems).toEqual([]);
    expect(merged.reconciled).toBe(true);
    expect(merged.outcomes.map((o) => [o.line, o.status])).toEqual([
      [3, 'ADDED'],
      [6, 'ADDED'],
      [7, 'SKIPPED'],
      [8, 'ADDED'],
      [9, 'ADDED'],
    ]);
    expect(merged.outcomes.at(2)?.errors[0]).toMatchObject({ code: 'DUPLICATE_DATA', apiName: 'Email' });
    expect(merged.counts).toEqual({ added: 4, updated: 0, skipped: 1, unprocessed: 0, total: 5 });

    const retry = rowsToRetry(merged, table.rows);
    expect(retry.rows).toEqual([{ line: 7, cells: ['Cole', 'AMES@x.io', 'dup email', 'Cy'] }]);
    const exported = resultExportCsv({ headers: table.headers, rows: table.rows, result: merged });
    expect(exported).toContain("6,Bell,bell@x.io,'=1+1,Bo,ADDED,");

    // A result whose echo disagrees with what was sent must never reconcile.
    const first = await runJob(built.jobs[0]!.zip, plan.fieldMappings);
    const tampered = first.csv.replace('Ames', 'Amos');
    const bad = reconcileJob({ job: built.jobs[0]!, sentHeader: built.header, resultCsv: tampered });
    expect(bad.reconciled).toBe(false);
    expect(bad.problems[0]?.message).toMatch(/source line 3/);
    client.dispose();
  });
});
