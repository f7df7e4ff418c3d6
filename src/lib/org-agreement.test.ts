// Lives in src/lib, not beside emulator/preflight-agreement.test.ts: it drives the client (src/lib, src/worker), which
// the emulator folder may not import (ESLint layer rule).
// Agreement with the org: for a seeded org (3,000 existing contacts with unique e-mails, the seeded accounts, the
// seeded users including an inactive one) and a fast-check-generated file of 6,000 rows (fixed seed), the org check's
// predicted outcome of EVERY row — ADDED / UPDATED / SKIPPED, and each skip's codes and fields — equals what the
// emulator does when the same file is sent, for insert, update and upsert. The check runs exactly as the wizard runs
// it: the users API and Bulk Read over real HTTP, the snapshot and the prediction in the import session (in-thread),
// and the file is sent as the wizard sends it (Owner e-mails resolved to user ids).
import fc from 'fast-check';
import JSZip from 'jszip';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../api/connection.ts';
import { emulatorConnection } from '../api/emulator-test-support.ts';
import { fetchFields } from '../api/get-fields.ts';
import { fetchUsers } from '../api/get-users.ts';
import type { Operation } from '../domain/fields/field-meta.ts';
import { fieldModelFromMeta, type FieldModel } from '../domain/fields/field-model.ts';
import { assignColumn, emptyMapping, updateColumn, type Mapping } from '../domain/mapping/mapping.ts';
import { buildCreateJobRequest, projectForUpload } from '../domain/mapping/project-for-upload.ts';
import type { OrgUser } from '../domain/org-check/types.ts';
import { userCellToSend, userIdColumn } from '../domain/org-check/users.ts';
import { parseRowErrors } from '../domain/validation/row-errors.ts';
import { runOrgCheck } from '../lib/org-check-run.ts';
import { createImportClient } from '../worker/import-client.ts';
import { startTestServer, type TestServer } from '../../emulator/test-helpers.ts';

const SEED = 9_009;
const ROWS = 6_000;
const ORG_CONTACTS = 3_000;
const DOMAIN = 'agree-org.example';

let server: TestServer;
let conn: Connection;
let contacts: FieldModel[];
let users: OrgUser[];
let accountNames: string[];

const HEADERS = ['Last_Name', 'Email', 'Title', 'Account_Name', 'Owner', 'Loyalty_Points'];
const C = { last: 0, email: 1, title: 2, account: 3, owner: 4, points: 5 } as const;

beforeAll(async () => {
  server = await startTestServer();
  conn = emulatorConnection(server);
  const seeded = await server.api('POST', '/__emulator/admin/seed-records', { module: 'Contacts', count: ORG_CONTACTS, email_domain: DOMAIN });
  expect(seeded.status, JSON.stringify(seeded.json)).toBe(200);
  contacts = (await fetchFields(conn, 'Contacts')).map(fieldModelFromMeta);
  users = await fetchUsers(conn);
  const acc = await server.api('GET', '/crm/v8/Accounts?fields=Account_Name');
  accountNames = (acc.json.data as { Account_Name: string }[]).map((a) => a.Account_Name);
}, 120_000);

afterAll(async () => {
  await server.stop();
});

/** One generated row, from choices drawn by fast-check (the values are built once the org is known). */
interface RowChoice {
  last: number;
  email: number;
  emailN: number;
  title: number;
  account: number;
  accountN: number;
  owner: number;
  ownerN: number;
  points: number;
}

const choice = fc.record({
  last: fc.integer({ min: 0, max: 19 }),
  email: fc.integer({ min: 0, max: 19 }),
  emailN: fc.integer({ min: 1, max: ORG_CONTACTS + 400 }),
  title: fc.integer({ min: 0, max: 9 }),
  account: fc.integer({ min: 0, max: 9 }),
  accountN: fc.nat(),
  owner: fc.integer({ min: 0, max: 19 }),
  ownerN: fc.nat(),
  points: fc.integer({ min: 0, max: 19 }),
});

function buildRows(choices: readonly RowChoice[], salt: string): string[][] {
  const active = users.filter((u) => u.status === 'active');
  const inactive = users.filter((u) => u.status !== 'active');
  return choices.map((c, i) => {
    const cells = new Array<string>(HEADERS.length).fill('');
    cells[C.last] = c.last === 0 ? '' : c.last === 1 ? '   ' : `Agree ${i}`;
    // Existing org e-mails (some in another case), e-mails new to the org (some repeated within the file), blanks, bad ones.
    const e = c.email;
    cells[C.email] =
      e < 8
        ? `org${c.emailN}@${DOMAIN}`
        : e < 10
          ? `ORG${c.emailN}@${DOMAIN.toUpperCase()}`
          : e < 15
            ? `new${i}.${salt}@${DOMAIN}`
            : e < 17
              ? `dup${c.emailN % 50}.${salt}@${DOMAIN}`
              : e < 19
                ? ''
                : 'not-an-email';
    cells[C.title] = c.title < 3 ? '' : c.title < 5 ? 'Org' : `Title ${c.title}`;
    const a = c.account;
    cells[C.account] =
      a < 4
        ? ''
        : a < 7
          ? accountNames[c.accountN % accountNames.length]!
          : a < 8
            ? 'No Such Account Ltd'
            : a < 9
              ? accountNames[c.accountN % accountNames.length]!.toUpperCase()
              : 'Initech';
    const o = c.owner;
    cells[C.owner] =
      o < 6
        ? ''
        : o < 14
          ? active[c.ownerN % active.length]!.email
          : o < 15
            ? active[c.ownerN % active.length]!.email.toUpperCase()
            : o < 17
              ? inactive[c.ownerN % inactive.length]!.email
              : o < 19
                ? `ghost${c.ownerN % 7}@zylker.example`
                : 'bad owner';
    const p = c.points;
    cells[C.points] = p < 8 ? '' : p < 17 ? String(c.ownerN % 100000) : p < 18 ? '12.5' : p < 19 ? '99999999999999999999' : '-3';
    return cells;
  });
}

function mappingFor(): Mapping {
  let m = emptyMapping(HEADERS.length);
  HEADERS.forEach((h, i) => {
    m = assignColumn(m, i, h).mapping;
  });
  m = updateColumn(m, C.account, { findBy: 'Account_Name' });
  return updateColumn(m, C.owner, { findBy: 'email' });
}

/** Sends the rows as the wizard does (Owner e-mails → user ids) and reads back STATUS and ERRORS per row. */
async function send(rows: string[][], mapping: Mapping, operation: Operation, findBy: string | null): Promise<{ status: string; errors: string[] }[]> {
  const ids = userIdColumn(
    C.owner,
    rows.map((r) => r[C.owner] ?? ''),
    users,
  );
  const plan = projectForUpload(HEADERS, rows, mapping, contacts, [ids]);
  const body = [plan.header, ...rows.map((cells) => plan.columnSource.map((i) => (i === C.owner ? userCellToSend(cells[i] ?? '', ids) : (cells[i] ?? ''))))];
  const zip = new JSZip();
  zip.file('Contacts.csv', Papa.unparse(body, { newline: '\r\n' }));
  const fileId = (await server.uploadZip(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }))).json.details as { file_id: string };
  const request = buildCreateJobRequest({
    operation,
    module: 'Contacts',
    fileId: fileId.file_id,
    fieldMappings: plan.fieldMappings,
    findBy,
    ignoreEmpty: false,
  });
  const created = await server.createJob(request);
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const id = (created.json.details as { id: string }).id;
  await server.waitJob(id);
  const result = await server.result(id);
  const st = result.header.indexOf('STATUS');
  const er = result.header.indexOf('ERRORS');
  expect(result.rows).toHaveLength(rows.length);
  return result.rows.map((r) => ({
    status: r[st] ?? '',
    errors: parseRowErrors(r[er] ?? '')
      .map((x) => `${x.code}-${x.apiName}`)
      .sort(),
  }));
}

const STATUS = { add: 'ADDED', update: 'UPDATED', skip: 'SKIPPED', excluded: 'EXCLUDED' } as const;

async function agree(operation: Operation, findBy: string | null, salt: string) {
  const choices = fc.sample(choice, { seed: SEED + salt.length, numRuns: ROWS });
  const csv = Papa.unparse([HEADERS, ...buildRows(choices, salt)], { newline: '\r\n' });
  const client = createImportClient({ inThread: true });
  // The rows as the wizard holds them (its parser, e.g. a line of only commas is not a record) are what is sent.
  const table = await client.openFile(new Blob([csv]));
  const rows = table.rows.map((r) => [...r.cells]);
  expect(rows.length).toBeGreaterThan(ROWS * 0.95);
  const mapping = mappingFor();
  const out = await runOrgCheck({
    connection: conn,
    client,
    module: 'Contacts',
    operation,
    findBy,
    ignoreEmpty: false,
    mapping,
    fields: contacts,
    excluded: [],
    pollDelay: () => 5,
  });
  if (out.kind !== 'done') throw new Error(out.kind === 'failed' ? out.message : 'cancelled');
  const r = out.result;
  const predicted = rows.map((_, i) => ({
    status: STATUS[r.outcomeOf(i)],
    errors: r
      .errorsOf(i)
      .map((x) => `${x.code}-${x.apiName}`)
      .sort(),
  }));
  const actual = await send(rows, mapping, operation, findBy);
  const mismatches = actual
    .map((a, row) => ({ row, cells: rows[row], emulator: a, predicted: predicted[row] }))
    .filter((x) => JSON.stringify(x.emulator) !== JSON.stringify(x.predicted));
  client.dispose();
  expect(mismatches.slice(0, 5)).toEqual([]);
  const tally = (s: string) => actual.filter((a) => a.status === s).length;
  const codes = new Set(actual.flatMap((a) => a.errors));
  console.info(
    `org agreement ${operation}${findBy ? ` by ${findBy}` : ''}: ${rows.length} rows, ${tally('ADDED')} added, ${tally('UPDATED')} updated, ${tally('SKIPPED')} skipped — all predicted exactly`,
  );
  return {
    added: tally('ADDED'),
    updated: tally('UPDATED'),
    skipped: tally('SKIPPED'),
    codes,
    recordIdsNamed: rows.filter((_, i) => r.recordIdOf(i) !== null).length,
  };
}

describe(`org check agrees with the emulator row by row (seed ${SEED}, ${ROWS} rows, ${ORG_CONTACTS} existing contacts)`, () => {
  it('insert matching on Email: org duplicates, in-file duplicates, missing accounts, unknown and inactive owners', async () => {
    const r = await agree('insert', 'Email', 'ins');
    // The generated file exercises every rule this test is about (a vacuous agreement would prove nothing).
    expect(r.added).toBeGreaterThan(500);
    expect(r.skipped).toBeGreaterThan(2000);
    for (const code of [
      'DUPLICATE_DATA-Email',
      'INVALID_DATA-Account_Name',
      'INVALID_DATA-Owner',
      'MANDATORY_NOT_FOUND-Last_Name',
      'INVALID_DATA-Loyalty_Points',
      'INVALID_DATA-Email',
    ]) {
      expect(r.codes, code).toContain(code);
    }
  }, 180_000);

  it('update by Email: matches, no match (RESOURCE_NOT_FOUND), blank match value, lookups and owners', async () => {
    const r = await agree('update', 'Email', 'upd');
    expect(r.updated).toBeGreaterThan(500);
    for (const code of ['RESOURCE_NOT_FOUND-Email', 'MANDATORY_NOT_FOUND-Email', 'INVALID_DATA-Owner', 'INVALID_DATA-Account_Name'])
      expect(r.codes, code).toContain(code);
  }, 180_000);

  it('upsert by Email: updates of org records and of records the file itself adds, and new records', async () => {
    const r = await agree('upsert', 'Email', 'upsert');
    expect(r.updated).toBeGreaterThan(500);
    expect(r.added).toBeGreaterThan(300);
    expect(r.codes).toContain('INVALID_DATA-Owner');
  }, 180_000);

  it('plain insert without a match field: unique e-mails against the org and the file', async () => {
    const r = await agree('insert', null, 'plain');
    expect(r.codes).toContain('DUPLICATE_DATA-Email');
    expect(r.recordIdsNamed).toBeGreaterThan(500);
  }, 180_000);
});
