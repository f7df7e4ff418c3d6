// The Review step's org check through the app adapter, against the REAL emulator over HTTP with the in-thread
// worker session: the plan shown before the press, then the lazy view Review reads (outcomes, findings with the
// value and the code, old → new per cell, unchanged matched rows, per-field counts, the one-line summary).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';
import type { Connection } from '../api/connection.ts';
import { emulatorConnection } from '../api/emulator-test-support.ts';
import { fetchFields } from '../api/get-fields.ts';
import { fieldModelFromMeta, type FieldModel } from '../domain/fields/field-model.ts';
import { assignColumn, emptyMapping, setDefaultOnly, updateColumn } from '../domain/mapping/mapping.ts';
import type { SourceRow } from '../domain/csv/types.ts';
import { createImportClient, type ImportClient } from '../worker/import-client.ts';
import { createOrgCheckApi } from './org-check-adapter.ts';
import { editsAgainst } from '../lib/pack-edits.ts';
import { packedValues } from '../domain/jobs/packed-edits.ts';

let server: TestServer;
let conn: Connection;
let contacts: FieldModel[];

beforeAll(async () => {
  server = await startTestServer();
  conn = emulatorConnection(server);
  contacts = (await fetchFields(conn, 'Contacts')).map(fieldModelFromMeta);
  const fileId = await server.uploadCsv('Last_Name,Email,Title\r\nAda,ada@adapter.example,CEO\r\nBea,bea@adapter.example,CTO\r\n');
  const created = await server.createJob({
    operation: 'insert',
    resource: [
      {
        type: 'data',
        module: { api_name: 'Contacts' },
        file_id: fileId,
        field_mappings: [
          { api_name: 'Last_Name', index: 0 },
          { api_name: 'Email', index: 1 },
          { api_name: 'Title', index: 2 },
        ],
      },
    ],
  });
  expect(created.status).toBe(201);
  expect((await server.waitJob((created.json.details as { id: string }).id)).status).toBe('COMPLETED');
});
afterAll(async () => {
  await server.stop();
});

describe('createOrgCheckApi (real emulator)', () => {
  it('plans the read before the press, then gives Review a lazy view of an update by Email', async () => {
    const client = createImportClient({ inThread: true });
    const table = await client.openFile(new Blob(['Email,Title\r\nada@adapter.example,Chair\r\nbea@adapter.example,CTO\r\nnone@adapter.example,Ghost\r\n']));
    let mapping = assignColumn(emptyMapping(2), 0, 'Email').mapping;
    mapping = assignColumn(mapping, 1, 'Title').mapping;
    const api = createOrgCheckApi({ connection: conn, client, table, module: 'Contacts', operation: 'update', findBy: 'Email', mapping, fields: contacts });
    expect(api.plan.reads).toEqual([{ module: 'Contacts', fields: ['id', 'Email', 'Title'], jobs: 1 }]);
    expect(api.plan.creditsPerJob).toBe(50);

    const phases: string[] = [];
    const view = await api.run(table.rows, new Set(), { signal: new AbortController().signal, onProgress: (p) => phases.push(p.phase) });
    expect(phases.length).toBeGreaterThan(0);
    expect([0, 1, 2].map((i) => view.outcome(i))).toEqual(['update', 'update', 'skip']);
    expect(view.changes(0)).toEqual([{ column: 1, apiName: 'Title', before: 'CEO', after: 'Chair' }]);
    expect(Array.from(view.changedRows)).toEqual([0]);
    expect(Array.from(view.unchangedRows)).toEqual([1]);
    expect(view.perField).toEqual([{ column: 1, apiName: 'Title', rows: 1 }]);
    expect(Array.from(view.flagged)).toEqual([2]);
    const unmatched = view.row(2);
    expect(unmatched).toMatchObject({ outcome: 'skip', severity: 'error', column: 0 });
    // What the counts read: the row's column and severity without its words.
    expect([0, 1, 2].map((i) => view.finding(i))).toEqual([null, null, { column: 0, severity: 'error' }]);
    expect(unmatched?.detail).toContain('none@adapter.example');
    expect(unmatched?.detail).toContain('RESOURCE_NOT_FOUND');
    expect(view.row(0)?.recordId).toMatch(/^\d+$/);
    expect(view.summary).toMatch(/^Checked against the org: 4 Contacts\./);
    client.dispose();
  });

  it('turns a failed Bulk Read job into an error with the run’s words, so Review keeps the file-only prediction', async () => {
    await server.api('POST', '/__emulator/admin/bulk-read', { fail_next: 1 });
    const client = createImportClient({ inThread: true });
    const table = await client.openFile(new Blob(['Last_Name,Email\r\nCyd,cyd@adapter.example\r\n']));
    let mapping = assignColumn(emptyMapping(2), 0, 'Last_Name').mapping;
    mapping = assignColumn(mapping, 1, 'Email').mapping;
    const api = createOrgCheckApi({ connection: conn, client, table, module: 'Contacts', operation: 'insert', findBy: null, mapping, fields: contacts });
    await expect(api.run(table.rows, new Set(), { signal: new AbortController().signal, onProgress: () => undefined })).rejects.toThrow(
      /Zoho could not read Contacts \(Bulk Read job \d+ failed/,
    );
    client.dispose();
  });

  it('re-predicts edited rows and exclusions against the read it holds, in file order, sending only what changed since the last prediction', async () => {
    const real = createImportClient({ inThread: true });
    // The real client, with a record of how many rows each prediction request carries.
    const sent: { edits: number; since: number | undefined }[] = [];
    const client: ImportClient = {
      ...real,
      orgPredict: (input, handlers, table) => {
        // Rows carried: the distinct rows of the changed cells, plus rows sent whole.
        sent.push({ edits: new Set(input.edits?.rowIndexes ?? []).size + (input.edits?.whole.length ?? 0), since: input.editsSince });
        return real.orgPredict(input, handlers, table);
      },
    };
    const table = await client.openFile(
      new Blob(['Last_Name,Email\r\nAnn,ann@adapter.example\r\nAda2,ada@adapter.example\r\nZed,zed@adapter.example\r\nAnn2,ann@adapter.example\r\n']),
    );
    let mapping = assignColumn(emptyMapping(2), 0, 'Last_Name').mapping;
    mapping = assignColumn(mapping, 1, 'Email').mapping;
    const api = createOrgCheckApi({ connection: conn, client, table, module: 'Contacts', operation: 'insert', findBy: null, mapping, fields: contacts });
    const signal = new AbortController().signal;
    const outcomes = (v: { outcome(i: number): unknown }) => [0, 1, 2, 3].map((i) => v.outcome(i));
    const first = await api.run(table.rows, new Set(), { signal, onProgress: () => undefined });
    // Row 1 duplicates a record of the org; row 3 repeats row 0's new e-mail, which row 0 will have written by then.
    expect(outcomes(first)).toEqual(['add', 'skip', 'add', 'skip']);
    expect(first.row(1)?.detail).toContain('ada@adapter.example');

    // One edit (a fresh e-mail on the duplicate row) is sent as one row, and row 1 now adds.
    const edit = (rows: readonly SourceRow[], i: number, cells: (c: string[]) => string[]): SourceRow[] =>
      rows.map((r, k) => (k === i ? { line: r.line, cells: cells(r.cells) } : r));
    const fresh = edit(table.rows, 1, ([n]) => [n ?? '', 'fresh@adapter.example']);
    // Only the changed cell is packed: row 1's e-mail.
    const packed = await editsAgainst(table.rows, fresh);
    expect([...packed.rowIndexes]).toEqual([1]);
    expect([...packed.columns]).toEqual([1]);
    expect(packedValues(packed)).toEqual(['fresh@adapter.example']);
    const afterFresh = await api.repredict(fresh, new Set(), signal);
    expect(afterFresh && outcomes(afterFresh)).toEqual(['add', 'add', 'add', 'skip']);
    expect(afterFresh?.row(1)?.reason).toMatch(/adds/i);

    // A clean-up of a whole column sends every row it changed, once.
    let cleaned = fresh;
    for (let i = 0; i < 4; i++) cleaned = edit(cleaned, i, ([n, e]) => [(n ?? '').toUpperCase(), e ?? '']);
    expect((await api.repredict(cleaned, new Set(), signal))?.outcome(1)).toBe('add');

    // One more edit after it sends that one row (against the rows of the last prediction), and a fresh row given
    // an e-mail the org holds becomes a duplicate skip naming that record.
    const bea = server.emulator.db
      .prepare(`SELECT id FROM records WHERE module = 'Contacts' AND json_extract(data, '$.Email') = ?`)
      .get('bea@adapter.example') as {
      id: string;
    };
    const dupe = edit(cleaned, 2, ([n]) => [n ?? '', 'bea@adapter.example']);
    const afterDupe = await api.repredict(dupe, new Set(), signal);
    expect(afterDupe && outcomes(afterDupe)).toEqual(['add', 'add', 'skip', 'skip']);
    expect(afterDupe?.row(2)).toMatchObject({ outcome: 'skip', recordId: bea.id, column: 1 });
    expect(afterDupe?.finding(2)).toEqual({ column: 1, severity: 'error' });

    // Excluding row 0 means it writes nothing: row 3, its repeat, now adds (the whole file is predicted in order).
    const withoutFirst = await api.repredict(dupe, new Set([0]), signal);
    expect(withoutFirst && outcomes(withoutFirst)).toEqual([null, 'add', 'skip', 'add']);
    expect(sent.map((x) => x.edits)).toEqual([0, 1, 4, 1, 0]);
    expect(sent.slice(1).every((x) => x.since !== undefined)).toBe(true);

    // Edits against rows the worker does not hold as the last prediction's are refused, never applied to other rows.
    expect(await client.orgPredict({ mapping, fields: contacts, operation: 'insert', findBy: null, ignoreEmpty: false, editsSince: -1 })).toBeNull();
    // Once the worker no longer holds the read, a re-prediction says so instead of guessing.
    await client.orgReset();
    expect(await api.repredict(dupe, new Set(), signal)).toBeNull();
    client.dispose();
  });

  it('a field written from its default value (no column) shows under What will change as a column of its own', async () => {
    // Upsert by Email with no Last_Name column: Zoho writes the default into the matched records too. A browser review
    // saw Review count "1 field change" per row and show none of them.
    const client = createImportClient({ inThread: true });
    const table = await client.openFile(new Blob(['Email,Title\r\nada@adapter.example,CEO\r\nbea@adapter.example,CTO\r\n']));
    let mapping = assignColumn(emptyMapping(2), 0, 'Email').mapping;
    mapping = assignColumn(mapping, 1, 'Title').mapping;
    mapping = setDefaultOnly(mapping, 'Last_Name', 'Imported');
    const api = createOrgCheckApi({ connection: conn, client, table, module: 'Contacts', operation: 'upsert', findBy: 'Email', mapping, fields: contacts });
    const view = await api.run(table.rows, new Set(), { signal: new AbortController().signal, onProgress: () => undefined });
    expect(view.perField).toEqual([{ column: -1000, apiName: 'Last_Name', rows: 2 }]);
    expect(view.changes(0)).toEqual([{ column: -1000, apiName: 'Last_Name', before: 'Ada', after: 'Imported' }]);
    expect([...view.changedRows]).toEqual([0, 1]);
    client.dispose();
  });

  it("a lookup the org cannot take is skipped in the grid's own words: the value and what to do, not the code's generic text", async () => {
    const client = createImportClient({ inThread: true });
    const table = await client.openFile(new Blob(['Last_Name,Account_Name\r\nZed,Nowhere Ltd\r\n']));
    let mapping = assignColumn(emptyMapping(2), 0, 'Last_Name').mapping;
    mapping = assignColumn(mapping, 1, 'Account_Name').mapping;
    mapping = updateColumn(mapping, 1, { findBy: 'Account_Name' });
    const api = createOrgCheckApi({ connection: conn, client, table, module: 'Contacts', operation: 'insert', findBy: null, mapping, fields: contacts });
    const view = await api.run(table.rows, new Set(), { signal: new AbortController().signal, onProgress: () => undefined });
    expect(view.outcome(0)).toBe('skip');
    expect(view.row(0)?.reason).toMatch(/^Skipped: No Accounts record has Account_Name "Nowhere Ltd"/);
    client.dispose();
  });
});
